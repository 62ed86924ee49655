// Hand-kept in the layout jextract 22 generates for cublas_api.h (see scripts/generate-bindings and
// bindings/jextract/cublas_api.txt); the differences from jextract's output are listed there.
package dev.tessera.bindings.cuda;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.stream.Collectors;


/** cuBLAS (libcublas, loaded after libcublasLt): the functions and enum values Tessera uses. */
@SuppressWarnings({"unused", "checkstyle:TypeName", "checkstyle:MethodName"})
public class cublas_api_h {

    cublas_api_h() {
        // Should not be called directly
    }

    /** The library whose symbols this class binds; loaded on the first call, never at class load. */
    public static final CudaLibrary LIBRARY = CudaLibrary.CUBLAS;

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

    private static class cublasCreate_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cublas_api_h.findOrNull("cublasCreate_v2");

        public static final MethodHandle HANDLE = cublas_api_h.downcallHandle("cublasCreate_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasCreate_v2(cublasHandle_t *handle)
     * }
     */
    public static FunctionDescriptor cublasCreate_v2$descriptor() {
        return cublasCreate_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t cublasCreate_v2(cublasHandle_t *handle)
     * }
     */
    public static MethodHandle cublasCreate_v2$handle() {
        return cublasCreate_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t cublasCreate_v2(cublasHandle_t *handle)
     * }
     */
    public static MemorySegment cublasCreate_v2$address() {
        return cublasCreate_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasCreate_v2(cublasHandle_t *handle)
     * }
     */
    public static int cublasCreate_v2(MemorySegment handle) {
        var mh$ = cublasCreate_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasCreate_v2", handle);
            }
            return (int) mh$.invokeExact(handle);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cublasDestroy_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cublas_api_h.findOrNull("cublasDestroy_v2");

