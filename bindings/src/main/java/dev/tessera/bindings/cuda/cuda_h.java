// Hand-kept in the layout jextract 22 generates for cuda.h (see scripts/generate-bindings and
// bindings/jextract/cuda.txt); the differences from jextract's output are listed there.
package dev.tessera.bindings.cuda;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.stream.Collectors;


/** The CUDA driver API (libcuda): the functions, enum values and macros Tessera uses. */
@SuppressWarnings({"unused", "checkstyle:TypeName", "checkstyle:MethodName"})
public class cuda_h {

    cuda_h() {
        // Should not be called directly
    }

    /** The library whose symbols this class binds; loaded on the first call, never at class load. */
    public static final CudaLibrary LIBRARY = CudaLibrary.DRIVER;

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

    private static class cuInit {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuInit");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuInit", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuInit(unsigned int Flags)
     * }
     */
    public static FunctionDescriptor cuInit$descriptor() {
        return cuInit.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuInit(unsigned int Flags)
     * }
     */
    public static MethodHandle cuInit$handle() {
        return cuInit.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuInit(unsigned int Flags)
     * }
     */
    public static MemorySegment cuInit$address() {
        return cuInit.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuInit(unsigned int Flags)
     * }
     */
    public static int cuInit(int Flags) {
        var mh$ = cuInit.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuInit", Flags);
            }
            return (int) mh$.invokeExact(Flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuDriverGetVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuDriverGetVersion");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuDriverGetVersion", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDriverGetVersion(int *driverVersion)
     * }
     */
    public static FunctionDescriptor cuDriverGetVersion$descriptor() {
        return cuDriverGetVersion.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuDriverGetVersion(int *driverVersion)
     * }
     */
    public static MethodHandle cuDriverGetVersion$handle() {
        return cuDriverGetVersion.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuDriverGetVersion(int *driverVersion)
     * }
     */
    public static MemorySegment cuDriverGetVersion$address() {
        return cuDriverGetVersion.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDriverGetVersion(int *driverVersion)
     * }
     */
    public static int cuDriverGetVersion(MemorySegment driverVersion) {
        var mh$ = cuDriverGetVersion.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuDriverGetVersion", driverVersion);
            }
            return (int) mh$.invokeExact(driverVersion);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuDeviceGet {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuDeviceGet");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuDeviceGet", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDeviceGet(CUdevice *device, int ordinal)
     * }
     */
    public static FunctionDescriptor cuDeviceGet$descriptor() {
        return cuDeviceGet.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuDeviceGet(CUdevice *device, int ordinal)
     * }
     */
    public static MethodHandle cuDeviceGet$handle() {
        return cuDeviceGet.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuDeviceGet(CUdevice *device, int ordinal)
     * }
     */
    public static MemorySegment cuDeviceGet$address() {
        return cuDeviceGet.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDeviceGet(CUdevice *device, int ordinal)
     * }
     */
    public static int cuDeviceGet(MemorySegment device, int ordinal) {
        var mh$ = cuDeviceGet.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuDeviceGet", device, ordinal);
            }
            return (int) mh$.invokeExact(device, ordinal);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuDevicePrimaryCtxRetain {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuDevicePrimaryCtxRetain");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuDevicePrimaryCtxRetain", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)
     * }
     */
    public static FunctionDescriptor cuDevicePrimaryCtxRetain$descriptor() {
        return cuDevicePrimaryCtxRetain.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)
     * }
     */
    public static MethodHandle cuDevicePrimaryCtxRetain$handle() {
        return cuDevicePrimaryCtxRetain.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)
     * }
     */
    public static MemorySegment cuDevicePrimaryCtxRetain$address() {
        return cuDevicePrimaryCtxRetain.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)
     * }
     */
    public static int cuDevicePrimaryCtxRetain(MemorySegment pctx, int dev) {
        var mh$ = cuDevicePrimaryCtxRetain.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuDevicePrimaryCtxRetain", pctx, dev);
            }
            return (int) mh$.invokeExact(pctx, dev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuCtxSetCurrent {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuCtxSetCurrent");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuCtxSetCurrent", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuCtxSetCurrent(CUcontext ctx)
     * }
     */
    public static FunctionDescriptor cuCtxSetCurrent$descriptor() {
        return cuCtxSetCurrent.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuCtxSetCurrent(CUcontext ctx)
     * }
     */
    public static MethodHandle cuCtxSetCurrent$handle() {
        return cuCtxSetCurrent.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuCtxSetCurrent(CUcontext ctx)
     * }
     */
    public static MemorySegment cuCtxSetCurrent$address() {
        return cuCtxSetCurrent.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuCtxSetCurrent(CUcontext ctx)
     * }
     */
    public static int cuCtxSetCurrent(MemorySegment ctx) {
        var mh$ = cuCtxSetCurrent.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuCtxSetCurrent", ctx);
            }
            return (int) mh$.invokeExact(ctx);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuCtxGetCurrent {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuCtxGetCurrent");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuCtxGetCurrent", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuCtxGetCurrent(CUcontext *pctx)
     * }
     */
    public static FunctionDescriptor cuCtxGetCurrent$descriptor() {
        return cuCtxGetCurrent.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuCtxGetCurrent(CUcontext *pctx)
     * }
     */
    public static MethodHandle cuCtxGetCurrent$handle() {
        return cuCtxGetCurrent.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuCtxGetCurrent(CUcontext *pctx)
     * }
     */
    public static MemorySegment cuCtxGetCurrent$address() {
        return cuCtxGetCurrent.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuCtxGetCurrent(CUcontext *pctx)
     * }
     */
    public static int cuCtxGetCurrent(MemorySegment pctx) {
        var mh$ = cuCtxGetCurrent.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuCtxGetCurrent", pctx);
            }
            return (int) mh$.invokeExact(pctx);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuCtxSynchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuCtxSynchronize");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuCtxSynchronize", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuCtxSynchronize(void)
     * }
     */
    public static FunctionDescriptor cuCtxSynchronize$descriptor() {
        return cuCtxSynchronize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuCtxSynchronize(void)
     * }
     */
    public static MethodHandle cuCtxSynchronize$handle() {
        return cuCtxSynchronize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuCtxSynchronize(void)
     * }
     */
    public static MemorySegment cuCtxSynchronize$address() {
        return cuCtxSynchronize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuCtxSynchronize(void)
     * }
     */
    public static int cuCtxSynchronize() {
        var mh$ = cuCtxSynchronize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuCtxSynchronize");
            }
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuMemAlloc_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_LONG
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuMemAlloc_v2");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemAlloc_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)
     * }
     */
    public static FunctionDescriptor cuMemAlloc_v2$descriptor() {
        return cuMemAlloc_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)
     * }
     */
    public static MethodHandle cuMemAlloc_v2$handle() {
        return cuMemAlloc_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)
     * }
     */
    public static MemorySegment cuMemAlloc_v2$address() {
        return cuMemAlloc_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)
     * }
     */
    public static int cuMemAlloc_v2(MemorySegment dptr, long bytesize) {
        var mh$ = cuMemAlloc_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemAlloc_v2", dptr, bytesize);
            }
            return (int) mh$.invokeExact(dptr, bytesize);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuMemFree_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_LONG_LONG
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuMemFree_v2");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemFree_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemFree_v2(CUdeviceptr dptr)
     * }
     */
    public static FunctionDescriptor cuMemFree_v2$descriptor() {
        return cuMemFree_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemFree_v2(CUdeviceptr dptr)
     * }
     */
    public static MethodHandle cuMemFree_v2$handle() {
        return cuMemFree_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuMemFree_v2(CUdeviceptr dptr)
     * }
     */
    public static MemorySegment cuMemFree_v2$address() {
        return cuMemFree_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemFree_v2(CUdeviceptr dptr)
     * }
     */
    public static int cuMemFree_v2(long dptr) {
        var mh$ = cuMemFree_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemFree_v2", dptr);
            }
            return (int) mh$.invokeExact(dptr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuMemcpyHtoD_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_LONG_LONG,
            cuda_h.C_POINTER,
            cuda_h.C_LONG
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuMemcpyHtoD_v2");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemcpyHtoD_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)
     * }
     */
    public static FunctionDescriptor cuMemcpyHtoD_v2$descriptor() {
        return cuMemcpyHtoD_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)
     * }
     */
    public static MethodHandle cuMemcpyHtoD_v2$handle() {
        return cuMemcpyHtoD_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)
     * }
     */
    public static MemorySegment cuMemcpyHtoD_v2$address() {
        return cuMemcpyHtoD_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)
     * }
     */
    public static int cuMemcpyHtoD_v2(long dstDevice, MemorySegment srcHost, long ByteCount) {
        var mh$ = cuMemcpyHtoD_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemcpyHtoD_v2", dstDevice, srcHost, ByteCount);
            }
            return (int) mh$.invokeExact(dstDevice, srcHost, ByteCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuMemcpyDtoH_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_LONG_LONG,
            cuda_h.C_LONG
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuMemcpyDtoH_v2");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemcpyDtoH_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static FunctionDescriptor cuMemcpyDtoH_v2$descriptor() {
        return cuMemcpyDtoH_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static MethodHandle cuMemcpyDtoH_v2$handle() {
        return cuMemcpyDtoH_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static MemorySegment cuMemcpyDtoH_v2$address() {
        return cuMemcpyDtoH_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static int cuMemcpyDtoH_v2(MemorySegment dstHost, long srcDevice, long ByteCount) {
        var mh$ = cuMemcpyDtoH_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemcpyDtoH_v2", dstHost, srcDevice, ByteCount);
            }
            return (int) mh$.invokeExact(dstHost, srcDevice, ByteCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuMemcpyDtoD_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_LONG_LONG,
            cuda_h.C_LONG_LONG,
            cuda_h.C_LONG
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuMemcpyDtoD_v2");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemcpyDtoD_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoD_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static FunctionDescriptor cuMemcpyDtoD_v2$descriptor() {
        return cuMemcpyDtoD_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoD_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static MethodHandle cuMemcpyDtoD_v2$handle() {
        return cuMemcpyDtoD_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoD_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static MemorySegment cuMemcpyDtoD_v2$address() {
        return cuMemcpyDtoD_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoD_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount)
     * }
     */
    public static int cuMemcpyDtoD_v2(long dstDevice, long srcDevice, long ByteCount) {
        var mh$ = cuMemcpyDtoD_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemcpyDtoD_v2", dstDevice, srcDevice, ByteCount);
            }
            return (int) mh$.invokeExact(dstDevice, srcDevice, ByteCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuMemcpyHtoDAsync_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_LONG_LONG,
            cuda_h.C_POINTER,
            cuda_h.C_LONG,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuMemcpyHtoDAsync_v2");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemcpyHtoDAsync_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemcpyHtoDAsync_v2$descriptor() {
        return cuMemcpyHtoDAsync_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream)
     * }
     */
    public static MethodHandle cuMemcpyHtoDAsync_v2$handle() {
        return cuMemcpyHtoDAsync_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream)
     * }
     */
    public static MemorySegment cuMemcpyHtoDAsync_v2$address() {
        return cuMemcpyHtoDAsync_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream)
     * }
     */
    public static int cuMemcpyHtoDAsync_v2(long dstDevice, MemorySegment srcHost, long ByteCount, MemorySegment hStream) {
        var mh$ = cuMemcpyHtoDAsync_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemcpyHtoDAsync_v2", dstDevice, srcHost, ByteCount, hStream);
            }
            return (int) mh$.invokeExact(dstDevice, srcHost, ByteCount, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuMemcpyDtoHAsync_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_LONG_LONG,
            cuda_h.C_LONG,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuMemcpyDtoHAsync_v2");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemcpyDtoHAsync_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemcpyDtoHAsync_v2$descriptor() {
        return cuMemcpyDtoHAsync_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static MethodHandle cuMemcpyDtoHAsync_v2$handle() {
        return cuMemcpyDtoHAsync_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static MemorySegment cuMemcpyDtoHAsync_v2$address() {
        return cuMemcpyDtoHAsync_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static int cuMemcpyDtoHAsync_v2(MemorySegment dstHost, long srcDevice, long ByteCount, MemorySegment hStream) {
        var mh$ = cuMemcpyDtoHAsync_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemcpyDtoHAsync_v2", dstHost, srcDevice, ByteCount, hStream);
            }
            return (int) mh$.invokeExact(dstHost, srcDevice, ByteCount, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuMemcpyDtoDAsync_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_LONG_LONG,
            cuda_h.C_LONG_LONG,
            cuda_h.C_LONG,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuMemcpyDtoDAsync_v2");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemcpyDtoDAsync_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemcpyDtoDAsync_v2$descriptor() {
        return cuMemcpyDtoDAsync_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static MethodHandle cuMemcpyDtoDAsync_v2$handle() {
        return cuMemcpyDtoDAsync_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static MemorySegment cuMemcpyDtoDAsync_v2$address() {
        return cuMemcpyDtoDAsync_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
     * }
     */
    public static int cuMemcpyDtoDAsync_v2(long dstDevice, long srcDevice, long ByteCount, MemorySegment hStream) {
        var mh$ = cuMemcpyDtoDAsync_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemcpyDtoDAsync_v2", dstDevice, srcDevice, ByteCount, hStream);
            }
            return (int) mh$.invokeExact(dstDevice, srcDevice, ByteCount, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuMemsetD8Async {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_LONG_LONG,
            cuda_h.C_CHAR,
            cuda_h.C_LONG,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuMemsetD8Async");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemsetD8Async", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemsetD8Async$descriptor() {
        return cuMemsetD8Async.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream)
     * }
     */
    public static MethodHandle cuMemsetD8Async$handle() {
        return cuMemsetD8Async.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream)
     * }
     */
    public static MemorySegment cuMemsetD8Async$address() {
        return cuMemsetD8Async.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream)
     * }
     */
    public static int cuMemsetD8Async(long dstDevice, byte uc, long N, MemorySegment hStream) {
        var mh$ = cuMemsetD8Async.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemsetD8Async", dstDevice, uc, N, hStream);
            }
            return (int) mh$.invokeExact(dstDevice, uc, N, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuMemsetD32Async {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_LONG_LONG,
            cuda_h.C_INT,
            cuda_h.C_LONG,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuMemsetD32Async");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuMemsetD32Async", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuMemsetD32Async(CUdeviceptr dstDevice, unsigned int ui, size_t N, CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuMemsetD32Async$descriptor() {
        return cuMemsetD32Async.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuMemsetD32Async(CUdeviceptr dstDevice, unsigned int ui, size_t N, CUstream hStream)
     * }
     */
    public static MethodHandle cuMemsetD32Async$handle() {
        return cuMemsetD32Async.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuMemsetD32Async(CUdeviceptr dstDevice, unsigned int ui, size_t N, CUstream hStream)
     * }
     */
    public static MemorySegment cuMemsetD32Async$address() {
        return cuMemsetD32Async.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuMemsetD32Async(CUdeviceptr dstDevice, unsigned int ui, size_t N, CUstream hStream)
     * }
     */
    public static int cuMemsetD32Async(long dstDevice, int ui, long N, MemorySegment hStream) {
        var mh$ = cuMemsetD32Async.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuMemsetD32Async", dstDevice, ui, N, hStream);
            }
            return (int) mh$.invokeExact(dstDevice, ui, N, hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuModuleLoadData {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuModuleLoadData");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuModuleLoadData", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuModuleLoadData(CUmodule *module, const void *image)
     * }
     */
    public static FunctionDescriptor cuModuleLoadData$descriptor() {
        return cuModuleLoadData.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuModuleLoadData(CUmodule *module, const void *image)
     * }
     */
    public static MethodHandle cuModuleLoadData$handle() {
        return cuModuleLoadData.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuModuleLoadData(CUmodule *module, const void *image)
     * }
     */
    public static MemorySegment cuModuleLoadData$address() {
        return cuModuleLoadData.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuModuleLoadData(CUmodule *module, const void *image)
     * }
     */
    public static int cuModuleLoadData(MemorySegment module, MemorySegment image) {
        var mh$ = cuModuleLoadData.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuModuleLoadData", module, image);
            }
            return (int) mh$.invokeExact(module, image);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuModuleUnload {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuModuleUnload");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuModuleUnload", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuModuleUnload(CUmodule hmod)
     * }
     */
    public static FunctionDescriptor cuModuleUnload$descriptor() {
        return cuModuleUnload.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuModuleUnload(CUmodule hmod)
     * }
     */
    public static MethodHandle cuModuleUnload$handle() {
        return cuModuleUnload.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuModuleUnload(CUmodule hmod)
     * }
     */
    public static MemorySegment cuModuleUnload$address() {
        return cuModuleUnload.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuModuleUnload(CUmodule hmod)
     * }
     */
    public static int cuModuleUnload(MemorySegment hmod) {
        var mh$ = cuModuleUnload.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuModuleUnload", hmod);
            }
            return (int) mh$.invokeExact(hmod);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuModuleGetFunction {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuModuleGetFunction");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuModuleGetFunction", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name)
     * }
     */
    public static FunctionDescriptor cuModuleGetFunction$descriptor() {
        return cuModuleGetFunction.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name)
     * }
     */
    public static MethodHandle cuModuleGetFunction$handle() {
        return cuModuleGetFunction.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name)
     * }
     */
    public static MemorySegment cuModuleGetFunction$address() {
        return cuModuleGetFunction.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name)
     * }
     */
    public static int cuModuleGetFunction(MemorySegment hfunc, MemorySegment hmod, MemorySegment name) {
        var mh$ = cuModuleGetFunction.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuModuleGetFunction", hfunc, hmod, name);
            }
            return (int) mh$.invokeExact(hfunc, hmod, name);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuLaunchKernel {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuLaunchKernel");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuLaunchKernel", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra)
     * }
     */
    public static FunctionDescriptor cuLaunchKernel$descriptor() {
        return cuLaunchKernel.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra)
     * }
     */
    public static MethodHandle cuLaunchKernel$handle() {
        return cuLaunchKernel.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra)
     * }
     */
    public static MemorySegment cuLaunchKernel$address() {
        return cuLaunchKernel.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra)
     * }
     */
    public static int cuLaunchKernel(MemorySegment f, int gridDimX, int gridDimY, int gridDimZ, int blockDimX, int blockDimY, int blockDimZ, int sharedMemBytes, MemorySegment hStream, MemorySegment kernelParams, MemorySegment extra) {
        var mh$ = cuLaunchKernel.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuLaunchKernel", f, gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ, sharedMemBytes, hStream, kernelParams, extra);
            }
            return (int) mh$.invokeExact(f, gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ, sharedMemBytes, hStream, kernelParams, extra);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuStreamCreate {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER,
            cuda_h.C_INT
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuStreamCreate");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuStreamCreate", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags)
     * }
     */
    public static FunctionDescriptor cuStreamCreate$descriptor() {
        return cuStreamCreate.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags)
     * }
     */
    public static MethodHandle cuStreamCreate$handle() {
        return cuStreamCreate.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags)
     * }
     */
    public static MemorySegment cuStreamCreate$address() {
        return cuStreamCreate.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags)
     * }
     */
    public static int cuStreamCreate(MemorySegment phStream, int Flags) {
        var mh$ = cuStreamCreate.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuStreamCreate", phStream, Flags);
            }
            return (int) mh$.invokeExact(phStream, Flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuStreamDestroy_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuStreamDestroy_v2");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuStreamDestroy_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuStreamDestroy_v2(CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuStreamDestroy_v2$descriptor() {
        return cuStreamDestroy_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuStreamDestroy_v2(CUstream hStream)
     * }
     */
    public static MethodHandle cuStreamDestroy_v2$handle() {
        return cuStreamDestroy_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuStreamDestroy_v2(CUstream hStream)
     * }
     */
    public static MemorySegment cuStreamDestroy_v2$address() {
        return cuStreamDestroy_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuStreamDestroy_v2(CUstream hStream)
     * }
     */
    public static int cuStreamDestroy_v2(MemorySegment hStream) {
        var mh$ = cuStreamDestroy_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuStreamDestroy_v2", hStream);
            }
            return (int) mh$.invokeExact(hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuStreamSynchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuStreamSynchronize");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuStreamSynchronize", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuStreamSynchronize(CUstream hStream)
     * }
     */
    public static FunctionDescriptor cuStreamSynchronize$descriptor() {
        return cuStreamSynchronize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuStreamSynchronize(CUstream hStream)
     * }
     */
    public static MethodHandle cuStreamSynchronize$handle() {
        return cuStreamSynchronize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuStreamSynchronize(CUstream hStream)
     * }
     */
    public static MemorySegment cuStreamSynchronize$address() {
        return cuStreamSynchronize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuStreamSynchronize(CUstream hStream)
     * }
     */
    public static int cuStreamSynchronize(MemorySegment hStream) {
        var mh$ = cuStreamSynchronize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuStreamSynchronize", hStream);
            }
            return (int) mh$.invokeExact(hStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuGetErrorName {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuGetErrorName");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuGetErrorName", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuGetErrorName(CUresult error, const char **pStr)
     * }
     */
    public static FunctionDescriptor cuGetErrorName$descriptor() {
        return cuGetErrorName.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuGetErrorName(CUresult error, const char **pStr)
     * }
     */
    public static MethodHandle cuGetErrorName$handle() {
        return cuGetErrorName.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuGetErrorName(CUresult error, const char **pStr)
     * }
     */
    public static MemorySegment cuGetErrorName$address() {
        return cuGetErrorName.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuGetErrorName(CUresult error, const char **pStr)
     * }
     */
    public static int cuGetErrorName(int error, MemorySegment pStr) {
        var mh$ = cuGetErrorName.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuGetErrorName", error, pStr);
            }
            return (int) mh$.invokeExact(error, pStr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cuGetErrorString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cuda_h.C_INT,
            cuda_h.C_INT,
            cuda_h.C_POINTER
        );

        public static final MemorySegment ADDR = cuda_h.findOrNull("cuGetErrorString");

        public static final MethodHandle HANDLE = cuda_h.downcallHandle("cuGetErrorString", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * CUresult cuGetErrorString(CUresult error, const char **pStr)
     * }
     */
    public static FunctionDescriptor cuGetErrorString$descriptor() {
        return cuGetErrorString.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * CUresult cuGetErrorString(CUresult error, const char **pStr)
     * }
     */
    public static MethodHandle cuGetErrorString$handle() {
        return cuGetErrorString.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * CUresult cuGetErrorString(CUresult error, const char **pStr)
     * }
     */
    public static MemorySegment cuGetErrorString$address() {
        return cuGetErrorString.ADDR;
    }

    /**
     * {@snippet lang=c :
     * CUresult cuGetErrorString(CUresult error, const char **pStr)
     * }
     */
    public static int cuGetErrorString(int error, MemorySegment pStr) {
        var mh$ = cuGetErrorString.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cuGetErrorString", error, pStr);
            }
            return (int) mh$.invokeExact(error, pStr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int CUDA_SUCCESS = (int)0L;

    /**
     * {@snippet lang=c :
     * enum cudaError_enum.CUDA_SUCCESS = 0
     * }
     */
    public static int CUDA_SUCCESS() {
        return CUDA_SUCCESS;
    }

    private static final int CUDA_ERROR_INVALID_VALUE = (int)1L;

    /**
     * {@snippet lang=c :
     * enum cudaError_enum.CUDA_ERROR_INVALID_VALUE = 1
     * }
     */
    public static int CUDA_ERROR_INVALID_VALUE() {
        return CUDA_ERROR_INVALID_VALUE;
    }

    private static final int CUDA_ERROR_OUT_OF_MEMORY = (int)2L;

    /**
     * {@snippet lang=c :
     * enum cudaError_enum.CUDA_ERROR_OUT_OF_MEMORY = 2
     * }
     */
    public static int CUDA_ERROR_OUT_OF_MEMORY() {
        return CUDA_ERROR_OUT_OF_MEMORY;
    }

    private static final int CUDA_ERROR_NOT_INITIALIZED = (int)3L;

    /**
     * {@snippet lang=c :
     * enum cudaError_enum.CUDA_ERROR_NOT_INITIALIZED = 3
     * }
     */
    public static int CUDA_ERROR_NOT_INITIALIZED() {
        return CUDA_ERROR_NOT_INITIALIZED;
    }

    private static final int CUDA_ERROR_DEINITIALIZED = (int)4L;

    /**
     * {@snippet lang=c :
     * enum cudaError_enum.CUDA_ERROR_DEINITIALIZED = 4
     * }
     */
    public static int CUDA_ERROR_DEINITIALIZED() {
        return CUDA_ERROR_DEINITIALIZED;
    }

    private static final int CUDA_ERROR_STUB_LIBRARY = (int)34L;

    /**
     * {@snippet lang=c :
     * enum cudaError_enum.CUDA_ERROR_STUB_LIBRARY = 34
     * }
     */
    public static int CUDA_ERROR_STUB_LIBRARY() {
        return CUDA_ERROR_STUB_LIBRARY;
    }

    private static final int CUDA_ERROR_NO_DEVICE = (int)100L;

    /**
     * {@snippet lang=c :
     * enum cudaError_enum.CUDA_ERROR_NO_DEVICE = 100
     * }
     */
    public static int CUDA_ERROR_NO_DEVICE() {
        return CUDA_ERROR_NO_DEVICE;
    }

    private static final int CUDA_ERROR_INVALID_DEVICE = (int)101L;

    /**
     * {@snippet lang=c :
     * enum cudaError_enum.CUDA_ERROR_INVALID_DEVICE = 101
     * }
     */
    public static int CUDA_ERROR_INVALID_DEVICE() {
        return CUDA_ERROR_INVALID_DEVICE;
    }

    private static final int CUDA_ERROR_NO_BINARY_FOR_GPU = (int)209L;

    /**
     * {@snippet lang=c :
     * enum cudaError_enum.CUDA_ERROR_NO_BINARY_FOR_GPU = 209
     * }
     */
    public static int CUDA_ERROR_NO_BINARY_FOR_GPU() {
        return CUDA_ERROR_NO_BINARY_FOR_GPU;
    }

    private static final int CUDA_ERROR_NOT_FOUND = (int)500L;

    /**
     * {@snippet lang=c :
     * enum cudaError_enum.CUDA_ERROR_NOT_FOUND = 500
     * }
     */
    public static int CUDA_ERROR_NOT_FOUND() {
        return CUDA_ERROR_NOT_FOUND;
    }

    private static final int CUDA_ERROR_ILLEGAL_ADDRESS = (int)700L;

    /**
     * {@snippet lang=c :
     * enum cudaError_enum.CUDA_ERROR_ILLEGAL_ADDRESS = 700
     * }
     */
    public static int CUDA_ERROR_ILLEGAL_ADDRESS() {
        return CUDA_ERROR_ILLEGAL_ADDRESS;
    }

    private static final int CUDA_ERROR_LAUNCH_FAILED = (int)719L;

    /**
     * {@snippet lang=c :
     * enum cudaError_enum.CUDA_ERROR_LAUNCH_FAILED = 719
     * }
     */
    public static int CUDA_ERROR_LAUNCH_FAILED() {
        return CUDA_ERROR_LAUNCH_FAILED;
    }

    private static final int CU_STREAM_DEFAULT = (int)0L;

    /**
     * {@snippet lang=c :
     * enum CUstream_flags_enum.CU_STREAM_DEFAULT = 0
     * }
     */
    public static int CU_STREAM_DEFAULT() {
        return CU_STREAM_DEFAULT;
    }

    private static final int CU_STREAM_NON_BLOCKING = (int)1L;

    /**
     * {@snippet lang=c :
     * enum CUstream_flags_enum.CU_STREAM_NON_BLOCKING = 1
     * }
     */
    public static int CU_STREAM_NON_BLOCKING() {
        return CU_STREAM_NON_BLOCKING;
    }

}
