package dev.tessera.bench;

import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.Functional;
import dev.tessera.vision.ResNet;
import java.util.ArrayList;
import java.util.List;

/**
 * Times, on Tessera tensors, the same work as scripts/bench-compare.py does on NumPy and PyTorch,
 * and prints CSV lines {@code work,size,seconds} with the best of N runs after a warm-up. Usage:
 * {@code CompareMain [--reps N] [--threads T] [--quick] [--only PREFIX,PREFIX...]}.
 */
public final class CompareMain {
    private CompareMain() {}

    /** One timed work item. */
    record Work(String name, long size, Runnable run) {}

    private static boolean quickWarmup;

    public static void main(String[] args) {
        int reps = 20;
        boolean quick = false;
        String only = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--threads" -> Torch.setNumThreads(Integer.parseInt(args[++i]));
                case "--only" -> only = args[++i];
                case "--quick" -> {
                    quick = true;
                    quickWarmup = true;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Work> works = new ArrayList<>();
        int[] sizes = quick ? new int[] {64, 128} : new int[] {256, 512, 1024, 2048};
        for (int n : sizes) {
            Tensor a = Buffers.randomF32(1, n, n), b = Buffers.randomF32(2, n, n);
            Tensor bs = b.narrow(1, 0, MatmulBench.SKINNY).contiguous();
            Tensor c = Torch.empty(n, n), cs = Torch.empty(n, MatmulBench.SKINNY);
            works.add(new Work("matmul", n, () -> Torch.mm(a, b, c)));
            works.add(new Work("matmul_skinny", n, () -> Torch.mm(a, bs, cs)));
            works.add(new Work("matmul_tA", n, () -> Torch.mm(a.t(), b, c)));
        }
        long[] lengths = quick ? new long[] {1 << 12} : new long[] {1 << 20, 1 << 24};
        for (long len : lengths) {
            Tensor x = Buffers.randomF32(3, len), y = Buffers.randomF32(4, len), o = Torch.empty(len);
            Tensor rows = x.view(-1, ReductionBench.SOFTMAX_COLS);
            works.add(new Work("add", len, () -> Torch.add(x, y, o)));
            works.add(new Work("mul", len, () -> Torch.mul(x, y, o)));
            works.add(new Work("relu", len, () -> Torch.relu(x, o)));
            works.add(new Work("sum", len, () -> x.sum()));
            works.add(new Work("softmax", len, () -> rows.softmax(1)));
        }
        // NumPy has no convolution: these rows compare with PyTorch only.
        int side = quick ? 8 : 56;
        Tensor fmap = Buffers.randomF32(5, 1, 64, side, side), weight = Buffers.randomF32(6, 64, 64, 3, 3).mul_(0.05);
        works.add(new Work("conv2d_3x3", side, () -> {
            try (NoGrad g = Torch.noGrad()) {
                Functional.conv2d(fmap, weight, null, 1, 1);
            }
        }));
        Torch.manualSeed(0);
        ResNet model = ResNet.resnet18();
        model.eval();
        Tensor image = Buffers.randomF32(7, 1, 3, 4 * side, 4 * side);
        works.add(new Work("resnet18_fwd", 4 * side, () -> {
            try (NoGrad g = Torch.noGrad()) {
                model.forward(image);
            }
        }));
        works.add(new Work("resnet18_fwdbwd", 4 * side, () -> {
            model.zeroGrad(true);
            model.forward(image).sum().backward();
        }));
        for (Work w : works) {
            if (!only.isEmpty() && java.util.Arrays.stream(only.split(",")).noneMatch(w.name::startsWith)) continue;
            System.out.printf("%s,%d,%.9f%n", w.name, w.size, best(w.run, reps));
        }
    }

    /**
     * Waits (up to 10 s) until the JIT compilers have been idle for 300 ms, so that compilations
     * queued by setting up the inputs or by the previous work do not compete with this one: on 2
     * cores a busy compiler thread took a core from the first work measured (softmax 1M at 0.3 to
     * 1.0 ms depending on where it stood in the list).
     */
    static void waitForQuietCompiler() {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported() || quickWarmup) return;
        long end = System.nanoTime() + 10_000_000_000L;
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 3 && System.nanoTime() < end) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    /**
     * Warms up until the JIT has settled, then returns the best of {@code reps} timed runs. Settled
     * means: at least 1 s and 10 runs, and the best time of the latest 10 runs within 3% of the best
     * seen before them (capped at 40 s). ResNet-18 forward-backward reaches dozens of kernels and
     * needs 20-40 runs (6-12 s on 2 cores, C2 sharing them with the work) before it stops improving;
     * a fixed warm-up measured it at half speed after other works had filled the compile queue.
     */
    static double best(Runnable r, int reps) {
        waitForQuietCompiler();
        long start = System.nanoTime();
        long warmEnd = start + (quickWarmup ? 50_000_000L : 1_000_000_000L);
        long warmCap = start + (quickWarmup ? 200_000_000L : 40_000_000_000L);
        int window = quickWarmup ? 3 : 10;
        double before = Double.MAX_VALUE, latest = Double.MAX_VALUE;
        int inWindow = 0;
        while (System.nanoTime() < warmCap) {
            long t = System.nanoTime();
            r.run();
            latest = Math.min(latest, (System.nanoTime() - t) / 1e9);
            if (++inWindow < window) continue;
            boolean settled = latest >= before * 0.97 && System.nanoTime() >= warmEnd;
            before = Math.min(before, latest);
            latest = Double.MAX_VALUE;
            inWindow = 0;
            if (settled) break;
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
