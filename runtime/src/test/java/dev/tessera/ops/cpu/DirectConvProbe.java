package dev.tessera.ops.cpu;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.Functional;
import java.lang.foreign.MemorySegment;

/**
 * Manual comparison (not a test) of the direct convolution with the im2col + GEMM path of
 * Functional.conv2d at ResNet-18's four 3x3 stage shapes (batch 8 by default), forward,
 * backward-data and backward-weights, interleaved in one process so that a machine shared with
 * other work affects both alike: prints best-of times, direct's GFLOPS and the speed ratios. With
 * one thread it also prints both paths' GFLOPS per second of the thread's own CPU time, which a
 * busy machine disturbs far less than wall-clock time. Run
 * with the test classpath: {@code java --add-modules jdk.incubator.vector -cp
 * runtime/target/classes:runtime/target/test-classes dev.tessera.ops.cpu.DirectConvProbe [reps]
 * [batch] [threads] [filter]}; the filter keeps stages whose channel count it names.
 */
public final class DirectConvProbe {
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        if (args.length > 2) Parallel.setNumThreads(Integer.parseInt(args[2]));
        String only = args.length > 3 ? args[3] : "";
        int[][] stages = {{64, 56}, {128, 28}, {256, 14}, {512, 7}};
        System.out.printf("threads %d, batch %d, best of %d%n", Parallel.getNumThreads(), batch, reps);
        for (int[] s : stages) {
            if (!only.isEmpty() && !only.contains(Integer.toString(s[0]))) continue;
            stage(DirectConvShape.of(batch, s[0], s[1], s[1], s[0], 3, 1, 1, 1, 1), reps);
        }
    }

    private static void stage(DirectConvShape g, int reps) {
        Torch.manualSeed(1);
        Tensor x = Torch.randn(g.n(), g.c(), g.h(), g.w()), w = Torch.randn(g.o(), g.c(), g.kh(), g.kw()).mul(0.05);
        Tensor gout = Torch.randn(g.n(), g.o(), g.oh(), g.ow());
        Tensor out = Torch.empty(g.n(), g.o(), g.oh(), g.ow()), gx = Torch.empty(g.n(), g.c(), g.h(), g.w());
        Tensor gw = Torch.empty(g.o(), g.c(), g.kh(), g.kw());
        double[] best = new double[6], bestCpu = new double[6];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        java.util.Arrays.fill(bestCpu, Double.MAX_VALUE);
        for (int r = 0; r < reps; r++) {
            long[] t = new long[12];
            mark(t, 0);
            DirectConv.forward(seg(x), x.storageOffset(), seg(w), w.storageOffset(), null, 0, seg(out), 0, g);
            mark(t, 1);
            try (var scope = Torch.scope(); var ng = Torch.noGrad()) {
                Functional.conv2d(x, w, null, 1, 1);
            }
            mark(t, 2);
            DirectConv.backwardData(seg(gout), 0, seg(w), 0, seg(gx), 0, g);
            mark(t, 3);
            long[] im2colData = backward(x, w, gout, true);
            mark(t, 4);
            DirectConv.backwardWeights(seg(gout), 0, seg(x), 0, seg(gw), 0, null, 0, g);
            mark(t, 5);
            long[] im2colWeights = backward(x, w, gout, false);
            double[] now = {t[1] - t[0], t[2] - t[1], t[3] - t[2], im2colData[0], t[5] - t[4], im2colWeights[0]};
            double[] cpu = {t[7] - t[6], t[8] - t[7], t[9] - t[8], im2colData[1], t[11] - t[10], im2colWeights[1]};
            for (int i = 0; i < 6; i++) {
                best[i] = Math.min(best[i], now[i] / 1e6);
                bestCpu[i] = Math.min(bestCpu[i], cpu[i] / 1e6);
            }
        }
        String[] pass = {"forward", "backward-data", "backward-weights"};
        for (int i = 0; i < 3; i++) {
            System.out.printf("%3dch/%-3d %-17s direct %8.3f ms (%6.1f GFLOPS)  im2col %8.3f ms  im2col/direct %.2fx%n",
                    g.c(), g.h(), pass[i], best[2 * i], g.flops() / best[2 * i] / 1e6, best[2 * i + 1],
                    best[2 * i + 1] / best[2 * i]);
            if (Parallel.getNumThreads() == 1) {
                System.out.printf("%3dch/%-3d %-17s per CPU second: direct %6.1f GFLOPS  im2col %6.1f GFLOPS  ratio %.2fx%n",
                        g.c(), g.h(), pass[i], g.flops() / bestCpu[2 * i] / 1e6, g.flops() / bestCpu[2 * i + 1] / 1e6,
                        bestCpu[2 * i + 1] / bestCpu[2 * i]);
            }
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Wall-clock time into t[i] and the thread's CPU time into t[6 + i]. */
    private static void mark(long[] t, int i) {
        t[i] = System.nanoTime();
        t[6 + i] = THREADS.getCurrentThreadCpuTime();
    }

    /** Wall and thread-CPU nanoseconds of the im2col path's backward for the input (data) or the weight only. */
    private static long[] backward(Tensor x, Tensor w, Tensor gout, boolean data) {
        try (var scope = Torch.scope()) {
            Tensor xi = x.detach().requiresGrad_(data), wi = w.detach().requiresGrad_(!data);
            Tensor y = Functional.conv2d(xi, wi, null, 1, 1);
            long t0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
            y.backward(gout);
            return new long[] {System.nanoTime() - t0, THREADS.getCurrentThreadCpuTime() - c0};
        }
    }

    private static MemorySegment seg(Tensor t) { return t.strided().segment(); }
}
