package dev.tessera.ops.cuda;

import static dev.tessera.bindings.cuda.CudaErrors.checkCublas;
import static dev.tessera.bindings.cuda.CudaErrors.checkCurand;
import static dev.tessera.bindings.cuda.CudaErrors.checkDriver;
import static dev.tessera.bindings.cuda.CudaErrors.checkRuntime;

import dev.tessera.DType;
import dev.tessera.bindings.cuda.cublas_api_h;
import dev.tessera.bindings.cuda.cuda_h;
import dev.tessera.bindings.cuda.cuda_runtime_api_h;
import dev.tessera.bindings.cuda.curand_h;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link DeviceRuntime} on a real GPU: the CUDA driver API (the device's primary context, made
 * current on whichever thread calls in; one non-blocking stream; the committed fatbin loaded with
 * cuModuleLoadData and launched with cuLaunchKernel), cuBLAS (a handle bound to the stream, then
 * its workspace, as cublasSetStream resets the workspace; TF32 off unless allowed, as PyTorch's
 * matmul) and cuRAND (Philox4_32_10 on the stream). Every call is checked and an error names the
 * call, the op and the CUDA error string. The process keeps the device for its lifetime.
 */
public final class CudaDriverRuntime implements DeviceRuntime {
    private static final long WORKSPACE_BYTES = 32L << 20;
    private static volatile boolean allowTf32;

    private final int ordinal;
    private final String name;
    private final MemorySegment context, stream, module, cublas, curand;
    private final long workspace;
    private final int multiprocessors;
    private final boolean sync = "1".equals(System.getenv("TESSERA_CUDA_SYNC"));
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
    private final Map<String, MemorySegment> functions = new ConcurrentHashMap<>();
    private volatile boolean tf32Mode;

    /** TF32 tensor-core math for float32 products (torch.backends.cuda.matmul.allow_tf32); read at each product. */
    public static void setAllowTf32(boolean allow) { allowTf32 = allow; }

    public CudaDriverRuntime(int ordinal) {
        this.ordinal = ordinal;
        this.name = "cuda:" + ordinal;
        Arena global = Arena.global();
        try (Arena a = Arena.ofConfined()) {
            checkDriver(cuda_h.cuInit(0), "cuInit");
            MemorySegment dev = a.allocate(ValueLayout.JAVA_INT);
            checkDriver(cuda_h.cuDeviceGet(dev, ordinal), "cuDeviceGet(" + ordinal + ")");
            MemorySegment p = a.allocate(ValueLayout.ADDRESS);
            checkDriver(cuda_h.cuDevicePrimaryCtxRetain(p, dev.get(ValueLayout.JAVA_INT, 0)), "cuDevicePrimaryCtxRetain(" + name + ")");
            context = p.get(ValueLayout.ADDRESS, 0);
            makeCurrent();
            checkDriver(cuda_h.cuStreamCreate(p, cuda_h.CU_STREAM_NON_BLOCKING()), "cuStreamCreate");
            stream = p.get(ValueLayout.ADDRESS, 0);
            MemorySegment image = global.allocateFrom(ValueLayout.JAVA_BYTE, fatbin());
            checkDriver(cuda_h.cuModuleLoadData(p, image), "cuModuleLoadData(" + KernelAbi.FATBIN_RESOURCE + ")");
            module = p.get(ValueLayout.ADDRESS, 0);
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            checkRuntime(cuda_runtime_api_h.cudaDeviceGetAttribute(v, cuda_runtime_api_h.cudaDevAttrMultiProcessorCount(), ordinal),
                    "cudaDeviceGetAttribute(MultiProcessorCount)");
            multiprocessors = v.get(ValueLayout.JAVA_INT, 0);
            checkCublas(cublas_api_h.cublasCreate_v2(p), "cublasCreate");
            cublas = p.get(ValueLayout.ADDRESS, 0);
            checkCublas(cublas_api_h.cublasSetStream_v2(cublas, stream), "cublasSetStream");
            MemorySegment ws = a.allocate(ValueLayout.JAVA_LONG);
            checkDriver(cuda_h.cuMemAlloc_v2(ws, WORKSPACE_BYTES), "cuMemAlloc(cuBLAS workspace)");
            workspace = ws.get(ValueLayout.JAVA_LONG, 0);
            // after cublasSetStream, which resets the workspace to the default pool
            checkCublas(cublas_api_h.cublasSetWorkspace_v2(cublas, MemorySegment.ofAddress(workspace), WORKSPACE_BYTES), "cublasSetWorkspace");
            checkCublas(cublas_api_h.cublasSetMathMode(cublas, cublas_api_h.CUBLAS_DEFAULT_MATH()), "cublasSetMathMode");
            checkCurand(curand_h.curandCreateGenerator(p, curand_h.CURAND_RNG_PSEUDO_PHILOX4_32_10()), "curandCreateGenerator(PHILOX4_32_10)");
            curand = p.get(ValueLayout.ADDRESS, 0);
            checkCurand(curand_h.curandSetStream(curand, stream), "curandSetStream");
        }
    }

