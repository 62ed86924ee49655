package dev.tessera.ops.cuda;

import dev.tessera.DType;
import dev.tessera.ops.cpu.Gemm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * A {@link DeviceRuntime} without a GPU: "device memory" is host memory handed out by address,
 * kernels are Tessera's CUDA sources compiled for the host ({@link HostKernels}), products are the
 * CPU GEMM read with cuBLAS's column-major conventions (and its leading-dimension checks), and
 * random numbers come from a seeded SplittableRandom. Launches are shrunk to at most 2 blocks of
 * 4 x 2 threads (grid-stride and row kernels are correct for any launch shape), so every loop
 * still wraps. Records the kernels launched and the products run.
 */
final class HostEmulatedRuntime implements DeviceRuntime {
    private final HostKernels kernels;
    private final Map<Long, Arena> blocks = new ConcurrentHashMap<>();
    final Set<String> launched = new ConcurrentSkipListSet<>();
    final Set<String> products = new ConcurrentSkipListSet<>();

    private final long capacity;
    private final java.util.concurrent.atomic.AtomicLong used = new java.util.concurrent.atomic.AtomicLong();
    private final Map<Long, Long> sizes = new ConcurrentHashMap<>();

    HostEmulatedRuntime(HostKernels kernels) { this(kernels, Long.MAX_VALUE); }

    /** A device of {@code capacity} bytes: malloc beyond it answers 0 (out of memory), as cuMemAlloc would. */
    HostEmulatedRuntime(HostKernels kernels, long capacity) {
        this.kernels = kernels;
        this.capacity = capacity;
    }

    @Override
    public String name() { return "emulated cuda:0"; }

    @Override
    public int multiprocessorCount() { return 1; }

    @Override
    public long malloc(long bytes) {
        if (used.addAndGet(bytes) > capacity) {
            used.addAndGet(-bytes);
            return 0;
        }
        Arena a = Arena.ofShared(); // freed from any thread (tensors are released by a cleaner)
        MemorySegment s = a.allocate(bytes, 256);
        s.fill((byte) 0x7f); // not zero: a kernel that forgets to write shows up as garbage
        blocks.put(s.address(), a);
        sizes.put(s.address(), bytes);
        return s.address();
    }

    @Override
    public void free(long pointer) {
        Arena a = blocks.remove(pointer);
        if (a == null) throw new IllegalStateException("free of an unknown device pointer 0x" + Long.toHexString(pointer));
        used.addAndGet(-sizes.remove(pointer));
        a.close();
    }


    private static MemorySegment at(long ptr, long bytes) { return MemorySegment.ofAddress(ptr).reinterpret(bytes); }

    @Override
    public void copyHostToDevice(long dst, MemorySegment src, long bytes) { MemorySegment.copy(src, 0, at(dst, bytes), 0, bytes); }

    @Override
    public void copyDeviceToHost(MemorySegment dst, long src, long bytes) {
        bytesToHost.addAndGet(bytes);
        MemorySegment.copy(at(src, bytes), 0, dst, 0, bytes);
    }

    /** Bytes copied device -> host so far: what an op read back to the host (a sync on a GPU). */
    final java.util.concurrent.atomic.AtomicLong bytesToHost = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void copyDeviceToDevice(long dst, long src, long bytes) { MemorySegment.copy(at(src, bytes), 0, at(dst, bytes), 0, bytes); }

    @Override
    public void memset(long dst, byte value, long bytes) { at(dst, bytes).fill(value); }

    @Override
    public void launch(String kernel, int grid, int blockX, int blockY, Object... args) {
        if (grid < 1 || blockX < 1 || blockY < 1 || (long) blockX * blockY > 1024 || Integer.bitCount(blockX) != 1) {
            throw new IllegalArgumentException("bad launch of " + kernel + ": grid " + grid + ", block " + blockX + "x" + blockY);
        }
        launched.add(kernel);
        kernels.launch(kernel, Math.min(grid, 2), Math.min(blockX, 4), Math.min(blockY, 2), args);
    }

    /** cuBLAS's argument checks (CUBLAS_STATUS_INVALID_VALUE), then the CPU GEMM on the column-major views. */
    @Override
    public void gemm(DType type, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda, long strideA,
                     long b, int ldb, long strideB, double beta, long c, int ldc, long strideC, int batch) {
        if (m < 0 || n < 0 || k < 0 || batch < 0 || lda < Math.max(1, transA ? k : m) || ldb < Math.max(1, transB ? n : k)
                || ldc < Math.max(1, m)) {
            throw new IllegalArgumentException("CUBLAS_STATUS_INVALID_VALUE: gemm m=" + m + " n=" + n + " k=" + k + " lda=" + lda + " ldb="
                    + ldb + " ldc=" + ldc + " transA=" + transA + " transB=" + transB);
        }
        products.add((transA ? "T" : "N") + (transB ? "T" : "N") + (batch > 1 ? " batched" : ""));
        MemorySegment all = MemorySegment.ofAddress(0).reinterpret(Long.MAX_VALUE);
        // column-major X(i, j) = X[i + j*ld]: row stride 1, column stride ld; a transposed operand swaps them
        long aRs = transA ? lda : 1, aCs = transA ? 1 : lda, bRs = transB ? ldb : 1, bCs = transB ? 1 : ldb;
        int es = type.byteSize();
        for (int p = 0; p < batch; p++) {
            long ao = a / es + p * strideA, bo = b / es + p * strideB, co = c / es + p * strideC;
            if (a % es != 0 || b % es != 0 || c % es != 0) throw new IllegalArgumentException("misaligned gemm operand");
            if (type == DType.FLOAT32) {
                Gemm.sgemm(m, n, k, (float) alpha, all, ao, aRs, aCs, all, bo, bRs, bCs, (float) beta, all, co, 1, ldc);
            } else {
                Gemm.dgemm(m, n, k, alpha, all, ao, aRs, aCs, all, bo, bRs, bCs, beta, all, co, 1, ldc);
            }
        }
    }

    @Override
    public void generate(DType type, long out, long n, boolean normal, double mean, double std, long seed, long offset) {
        if (normal && (n & 1) != 0) throw new IllegalArgumentException("curandGenerateNormal needs an even count, got " + n);
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + offset);
        MemorySegment s = at(out, n * type.byteSize());
        for (long i = 0; i < n; i += 2) {
            double u1 = 1 - r.nextDouble(), u2 = 1 - r.nextDouble(); // (0, 1] as cuRAND
            double v1 = u1, v2 = u2;
            if (normal) {
                double rad = Math.sqrt(-2 * Math.log(u1));
                v1 = mean + std * rad * Math.cos(2 * Math.PI * u2);
                v2 = mean + std * rad * Math.sin(2 * Math.PI * u2);
            }
            put(s, type, i, v1);
            if (i + 1 < n) put(s, type, i + 1, v2);
        }
    }

    private static void put(MemorySegment s, DType t, long i, double v) {
        if (t == DType.FLOAT32) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
        else s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
    }

    @Override
    public void synchronize() {}
}