        public static final MethodHandle HANDLE = cublas_api_h.downcallHandle("cublasDestroy_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)
     * }
     */
    public static FunctionDescriptor cublasDestroy_v2$descriptor() {
        return cublasDestroy_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)
     * }
     */
    public static MethodHandle cublasDestroy_v2$handle() {
        return cublasDestroy_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)
     * }
     */
    public static MemorySegment cublasDestroy_v2$address() {
        return cublasDestroy_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)
     * }
     */
    public static int cublasDestroy_v2(MemorySegment handle) {
        var mh$ = cublasDestroy_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasDestroy_v2", handle);
            }
            return (int) mh$.invokeExact(handle);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cublasSetStream_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_POINTER
        );

        public static final MemorySegment ADDR = cublas_api_h.findOrNull("cublasSetStream_v2");

        public static final MethodHandle HANDLE = cublas_api_h.downcallHandle("cublasSetStream_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)
     * }
     */
    public static FunctionDescriptor cublasSetStream_v2$descriptor() {
        return cublasSetStream_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)
     * }
     */
    public static MethodHandle cublasSetStream_v2$handle() {
        return cublasSetStream_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)
     * }
     */
    public static MemorySegment cublasSetStream_v2$address() {
        return cublasSetStream_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)
     * }
     */
    public static int cublasSetStream_v2(MemorySegment handle, MemorySegment streamId) {
        var mh$ = cublasSetStream_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasSetStream_v2", handle, streamId);
            }
            return (int) mh$.invokeExact(handle, streamId);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cublasSetWorkspace_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_LONG
        );

        public static final MemorySegment ADDR = cublas_api_h.findOrNull("cublasSetWorkspace_v2");

        public static final MethodHandle HANDLE = cublas_api_h.downcallHandle("cublasSetWorkspace_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSetWorkspace_v2(cublasHandle_t handle, void *workspace, size_t workspaceSizeInBytes)
     * }
     */
    public static FunctionDescriptor cublasSetWorkspace_v2$descriptor() {
        return cublasSetWorkspace_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSetWorkspace_v2(cublasHandle_t handle, void *workspace, size_t workspaceSizeInBytes)
     * }
     */
    public static MethodHandle cublasSetWorkspace_v2$handle() {
        return cublasSetWorkspace_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSetWorkspace_v2(cublasHandle_t handle, void *workspace, size_t workspaceSizeInBytes)
     * }
     */
    public static MemorySegment cublasSetWorkspace_v2$address() {
        return cublasSetWorkspace_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasSetWorkspace_v2(cublasHandle_t handle, void *workspace, size_t workspaceSizeInBytes)
     * }
     */
    public static int cublasSetWorkspace_v2(MemorySegment handle, MemorySegment workspace, long workspaceSizeInBytes) {
        var mh$ = cublasSetWorkspace_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasSetWorkspace_v2", handle, workspace, workspaceSizeInBytes);
            }
            return (int) mh$.invokeExact(handle, workspace, workspaceSizeInBytes);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cublasSetMathMode {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_api_h.findOrNull("cublasSetMathMode");

        public static final MethodHandle HANDLE = cublas_api_h.downcallHandle("cublasSetMathMode", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode)
     * }
     */
    public static FunctionDescriptor cublasSetMathMode$descriptor() {
        return cublasSetMathMode.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode)
     * }
     */
    public static MethodHandle cublasSetMathMode$handle() {
        return cublasSetMathMode.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode)
     * }
     */
    public static MemorySegment cublasSetMathMode$address() {
        return cublasSetMathMode.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode)
     * }
     */
    public static int cublasSetMathMode(MemorySegment handle, int mode) {
        var mh$ = cublasSetMathMode.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasSetMathMode", handle, mode);
            }
            return (int) mh$.invokeExact(handle, mode);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cublasGetStatusString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_api_h.findOrNull("cublasGetStatusString");

        public static final MethodHandle HANDLE = cublas_api_h.downcallHandle("cublasGetStatusString", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * cublasGetStatusString(cublasStatus_t status)
     * }
     */
    public static FunctionDescriptor cublasGetStatusString$descriptor() {
        return cublasGetStatusString.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * cublasGetStatusString(cublasStatus_t status)
     * }
     */
    public static MethodHandle cublasGetStatusString$handle() {
        return cublasGetStatusString.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * cublasGetStatusString(cublasStatus_t status)
     * }
     */
    public static MemorySegment cublasGetStatusString$address() {
        return cublasGetStatusString.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * cublasGetStatusString(cublasStatus_t status)
     * }
     */
    public static MemorySegment cublasGetStatusString(int status) {
        var mh$ = cublasGetStatusString.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasGetStatusString", status);
            }
            return (MemorySegment) mh$.invokeExact(status);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cublasSgemm_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_api_h.findOrNull("cublasSgemm_v2");

        public static final MethodHandle HANDLE = cublas_api_h.downcallHandle("cublasSgemm_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc)
     * }
     */
    public static FunctionDescriptor cublasSgemm_v2$descriptor() {
        return cublasSgemm_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc)
     * }
     */
    public static MethodHandle cublasSgemm_v2$handle() {
        return cublasSgemm_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc)
     * }
     */
    public static MemorySegment cublasSgemm_v2$address() {
        return cublasSgemm_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc)
     * }
     */
    public static int cublasSgemm_v2(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int lda, MemorySegment B, int ldb, MemorySegment beta, MemorySegment C, int ldc) {
        var mh$ = cublasSgemm_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasSgemm_v2", handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
            }
            return (int) mh$.invokeExact(handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cublasDgemm_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_api_h.findOrNull("cublasDgemm_v2");

        public static final MethodHandle HANDLE = cublas_api_h.downcallHandle("cublasDgemm_v2", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasDgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, const double *B, int ldb, const double *beta, double *C, int ldc)
     * }
     */
    public static FunctionDescriptor cublasDgemm_v2$descriptor() {
        return cublasDgemm_v2.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t cublasDgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, const double *B, int ldb, const double *beta, double *C, int ldc)
     * }
     */
    public static MethodHandle cublasDgemm_v2$handle() {
        return cublasDgemm_v2.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t cublasDgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, const double *B, int ldb, const double *beta, double *C, int ldc)
     * }
     */
    public static MemorySegment cublasDgemm_v2$address() {
        return cublasDgemm_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasDgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, const double *B, int ldb, const double *beta, double *C, int ldc)
     * }
     */
    public static int cublasDgemm_v2(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int lda, MemorySegment B, int ldb, MemorySegment beta, MemorySegment C, int ldc) {
        var mh$ = cublasDgemm_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasDgemm_v2", handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
            }
            return (int) mh$.invokeExact(handle, transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cublasSgemmStridedBatched {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_LONG_LONG,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_LONG_LONG,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_LONG_LONG,
            cublas_api_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_api_h.findOrNull("cublasSgemmStridedBatched");

        public static final MethodHandle HANDLE = cublas_api_h.downcallHandle("cublasSgemmStridedBatched", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, long long strideA, const float *B, int ldb, long long strideB, const float *beta, float *C, int ldc, long long strideC, int batchCount)
     * }
     */
    public static FunctionDescriptor cublasSgemmStridedBatched$descriptor() {
        return cublasSgemmStridedBatched.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, long long strideA, const float *B, int ldb, long long strideB, const float *beta, float *C, int ldc, long long strideC, int batchCount)
     * }
     */
    public static MethodHandle cublasSgemmStridedBatched$handle() {
        return cublasSgemmStridedBatched.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, long long strideA, const float *B, int ldb, long long strideB, const float *beta, float *C, int ldc, long long strideC, int batchCount)
     * }
     */
    public static MemorySegment cublasSgemmStridedBatched$address() {
        return cublasSgemmStridedBatched.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, long long strideA, const float *B, int ldb, long long strideB, const float *beta, float *C, int ldc, long long strideC, int batchCount)
     * }
     */
    public static int cublasSgemmStridedBatched(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int lda, long strideA, MemorySegment B, int ldb, long strideB, MemorySegment beta, MemorySegment C, int ldc, long strideC, int batchCount) {
        var mh$ = cublasSgemmStridedBatched.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasSgemmStridedBatched", handle, transa, transb, m, n, k, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, batchCount);
            }
            return (int) mh$.invokeExact(handle, transa, transb, m, n, k, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, batchCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class cublasDgemmStridedBatched {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_INT,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_LONG_LONG,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_LONG_LONG,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_POINTER,
            cublas_api_h.C_INT,
            cublas_api_h.C_LONG_LONG,
            cublas_api_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_api_h.findOrNull("cublasDgemmStridedBatched");

        public static final MethodHandle HANDLE = cublas_api_h.downcallHandle("cublasDgemmStridedBatched", ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, long long strideA, const double *B, int ldb, long long strideB, const double *beta, double *C, int ldc, long long strideC, int batchCount)
     * }
     */
    public static FunctionDescriptor cublasDgemmStridedBatched$descriptor() {
        return cublasDgemmStridedBatched.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, long long strideA, const double *B, int ldb, long long strideB, const double *beta, double *C, int ldc, long long strideC, int batchCount)
     * }
     */
    public static MethodHandle cublasDgemmStridedBatched$handle() {
        return cublasDgemmStridedBatched.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, long long strideA, const double *B, int ldb, long long strideB, const double *beta, double *C, int ldc, long long strideC, int batchCount)
     * }
     */
    public static MemorySegment cublasDgemmStridedBatched$address() {
        return cublasDgemmStridedBatched.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, long long strideA, const double *B, int ldb, long long strideB, const double *beta, double *C, int ldc, long long strideC, int batchCount)
     * }
     */
    public static int cublasDgemmStridedBatched(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int lda, long strideA, MemorySegment B, int ldb, long strideB, MemorySegment beta, MemorySegment C, int ldc, long strideC, int batchCount) {
        var mh$ = cublasDgemmStridedBatched.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasDgemmStridedBatched", handle, transa, transb, m, n, k, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, batchCount);
            }
            return (int) mh$.invokeExact(handle, transa, transb, m, n, k, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, batchCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int CUBLAS_STATUS_SUCCESS = (int)0L;

    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_SUCCESS = 0
     * }
     */
    public static int CUBLAS_STATUS_SUCCESS() {
        return CUBLAS_STATUS_SUCCESS;
    }

    private static final int CUBLAS_STATUS_NOT_INITIALIZED = (int)1L;

    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_NOT_INITIALIZED = 1
     * }
     */
    public static int CUBLAS_STATUS_NOT_INITIALIZED() {
        return CUBLAS_STATUS_NOT_INITIALIZED;
    }

    private static final int CUBLAS_STATUS_ALLOC_FAILED = (int)3L;

    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_ALLOC_FAILED = 3
     * }
     */
    public static int CUBLAS_STATUS_ALLOC_FAILED() {
        return CUBLAS_STATUS_ALLOC_FAILED;
    }

    private static final int CUBLAS_STATUS_INVALID_VALUE = (int)7L;

    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_INVALID_VALUE = 7
     * }
     */
    public static int CUBLAS_STATUS_INVALID_VALUE() {
        return CUBLAS_STATUS_INVALID_VALUE;
    }

    private static final int CUBLAS_STATUS_ARCH_MISMATCH = (int)8L;

    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_ARCH_MISMATCH = 8
     * }
     */
    public static int CUBLAS_STATUS_ARCH_MISMATCH() {
        return CUBLAS_STATUS_ARCH_MISMATCH;
    }

    private static final int CUBLAS_STATUS_MAPPING_ERROR = (int)11L;

    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_MAPPING_ERROR = 11
     * }
     */
    public static int CUBLAS_STATUS_MAPPING_ERROR() {
        return CUBLAS_STATUS_MAPPING_ERROR;
    }

    private static final int CUBLAS_STATUS_EXECUTION_FAILED = (int)13L;

    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_EXECUTION_FAILED = 13
     * }
     */
    public static int CUBLAS_STATUS_EXECUTION_FAILED() {
        return CUBLAS_STATUS_EXECUTION_FAILED;
    }

    private static final int CUBLAS_STATUS_INTERNAL_ERROR = (int)14L;

    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_INTERNAL_ERROR = 14
     * }
     */
    public static int CUBLAS_STATUS_INTERNAL_ERROR() {
        return CUBLAS_STATUS_INTERNAL_ERROR;
    }

    private static final int CUBLAS_STATUS_NOT_SUPPORTED = (int)15L;

    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_NOT_SUPPORTED = 15
     * }
     */
    public static int CUBLAS_STATUS_NOT_SUPPORTED() {
        return CUBLAS_STATUS_NOT_SUPPORTED;
    }

    private static final int CUBLAS_STATUS_LICENSE_ERROR = (int)16L;

    /**
     * {@snippet lang=c :
     * enum cublasStatus_t.CUBLAS_STATUS_LICENSE_ERROR = 16
     * }
     */
    public static int CUBLAS_STATUS_LICENSE_ERROR() {
        return CUBLAS_STATUS_LICENSE_ERROR;
    }

    private static final int CUBLAS_OP_N = (int)0L;

    /**
     * {@snippet lang=c :
     * enum cublasOperation_t.CUBLAS_OP_N = 0
     * }
     */
    public static int CUBLAS_OP_N() {
        return CUBLAS_OP_N;
    }

    private static final int CUBLAS_OP_T = (int)1L;

    /**
     * {@snippet lang=c :
     * enum cublasOperation_t.CUBLAS_OP_T = 1
     * }
     */
    public static int CUBLAS_OP_T() {
        return CUBLAS_OP_T;
    }

    private static final int CUBLAS_OP_C = (int)2L;

    /**
     * {@snippet lang=c :
     * enum cublasOperation_t.CUBLAS_OP_C = 2
     * }
     */
    public static int CUBLAS_OP_C() {
        return CUBLAS_OP_C;
    }

    private static final int CUBLAS_DEFAULT_MATH = (int)0L;

    /**
     * {@snippet lang=c :
     * enum cublasMath_t.CUBLAS_DEFAULT_MATH = 0
     * }
     */
    public static int CUBLAS_DEFAULT_MATH() {
        return CUBLAS_DEFAULT_MATH;
    }

    private static final int CUBLAS_PEDANTIC_MATH = (int)2L;

    /**
     * {@snippet lang=c :
     * enum cublasMath_t.CUBLAS_PEDANTIC_MATH = 2
     * }
     */
    public static int CUBLAS_PEDANTIC_MATH() {
        return CUBLAS_PEDANTIC_MATH;
    }

    private static final int CUBLAS_TF32_TENSOR_OP_MATH = (int)3L;

    /**
     * {@snippet lang=c :
     * enum cublasMath_t.CUBLAS_TF32_TENSOR_OP_MATH = 3
     * }
     */
    public static int CUBLAS_TF32_TENSOR_OP_MATH() {
        return CUBLAS_TF32_TENSOR_OP_MATH;
    }

    private static final int CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION = (int)16L;

    /**
     * {@snippet lang=c :
     * enum cublasMath_t.CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION = 16
     * }
     */
    public static int CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION() {
        return CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION;
    }

}