    private static byte[] fatbin() {
        try (InputStream in = CudaDriverRuntime.class.getResourceAsStream(KernelAbi.FATBIN_RESOURCE)) {
            if (in == null) throw new IllegalStateException("the CUDA kernels " + KernelAbi.FATBIN_RESOURCE + " are missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + KernelAbi.FATBIN_RESOURCE, e);
        }
    }

    /** The device's context on the calling thread (the driver's current context is per thread). */
    private void makeCurrent() {
        if (current.get()) return;
        checkDriver(cuda_h.cuCtxSetCurrent(context), "cuCtxSetCurrent(" + name + ")");
        current.set(true);
    }

    /** The stream every op is queued on, with the context made current on the calling thread (for NCCL, which enqueues on it). */
    MemorySegment streamOnCallingThread() {
        makeCurrent();
        return stream;
    }

    @Override
    public String name() { return name; }

    @Override
    public int multiprocessorCount() { return multiprocessors; }

    @Override
    public long malloc(long bytes) {
        makeCurrent();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ValueLayout.JAVA_LONG);
            int r = cuda_h.cuMemAlloc_v2(p, bytes);
            if (r == cuda_h.CUDA_ERROR_OUT_OF_MEMORY()) return 0;
            checkDriver(r, "cuMemAlloc(" + bytes + " bytes on " + name + ")");
            return p.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    @Override
    public void free(long pointer) {
        makeCurrent();
        checkDriver(cuda_h.cuMemFree_v2(pointer), "cuMemFree");
    }

    @Override
    public void copyHostToDevice(long dst, MemorySegment src, long bytes) {
        makeCurrent();
        // pageable source: the call returns once the bytes are staged, so the caller may free src
        checkDriver(cuda_h.cuMemcpyHtoDAsync_v2(dst, src, bytes, stream), "cuMemcpyHtoDAsync(" + bytes + " bytes to " + name + ")");
        after("copy to " + name);
    }

    @Override
    public void copyDeviceToHost(MemorySegment dst, long src, long bytes) {
        makeCurrent();
        checkDriver(cuda_h.cuMemcpyDtoHAsync_v2(dst, src, bytes, stream), "cuMemcpyDtoHAsync(" + bytes + " bytes from " + name + ")");
        checkDriver(cuda_h.cuStreamSynchronize(stream), "cuStreamSynchronize (copy from " + name + "; an earlier asynchronous error "
                + "surfaces here: rerun with TESSERA_CUDA_SYNC=1 to find its op)");
    }

    @Override
    public void copyDeviceToDevice(long dst, long src, long bytes) {
        makeCurrent();
        checkDriver(cuda_h.cuMemcpyDtoDAsync_v2(dst, src, bytes, stream), "cuMemcpyDtoDAsync(" + bytes + " bytes on " + name + ")");
        after("device copy");
    }

    @Override
    public void memset(long dst, byte value, long bytes) {
        makeCurrent();
        if (value == 0 && (dst & 3) == 0 && (bytes & 3) == 0) {
            checkDriver(cuda_h.cuMemsetD32Async(dst, 0, bytes / 4, stream), "cuMemsetD32Async(" + bytes + " bytes)");
        } else {
            checkDriver(cuda_h.cuMemsetD8Async(dst, value, bytes, stream), "cuMemsetD8Async(" + bytes + " bytes)");
        }
        after("memset");
    }

    private MemorySegment function(String kernel) {
        return functions.computeIfAbsent(kernel, k -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment p = a.allocate(ValueLayout.ADDRESS);
                checkDriver(cuda_h.cuModuleGetFunction(p, module, a.allocateFrom(k)), "cuModuleGetFunction(" + k + ")");
                return p.get(ValueLayout.ADDRESS, 0);
            }
        });
    }

    @Override
    public void launch(String kernel, int grid, int blockX, int blockY, Object... args) {
        makeCurrent();
        MemorySegment f = function(kernel);
        try (Arena a = Arena.ofConfined()) { // the driver copies the parameters at launch
            MemorySegment params = KernelArgs.pack(a, KernelAbi.kernel(kernel), args);
            checkDriver(cuda_h.cuLaunchKernel(f, grid, 1, 1, blockX, blockY, 1, 0, stream, params, MemorySegment.NULL),
                    "cuLaunchKernel(" + kernel + ", grid " + grid + ", block " + blockX + "x" + blockY + ")");
        }
        after(kernel);
    }

    @Override
    public void gemm(DType type, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda, long strideA,
                     long b, int ldb, long strideB, double beta, long c, int ldc, long strideC, int batch) {
        makeCurrent();
        boolean tf32 = allowTf32;
        if (tf32 != tf32Mode) {
            int mode = tf32 ? cublas_api_h.CUBLAS_TF32_TENSOR_OP_MATH() : cublas_api_h.CUBLAS_DEFAULT_MATH();
            checkCublas(cublas_api_h.cublasSetMathMode(cublas, mode), "cublasSetMathMode");
            tf32Mode = tf32;
        }
        int ta = transA ? cublas_api_h.CUBLAS_OP_T() : cublas_api_h.CUBLAS_OP_N();
        int tb = transB ? cublas_api_h.CUBLAS_OP_T() : cublas_api_h.CUBLAS_OP_N();
        String op = (type == DType.FLOAT32 ? "cublasSgemmStridedBatched" : "cublasDgemmStridedBatched") + "(m=" + m + ", n=" + n
                + ", k=" + k + ", batch=" + batch + ")";
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment A = MemorySegment.ofAddress(a), B = MemorySegment.ofAddress(b), C = MemorySegment.ofAddress(c);
            if (type == DType.FLOAT32) {
                checkCublas(cublas_api_h.cublasSgemmStridedBatched(cublas, ta, tb, m, n, k, ar.allocateFrom(ValueLayout.JAVA_FLOAT, (float) alpha),
                        A, lda, strideA, B, ldb, strideB, ar.allocateFrom(ValueLayout.JAVA_FLOAT, (float) beta), C, ldc, strideC, batch), op);
            } else if (type == DType.FLOAT64) {
                checkCublas(cublas_api_h.cublasDgemmStridedBatched(cublas, ta, tb, m, n, k, ar.allocateFrom(ValueLayout.JAVA_DOUBLE, alpha),
                        A, lda, strideA, B, ldb, strideB, ar.allocateFrom(ValueLayout.JAVA_DOUBLE, beta), C, ldc, strideC, batch), op);
            } else {
                throw new IllegalArgumentException("cuBLAS products take float32 or float64, got " + type);
            }
        }
        after(op);
    }

    @Override
    public void generate(DType type, long out, long n, boolean normal, double mean, double std, long seed, long offset) {
        makeCurrent();
        checkCurand(curand_h.curandSetPseudoRandomGeneratorSeed(curand, seed), "curandSetPseudoRandomGeneratorSeed");
        checkCurand(curand_h.curandSetGeneratorOffset(curand, offset), "curandSetGeneratorOffset");
        MemorySegment p = MemorySegment.ofAddress(out);
        boolean f32 = type == DType.FLOAT32;
        if (normal) {
            if ((n & 1) != 0) throw new IllegalArgumentException("curandGenerateNormal needs an even count, got " + n);
            checkCurand(f32 ? curand_h.curandGenerateNormal(curand, p, n, (float) mean, (float) std)
                    : curand_h.curandGenerateNormalDouble(curand, p, n, mean, std), "curandGenerateNormal(" + n + ")");
        } else {
            checkCurand(f32 ? curand_h.curandGenerateUniform(curand, p, n) : curand_h.curandGenerateUniformDouble(curand, p, n),
                    "curandGenerateUniform(" + n + ")");
        }
        after(normal ? "normal_" : "uniform_");
    }

    @Override
    public void synchronize() {
        makeCurrent();
        checkDriver(cuda_h.cuStreamSynchronize(stream), "cuStreamSynchronize(" + name + ")");
    }

    /** TESSERA_CUDA_SYNC=1: wait after every op so an asynchronous fault names the op that caused it. */
    private void after(String op) {
        if (sync) checkDriver(cuda_h.cuStreamSynchronize(stream), "cuStreamSynchronize after " + op);
    }

    @Override
    public String toString() { return "CudaDriverRuntime[" + name + ", " + multiprocessors + " SMs, ordinal " + ordinal + "]"; }
}
