package dev.tessera.ops.cuda;

import dev.tessera.DType;
import java.lang.foreign.MemorySegment;

/**
 * Everything the CUDA backend asks of a device, so the backend itself is plain Java over device
 * addresses: {@link CudaDriverRuntime} implements it with the CUDA driver, cuBLAS and cuRAND; the
 * tests implement it with host memory and the kernels compiled for the host. Pointers are device
 * addresses (longs); every call is in stream order (one stream per device), and a call that reads
 * device memory into the host synchronises first.
 */
public interface DeviceRuntime extends RawDeviceMemory {
    /** The device's name for messages, e.g. "cuda:0". */
    String name();

    /** Number of streaming multiprocessors (sizes grid-stride launches). */
    int multiprocessorCount();

    /** dst (device) = bytes of host memory src; src may be reused as soon as the call returns. */
    void copyHostToDevice(long dst, MemorySegment src, long bytes);

    /** dst (host) = bytes at device address src, after every queued operation. */
    void copyDeviceToHost(MemorySegment dst, long src, long bytes);

    void copyDeviceToDevice(long dst, long src, long bytes);

    /** Sets {@code bytes} bytes at dst to {@code value}. */
    void memset(long dst, byte value, long bytes);

    /**
     * Launches a kernel of {@link KernelAbi} on grid x 1 x 1 blocks of blockX x blockY threads,
     * with arguments as {@link KernelArgs#pack} takes them.
     */
    void launch(String kernel, int grid, int blockX, int blockY, Object... args);

    /**
     * cuBLAS gemmStridedBatched semantics (column-major): for each batch p,
     * C_p = alpha op(A_p) op(B_p) + beta C_p with op(A) m x k, op(B) k x n, C m x n, X_p at
     * X + p * strideX elements (strides may be 0). FLOAT32 or FLOAT64.
     */
    void gemm(DType type, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda, long strideA,
              long b, int ldb, long strideB, double beta, long c, int ldc, long strideC, int batch);

    /**
     * Fills n contiguous elements at out with uniform (0, 1] values, or normal (mean, std) values
     * when {@code normal} (n even, as curandGenerateNormal requires), from the generator state
     * (seed, offset).
     */
    void generate(DType type, long out, long n, boolean normal, double mean, double std, long seed, long offset);

    /** Waits until every queued operation of the device has finished; reports asynchronous errors. */
    void synchronize();
}
