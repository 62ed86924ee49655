// Hand-kept in the layout jextract 22 generates for cuda_runtime_api.h (see scripts/generate-bindings and
// bindings/jextract/cuda_runtime_api.txt); the differences from jextract's output are listed there.
package dev.tessera.bindings.cuda;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.stream.Collectors;


/** The CUDA runtime API (libcudart): the functions, enum values and macros Tessera uses. */
@SuppressWarnings({"unused", "checkstyle:TypeName", "checkstyle:MethodName"})
public class cuda_runtime_api_h {

    cuda_runtime_api_h() {
        // Should not be called directly
    }

    /** The library whose symbols this class binds; loaded on the first call, never at class load. */
    public static final CudaLibrary LIBRARY = CudaLibrary.RUNTIME;

    static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

    static void traceDowncall(String name, Object... args) {
        String traceArgs = Arrays.stream(args)
                .map(Object::toString)
                .collect(Collectors.joining(", "));
        System.out.printf("%s(%s)\n", name, traceArgs);
    }

    /** The symbol's address, or NULL when the library or the symbol is missing (the handle then throws). */
    static MemorySegment findOrNull(String symbol) {
        return Downcalls.find(LIBRARY, symbol);
    }

    static MethodHandle downcallHandle(String symbol, MemorySegment address, FunctionDescriptor desc) {
        return Downcalls.handle(LIBRARY, symbol, address, desc);
    }

    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, ValueLayout.JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    private static class cudaGetDeviceCount {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaGetDeviceCount");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaGetDeviceCount", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static FunctionDescriptor cudaGetDeviceCount$descriptor() {
        return cudaGetDeviceCount.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static MethodHandle cudaGetDeviceCount$handle() {
        return cudaGetDeviceCount.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static MemorySegment cudaGetDeviceCount$address() {
        return cudaGetDeviceCount.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static int cudaGetDeviceCount(MemorySegment count) {
        var mh$ = cudaGetDeviceCount.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaGetDeviceCount", count);
            }
            return (int) mh$.invokeExact(count);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaSetDevice {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaSetDevice");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaSetDevice", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaSetDevice(int device)
     * }
     */
    public static FunctionDescriptor cudaSetDevice$descriptor() {
        return cudaSetDevice.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaSetDevice(int device)
     * }
     */
    public static MethodHandle cudaSetDevice$handle() {
        return cudaSetDevice.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaSetDevice(int device)
     * }
     */
    public static MemorySegment cudaSetDevice$address() {
        return cudaSetDevice.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaSetDevice(int device)
     * }
     */
    public static int cudaSetDevice(int device) {
        var mh$ = cudaSetDevice.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaSetDevice", device);
            }
            return (int) mh$.invokeExact(device);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetDevice {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaGetDevice");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaGetDevice", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaGetDevice(int *device)
     * }
     */
    public static FunctionDescriptor cudaGetDevice$descriptor() {
        return cudaGetDevice.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaGetDevice(int *device)
     * }
     */
    public static MethodHandle cudaGetDevice$handle() {
        return cudaGetDevice.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaGetDevice(int *device)
     * }
     */
    public static MemorySegment cudaGetDevice$address() {
        return cudaGetDevice.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaGetDevice(int *device)
     * }
     */
    public static int cudaGetDevice(MemorySegment device) {
        var mh$ = cudaGetDevice.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaGetDevice", device);
            }
            return (int) mh$.invokeExact(device);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaDeviceGetAttribute {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER,
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaDeviceGetAttribute");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaDeviceGetAttribute", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static FunctionDescriptor cudaDeviceGetAttribute$descriptor() {
        return cudaDeviceGetAttribute.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static MethodHandle cudaDeviceGetAttribute$handle() {
        return cudaDeviceGetAttribute.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static MemorySegment cudaDeviceGetAttribute$address() {
        return cudaDeviceGetAttribute.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static int cudaDeviceGetAttribute(MemorySegment value, int attr, int device) {
        var mh$ = cudaDeviceGetAttribute.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaDeviceGetAttribute", value, attr, device);
            }
            return (int) mh$.invokeExact(value, attr, device);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaMalloc {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER,
            cuda_runtime_api_h.C_LONG
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaMalloc");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaMalloc", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaMalloc(void **devPtr, size_t size)
     * }
     */
    public static FunctionDescriptor cudaMalloc$descriptor() {
        return cudaMalloc.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaMalloc(void **devPtr, size_t size)
     * }
     */
    public static MethodHandle cudaMalloc$handle() {
        return cudaMalloc.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaMalloc(void **devPtr, size_t size)
     * }
     */
    public static MemorySegment cudaMalloc$address() {
        return cudaMalloc.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMalloc(void **devPtr, size_t size)
     * }
     */
    public static int cudaMalloc(MemorySegment devPtr, long size) {
        var mh$ = cudaMalloc.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaMalloc", devPtr, size);
            }
            return (int) mh$.invokeExact(devPtr, size);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaFree {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaFree");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaFree", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaFree(void *devPtr)
     * }
     */
    public static FunctionDescriptor cudaFree$descriptor() {
        return cudaFree.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaFree(void *devPtr)
     * }
     */
    public static MethodHandle cudaFree$handle() {
        return cudaFree.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaFree(void *devPtr)
     * }
     */
    public static MemorySegment cudaFree$address() {
        return cudaFree.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaFree(void *devPtr)
     * }
     */
    public static int cudaFree(MemorySegment devPtr) {
        var mh$ = cudaFree.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaFree", devPtr);
            }
            return (int) mh$.invokeExact(devPtr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaMemcpy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER,
            cuda_runtime_api_h.C_POINTER,
            cuda_runtime_api_h.C_LONG,
            cuda_runtime_api_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaMemcpy");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaMemcpy", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaMemcpy(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind)
     * }
     */
    public static FunctionDescriptor cudaMemcpy$descriptor() {
        return cudaMemcpy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaMemcpy(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind)
     * }
     */
    public static MethodHandle cudaMemcpy$handle() {
        return cudaMemcpy.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaMemcpy(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind)
     * }
     */
    public static MemorySegment cudaMemcpy$address() {
        return cudaMemcpy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMemcpy(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind)
     * }
     */
    public static int cudaMemcpy(MemorySegment dst, MemorySegment src, long count, int kind) {
        var mh$ = cudaMemcpy.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaMemcpy", dst, src, count, kind);
            }
            return (int) mh$.invokeExact(dst, src, count, kind);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaMemcpyAsync {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER,
            cuda_runtime_api_h.C_POINTER,
            cuda_runtime_api_h.C_LONG,
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaMemcpyAsync");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaMemcpyAsync", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind, cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor cudaMemcpyAsync$descriptor() {
        return cudaMemcpyAsync.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind, cudaStream_t stream)
     * }
     */
    public static MethodHandle cudaMemcpyAsync$handle() {
        return cudaMemcpyAsync.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind, cudaStream_t stream)
     * }
     */
    public static MemorySegment cudaMemcpyAsync$address() {
        return cudaMemcpyAsync.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind, cudaStream_t stream)
     * }
     */
    public static int cudaMemcpyAsync(MemorySegment dst, MemorySegment src, long count, int kind, MemorySegment stream) {
        var mh$ = cudaMemcpyAsync.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaMemcpyAsync", dst, src, count, kind, stream);
            }
            return (int) mh$.invokeExact(dst, src, count, kind, stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaMemset {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER,
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_LONG
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaMemset");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaMemset", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaMemset(void *devPtr, int value, size_t count)
     * }
     */
    public static FunctionDescriptor cudaMemset$descriptor() {
        return cudaMemset.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaMemset(void *devPtr, int value, size_t count)
     * }
     */
    public static MethodHandle cudaMemset$handle() {
        return cudaMemset.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaMemset(void *devPtr, int value, size_t count)
     * }
     */
    public static MemorySegment cudaMemset$address() {
        return cudaMemset.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMemset(void *devPtr, int value, size_t count)
     * }
     */
    public static int cudaMemset(MemorySegment devPtr, int value, long count) {
        var mh$ = cudaMemset.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaMemset", devPtr, value, count);
            }
            return (int) mh$.invokeExact(devPtr, value, count);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaMemsetAsync {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER,
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_LONG,
            cuda_runtime_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaMemsetAsync");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaMemsetAsync", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaMemsetAsync(void *devPtr, int value, size_t count, cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor cudaMemsetAsync$descriptor() {
        return cudaMemsetAsync.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaMemsetAsync(void *devPtr, int value, size_t count, cudaStream_t stream)
     * }
     */
    public static MethodHandle cudaMemsetAsync$handle() {
        return cudaMemsetAsync.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaMemsetAsync(void *devPtr, int value, size_t count, cudaStream_t stream)
     * }
     */
    public static MemorySegment cudaMemsetAsync$address() {
        return cudaMemsetAsync.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMemsetAsync(void *devPtr, int value, size_t count, cudaStream_t stream)
     * }
     */
    public static int cudaMemsetAsync(MemorySegment devPtr, int value, long count, MemorySegment stream) {
        var mh$ = cudaMemsetAsync.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaMemsetAsync", devPtr, value, count, stream);
            }
            return (int) mh$.invokeExact(devPtr, value, count, stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaMemGetInfo {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER,
            cuda_runtime_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaMemGetInfo");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaMemGetInfo", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static FunctionDescriptor cudaMemGetInfo$descriptor() {
        return cudaMemGetInfo.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static MethodHandle cudaMemGetInfo$handle() {
        return cudaMemGetInfo.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static MemorySegment cudaMemGetInfo$address() {
        return cudaMemGetInfo.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static int cudaMemGetInfo(MemorySegment free, MemorySegment total) {
        var mh$ = cudaMemGetInfo.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaMemGetInfo", free, total);
            }
            return (int) mh$.invokeExact(free, total);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaStreamCreateWithFlags {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER,
            cuda_runtime_api_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaStreamCreateWithFlags");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaStreamCreateWithFlags", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags)
     * }
     */
    public static FunctionDescriptor cudaStreamCreateWithFlags$descriptor() {
        return cudaStreamCreateWithFlags.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags)
     * }
     */
    public static MethodHandle cudaStreamCreateWithFlags$handle() {
        return cudaStreamCreateWithFlags.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags)
     * }
     */
    public static MemorySegment cudaStreamCreateWithFlags$address() {
        return cudaStreamCreateWithFlags.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaStreamCreateWithFlags(cudaStream_t *pStream, unsigned int flags)
     * }
     */
    public static int cudaStreamCreateWithFlags(MemorySegment pStream, int flags) {
        var mh$ = cudaStreamCreateWithFlags.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaStreamCreateWithFlags", pStream, flags);
            }
            return (int) mh$.invokeExact(pStream, flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaStreamDestroy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaStreamDestroy");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaStreamDestroy", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaStreamDestroy(cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor cudaStreamDestroy$descriptor() {
        return cudaStreamDestroy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaStreamDestroy(cudaStream_t stream)
     * }
     */
    public static MethodHandle cudaStreamDestroy$handle() {
        return cudaStreamDestroy.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaStreamDestroy(cudaStream_t stream)
     * }
     */
    public static MemorySegment cudaStreamDestroy$address() {
        return cudaStreamDestroy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaStreamDestroy(cudaStream_t stream)
     * }
     */
    public static int cudaStreamDestroy(MemorySegment stream) {
        var mh$ = cudaStreamDestroy.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaStreamDestroy", stream);
            }
            return (int) mh$.invokeExact(stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaStreamSynchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaStreamSynchronize");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaStreamSynchronize", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaStreamSynchronize(cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor cudaStreamSynchronize$descriptor() {
        return cudaStreamSynchronize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaStreamSynchronize(cudaStream_t stream)
     * }
     */
    public static MethodHandle cudaStreamSynchronize$handle() {
        return cudaStreamSynchronize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaStreamSynchronize(cudaStream_t stream)
     * }
     */
    public static MemorySegment cudaStreamSynchronize$address() {
        return cudaStreamSynchronize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaStreamSynchronize(cudaStream_t stream)
     * }
     */
    public static int cudaStreamSynchronize(MemorySegment stream) {
        var mh$ = cudaStreamSynchronize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaStreamSynchronize", stream);
            }
            return (int) mh$.invokeExact(stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaDeviceSynchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaDeviceSynchronize");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaDeviceSynchronize", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaDeviceSynchronize(void)
     * }
     */
    public static FunctionDescriptor cudaDeviceSynchronize$descriptor() {
        return cudaDeviceSynchronize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaDeviceSynchronize(void)
     * }
     */
    public static MethodHandle cudaDeviceSynchronize$handle() {
        return cudaDeviceSynchronize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaDeviceSynchronize(void)
     * }
     */
    public static MemorySegment cudaDeviceSynchronize$address() {
        return cudaDeviceSynchronize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaDeviceSynchronize(void)
     * }
     */
    public static int cudaDeviceSynchronize() {
        var mh$ = cudaDeviceSynchronize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaDeviceSynchronize");
            }
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetLastError {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaGetLastError");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaGetLastError", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaGetLastError(void)
     * }
     */
    public static FunctionDescriptor cudaGetLastError$descriptor() {
        return cudaGetLastError.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaGetLastError(void)
     * }
     */
    public static MethodHandle cudaGetLastError$handle() {
        return cudaGetLastError.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaGetLastError(void)
     * }
     */
    public static MemorySegment cudaGetLastError$address() {
        return cudaGetLastError.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaGetLastError(void)
     * }
     */
    public static int cudaGetLastError() {
        var mh$ = cudaGetLastError.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaGetLastError");
            }
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetErrorString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_POINTER,
            cuda_runtime_api_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaGetErrorString");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaGetErrorString", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * cudaGetErrorString(cudaError_t error)
     * }
     */
    public static FunctionDescriptor cudaGetErrorString$descriptor() {
        return cudaGetErrorString.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * cudaGetErrorString(cudaError_t error)
     * }
     */
    public static MethodHandle cudaGetErrorString$handle() {
        return cudaGetErrorString.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * cudaGetErrorString(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorString$address() {
        return cudaGetErrorString.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * cudaGetErrorString(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorString(int error) {
        var mh$ = cudaGetErrorString.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaGetErrorString", error);
            }
            return (MemorySegment) mh$.invokeExact(error);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaGetErrorName {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_POINTER,
            cuda_runtime_api_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaGetErrorName");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaGetErrorName", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * cudaGetErrorName(cudaError_t error)
     * }
     */
    public static FunctionDescriptor cudaGetErrorName$descriptor() {
        return cudaGetErrorName.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * cudaGetErrorName(cudaError_t error)
     * }
     */
    public static MethodHandle cudaGetErrorName$handle() {
        return cudaGetErrorName.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * cudaGetErrorName(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorName$address() {
        return cudaGetErrorName.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * cudaGetErrorName(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorName(int error) {
        var mh$ = cudaGetErrorName.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaGetErrorName", error);
            }
            return (MemorySegment) mh$.invokeExact(error);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaRuntimeGetVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaRuntimeGetVersion");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaRuntimeGetVersion", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static FunctionDescriptor cudaRuntimeGetVersion$descriptor() {
        return cudaRuntimeGetVersion.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static MethodHandle cudaRuntimeGetVersion$handle() {
        return cudaRuntimeGetVersion.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static MemorySegment cudaRuntimeGetVersion$address() {
        return cudaRuntimeGetVersion.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static int cudaRuntimeGetVersion(MemorySegment runtimeVersion) {
        var mh$ = cudaRuntimeGetVersion.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaRuntimeGetVersion", runtimeVersion);
            }
            return (int) mh$.invokeExact(runtimeVersion);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cudaDriverGetVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_runtime_api_h.C_INT,
            cuda_runtime_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_runtime_api_h.findOrNull("cudaDriverGetVersion");

        public static final MethodHandle HANDLE = cuda_runtime_api_h.downcallHandle("cudaDriverGetVersion", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static FunctionDescriptor cudaDriverGetVersion$descriptor() {
        return cudaDriverGetVersion.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static MethodHandle cudaDriverGetVersion$handle() {
        return cudaDriverGetVersion.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static MemorySegment cudaDriverGetVersion$address() {
        return cudaDriverGetVersion.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static int cudaDriverGetVersion(MemorySegment driverVersion) {
        var mh$ = cudaDriverGetVersion.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cudaDriverGetVersion", driverVersion);
            }
            return (int) mh$.invokeExact(driverVersion);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int cudaSuccess = (int)0L;

    /**
     * {@snippet lang=c :
     * enum cudaError.cudaSuccess = 0
     * }
     */
    public static int cudaSuccess() {
        return cudaSuccess;
    }

    private static final int cudaErrorInvalidValue = (int)1L;

    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorInvalidValue = 1
     * }
     */
    public static int cudaErrorInvalidValue() {
        return cudaErrorInvalidValue;
    }

    private static final int cudaErrorMemoryAllocation = (int)2L;

    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorMemoryAllocation = 2
     * }
     */
    public static int cudaErrorMemoryAllocation() {
        return cudaErrorMemoryAllocation;
    }

    private static final int cudaErrorInitializationError = (int)3L;

    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorInitializationError = 3
     * }
     */
    public static int cudaErrorInitializationError() {
        return cudaErrorInitializationError;
    }

    private static final int cudaErrorInsufficientDriver = (int)35L;

    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorInsufficientDriver = 35
     * }
     */
    public static int cudaErrorInsufficientDriver() {
        return cudaErrorInsufficientDriver;
    }

    private static final int cudaErrorNoDevice = (int)100L;

    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorNoDevice = 100
     * }
     */
    public static int cudaErrorNoDevice() {
        return cudaErrorNoDevice;
    }

    private static final int cudaErrorInvalidDevice = (int)101L;

    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorInvalidDevice = 101
     * }
     */
    public static int cudaErrorInvalidDevice() {
        return cudaErrorInvalidDevice;
    }

    private static final int cudaErrorNoKernelImageForDevice = (int)209L;

    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorNoKernelImageForDevice = 209
     * }
     */
    public static int cudaErrorNoKernelImageForDevice() {
        return cudaErrorNoKernelImageForDevice;
    }

    private static final int cudaErrorIllegalAddress = (int)700L;

    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorIllegalAddress = 700
     * }
     */
    public static int cudaErrorIllegalAddress() {
        return cudaErrorIllegalAddress;
    }

    private static final int cudaErrorLaunchFailure = (int)719L;

    /**
     * {@snippet lang=c :
     * enum cudaError.cudaErrorLaunchFailure = 719
     * }
     */
    public static int cudaErrorLaunchFailure() {
        return cudaErrorLaunchFailure;
    }

    private static final int cudaMemcpyHostToHost = (int)0L;

    /**
     * {@snippet lang=c :
     * enum cudaMemcpyKind.cudaMemcpyHostToHost = 0
     * }
     */
    public static int cudaMemcpyHostToHost() {
        return cudaMemcpyHostToHost;
    }

    private static final int cudaMemcpyHostToDevice = (int)1L;

    /**
     * {@snippet lang=c :
     * enum cudaMemcpyKind.cudaMemcpyHostToDevice = 1
     * }
     */
    public static int cudaMemcpyHostToDevice() {
        return cudaMemcpyHostToDevice;
    }

    private static final int cudaMemcpyDeviceToHost = (int)2L;

    /**
     * {@snippet lang=c :
     * enum cudaMemcpyKind.cudaMemcpyDeviceToHost = 2
     * }
     */
    public static int cudaMemcpyDeviceToHost() {
        return cudaMemcpyDeviceToHost;
    }

    private static final int cudaMemcpyDeviceToDevice = (int)3L;

    /**
     * {@snippet lang=c :
     * enum cudaMemcpyKind.cudaMemcpyDeviceToDevice = 3
     * }
     */
    public static int cudaMemcpyDeviceToDevice() {
        return cudaMemcpyDeviceToDevice;
    }

    private static final int cudaMemcpyDefault = (int)4L;

    /**
     * {@snippet lang=c :
     * enum cudaMemcpyKind.cudaMemcpyDefault = 4
     * }
     */
    public static int cudaMemcpyDefault() {
        return cudaMemcpyDefault;
    }

    private static final int cudaDevAttrMaxThreadsPerBlock = (int)1L;

    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrMaxThreadsPerBlock = 1
     * }
     */
    public static int cudaDevAttrMaxThreadsPerBlock() {
        return cudaDevAttrMaxThreadsPerBlock;
    }

    private static final int cudaDevAttrMaxSharedMemoryPerBlock = (int)8L;

    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrMaxSharedMemoryPerBlock = 8
     * }
     */
    public static int cudaDevAttrMaxSharedMemoryPerBlock() {
        return cudaDevAttrMaxSharedMemoryPerBlock;
    }

    private static final int cudaDevAttrWarpSize = (int)10L;

    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrWarpSize = 10
     * }
     */
    public static int cudaDevAttrWarpSize() {
        return cudaDevAttrWarpSize;
    }

    private static final int cudaDevAttrMultiProcessorCount = (int)16L;

    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrMultiProcessorCount = 16
     * }
     */
    public static int cudaDevAttrMultiProcessorCount() {
        return cudaDevAttrMultiProcessorCount;
    }

    private static final int cudaDevAttrComputeCapabilityMajor = (int)75L;

    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrComputeCapabilityMajor = 75
     * }
     */
    public static int cudaDevAttrComputeCapabilityMajor() {
        return cudaDevAttrComputeCapabilityMajor;
    }

    private static final int cudaDevAttrComputeCapabilityMinor = (int)76L;

    /**
     * {@snippet lang=c :
     * enum cudaDeviceAttr.cudaDevAttrComputeCapabilityMinor = 76
     * }
     */
    public static int cudaDevAttrComputeCapabilityMinor() {
        return cudaDevAttrComputeCapabilityMinor;
    }

    private static final int cudaStreamDefault = (int)0L;

    /**
     * {@snippet lang=c :
     * #define cudaStreamDefault 0
     * }
     */
    public static int cudaStreamDefault() {
        return cudaStreamDefault;
    }

    private static final int cudaStreamNonBlocking = (int)1L;

    /**
     * {@snippet lang=c :
     * #define cudaStreamNonBlocking 1
     * }
     */
    public static int cudaStreamNonBlocking() {
        return cudaStreamNonBlocking;
    }

}
