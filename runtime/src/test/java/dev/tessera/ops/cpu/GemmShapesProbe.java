package dev.tessera.ops.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Manual timing of the GEMM shapes that matter (not a test): best-of milliseconds for square,
 * skinny (n x n times n x 64) and the ResNet-18 layer1 im2col shape. Run with the test classpath:
 * {@code java --add-modules jdk.incubator.vector -cp runtime/target/classes:runtime/target/test-classes
 * dev.tessera.ops.cpu.GemmShapesProbe [reps]}.
 */
public final class GemmShapesProbe {
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String only = args.length > 1 ? args[1] : "";
        for (int n : new int[] {256, 512, 1024, 2048}) {
            if (only.isEmpty() || only.contains("skinny")) run("skinny", n, 64, n, false, false, reps);
        }
        if (only.isEmpty() || only.contains("conv")) {
            run("conv", 64, 3136, 576, false, false, reps);
            run("convGW", 64, 576, 3136, false, true, reps); // grad weight: gout @ cols^T
            run("convGX", 576, 3136, 64, true, false, reps); // grad input: W^T @ gout
            if (only.contains("more")) {
                run("convGWn", 64, 576, 3136, false, false, reps);
                Parallel.setNumThreads(1);
                run("convGW1", 64, 576, 3136, false, true, reps);
                run("convGWn1", 64, 576, 3136, false, false, reps);
                Parallel.setNumThreads(2);
            }
        }
        if (only.contains("wide")) {
            for (int n : new int[] {1024, 2048}) {
                run("skinny", n, 100, n, false, false, reps);
                run("skinny", n, 128, n, false, false, reps);
                run("skinny", n, 192, n, false, false, reps);
                run("skinnyT", n, 64, n, true, false, reps);
            }
        }
        if (only.isEmpty() || only.contains("linear")) {
            run("linear", 256, 1024, 1024, false, true, reps); // x @ W.t()
        }
        for (int n : new int[] {512, 2048}) {
            if (only.isEmpty() || only.contains("square")) run("square", n, n, n, false, false, reps);
        }
    }

    private static void run(String name, int m, int n, int k, boolean ta, boolean tb, int reps) {
        Arena arena = Arena.ofShared();
        MemorySegment a = arena.allocate((long) m * k * 4, 64), b = arena.allocate((long) k * n * 4, 64);
        MemorySegment c = arena.allocate((long) m * n * 4, 64);
        for (long i = 0; i < (long) m * k; i++) a.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i % 17) / 17f);
        for (long i = 0; i < (long) k * n; i++) b.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i % 13) / 13f);
        double best = Double.MAX_VALUE;
        int warm = Math.max(20, (int) (2e10 / (2.0 * m * n * k)));
        for (int r = 0; r < warm + reps; r++) {
            long t = System.nanoTime();
            Gemm.sgemm(m, n, k, 1f, a, 0, ta ? 1 : k, ta ? m : 1, b, 0, tb ? 1 : n, tb ? k : 1, 0f, c, 0, n, 1);
            if (r >= warm) best = Math.min(best, (System.nanoTime() - t) / 1e6);
        }
        System.out.printf("%-7s m=%d n=%d k=%d  %.3f ms  %.0f GFLOPS%n", name, m, n, k, best, 2.0 * m * n * k / best / 1e6);
    }
}
