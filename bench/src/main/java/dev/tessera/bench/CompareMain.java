package dev.tessera.bench;

import dev.tessera.ops.cpu.Gemm;
import dev.tessera.ops.cpu.Parallel;
import dev.tessera.ops.cpu.VectorKernels;
import dev.tessera.ops.cpu.VectorKernels.UnaryKind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Times the same work as scripts/bench-compare.py (NumPy / PyTorch) and prints CSV lines
 * {@code work,size,seconds} with the best of N runs after a warm-up. Usage:
 * {@code CompareMain [--reps N] [--threads T] [--quick]}.
 */
public final class CompareMain {
    private CompareMain() {}

    /** One timed work item. */
    record Work(String name, long size, Runnable run) {}

    private static boolean quickWarmup;

    public static void main(String[] args) {
        int reps = 20;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--threads" -> Parallel.setNumThreads(Integer.parseInt(args[++i]));
                case "--quick" -> {
                    quick = true;
                    quickWarmup = true;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Arena arena = Arena.ofShared();
        List<Work> works = new ArrayList<>();
        int[] sizes = quick ? new int[] {64, 128} : new int[] {256, 512, 1024, 2048};
        for (int n : sizes) {
            MemorySegment a = Buffers.randomF32(arena, (long) n * n, 1);
            MemorySegment b = Buffers.randomF32(arena, (long) n * n, 2);
            MemorySegment c = arena.allocate((long) n * n * 4, 64);
            int s = MatmulBench.SKINNY;
            works.add(new Work("matmul", n, () -> Gemm.sgemm(n, n, n, 1f, a, 0, n, 1, b, 0, n, 1, 0f, c, 0, n, 1)));
            works.add(new Work("matmul_skinny", n, () -> Gemm.sgemm(n, s, n, 1f, a, 0, n, 1, b, 0, s, 1, 0f, c, 0, s, 1)));
            works.add(new Work("matmul_tA", n, () -> Gemm.sgemm(n, n, n, 1f, a, 0, 1, n, b, 0, n, 1, 0f, c, 0, n, 1)));
        }
        long[] lengths = quick ? new long[] {1 << 12} : new long[] {1 << 20, 1 << 24};
        for (long len : lengths) {
            MemorySegment x = Buffers.randomF32(arena, len, 3);
            MemorySegment y = Buffers.randomF32(arena, len, 4);
            MemorySegment o = arena.allocate(len * 4, 64);
            works.add(new Work("add", len, () -> VectorKernels.addF32(x, 0, y, 0, o, 0, len)));
            works.add(new Work("mul", len, () -> VectorKernels.mulF32(x, 0, y, 0, o, 0, len)));
            works.add(new Work("relu", len, () -> VectorKernels.unaryF32(UnaryKind.RELU, x, 0, o, 0, len)));
            works.add(new Work("sum", len, () -> VectorKernels.sumF32(x, 0, len)));
            works.add(new Work("softmax", len, () -> Softmax.rowsF32(x, o, len / ReductionBench.SOFTMAX_COLS,
                    ReductionBench.SOFTMAX_COLS)));
        }
        for (Work w : works) {
            System.out.printf("%s,%d,%.9f%n", w.name, w.size, best(w.run, reps));
        }
    }

    /** Warm up for at least 1 s (C2 must finish the kernels), then the best of {@code reps} timed runs. */
    static double best(Runnable r, int reps) {
        long warmEnd = System.nanoTime() + (quickWarmup ? 50_000_000L : 1_000_000_000L);
        int warm = 0;
        while (warm < 3 || System.nanoTime() < warmEnd) {
            r.run();
            warm++;
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            r.run();
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return best;
    }
}
