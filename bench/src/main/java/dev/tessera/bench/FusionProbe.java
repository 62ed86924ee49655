package dev.tessera.bench;

import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.memory.Allocator;
import dev.tessera.nn.Functional;
import dev.tessera.optim.SGD;
import dev.tessera.vision.ResNet;
import java.util.Arrays;

/**
 * Fused against unfused batch norm + ReLU in one process: ResNet-18 training steps (forward,
 * backward, SGD with momentum) at 8x3x224x224 and 1x3x224x224 and eval forward at batch 1, the two
 * modes taking turns (-Dtessera.fuseBatchNorm flipped between runs, same model and data), so a
 * machine shared with other work slows both alike. Per round each mode runs {@code --reps} steps;
 * the round's ratio is unfused median / fused median (above 1: fusion is faster). Each step is
 * timed by wall clock and by the process's CPU time (all threads: less moved by other processes
 * taking the cores, though the pool's spinning and the JIT count in it).
 * {@code --ops} times the fused op alone instead, forward+backward at each of ResNet-18's batch-norm
 * shapes at batch 8, and sums them as one training step has them.
 * Usage: {@code FusionProbe [--rounds 5] [--reps 3] [--warmup 8] [--only train8|train1|eval1] [--ops [--shape NxCxHxW]] [--profile true|false]}.
 */
public final class FusionProbe {
    private FusionProbe() {}

    /** --profile true|false: every step fused (or every step unfused), for a profiler; the ratios then compare nothing. */
    private static Boolean profile;

    /** --shape NxCxHxW: --ops at this one shape only. */
    private static long[] opsShape;

    public static void main(String[] args) {
        int rounds = 5, reps = 3, warmup = 8;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                case "--ops" -> only = "ops";
                case "--shape" -> opsShape = Arrays.stream(args[++i].split("x")).mapToLong(Long::parseLong).toArray();
                case "--profile" -> profile = Boolean.parseBoolean(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.println("threads=" + Torch.getNumThreads() + " rounds=" + rounds + " reps=" + reps + " warmup=" + warmup);
        if ("ops".equals(only)) {
            ops(rounds, reps, warmup);
            return;
        }
        for (String work : new String[]{"train8", "train1", "eval1"}) {
            if (only == null || only.equals(work)) run(work, rounds, reps, warmup);
        }
    }

    private static void run(String work, int rounds, int reps, int warmup) {
        int batch = work.endsWith("8") ? 8 : 1;
        boolean train = work.startsWith("train");
        Torch.manualSeed(0);
        ResNet model = ResNet.resnet18();
        if (!train) model.eval();
        Tensor x = Torch.rand(batch, 3, 224, 224), target = Torch.rand(batch, 1000);
        SGD opt = new SGD(model.parameters(), 0.01, 0.9);
        Runnable step = train ? () -> {
            opt.zeroGrad();
            Functional.mseLoss(model.forward(x), target).backward();
            opt.step();
        } : () -> {
            try (NoGrad g = Torch.noGrad()) {
                model.forward(x);
            }
        };
        for (int i = 0; i < warmup; i++) {
            time(step, i % 2 == 0, 1);
        }
        double[] ratios = new double[rounds], cpuRatios = new double[rounds];
        double bestFused = Double.MAX_VALUE, bestPlain = Double.MAX_VALUE, bestFusedCpu = Double.MAX_VALUE, bestPlainCpu = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            boolean fusedFirst = r % 2 == 0;
            double[][] first = time(step, fusedFirst, reps), second = time(step, !fusedFirst, reps);
            double[][] fused = fusedFirst ? first : second, plain = fusedFirst ? second : first;
            ratios[r] = median(plain[0]) / median(fused[0]);
            cpuRatios[r] = median(plain[1]) / median(fused[1]);
            bestFused = Math.min(bestFused, min(fused[0]));
            bestPlain = Math.min(bestPlain, min(plain[0]));
            bestFusedCpu = Math.min(bestFusedCpu, min(fused[1]));
            bestPlainCpu = Math.min(bestPlainCpu, min(plain[1]));
            System.out.printf("%s round %d: wall unfused %s ms, fused %s ms, ratio %.3f; cpu unfused %s ms, fused %s ms, ratio %.3f%n",
                    work, r, fmt(plain[0]), fmt(fused[0]), ratios[r], fmt(plain[1]), fmt(fused[1]), cpuRatios[r]);
        }
        System.out.printf("%s wall: best unfused %.1f ms, best fused %.1f ms (%.3fx); per-round ratio median %.3f, range %.3f-%.3f%n",
                work, bestPlain, bestFused, bestPlain / bestFused, median(ratios), min(ratios), max(ratios));
        System.out.printf("%s cpu:  best unfused %.1f ms, best fused %.1f ms (%.3fx); per-round ratio median %.3f, range %.3f-%.3f%n",
                work, bestPlainCpu, bestFusedCpu, bestPlainCpu / bestFusedCpu, median(cpuRatios), min(cpuRatios), max(cpuRatios));
    }

    /**
     * relu(bn(x)) and relu(bn(x) + r), forward and backward, at ResNet-18's shapes (batch 8): per
     * shape the median of each round's runs, fused and unfused taking turns; the total weights each
     * shape by how often a training step runs it (stem once, two of each kind per stage).
     */
    private static void ops(int rounds, int reps, int warmup) {
        long[][] shapes = opsShape != null ? new long[][]{opsShape}
                : new long[][]{{8, 64, 112, 112}, {8, 64, 56, 56}, {8, 128, 28, 28}, {8, 256, 14, 14}, {8, 512, 7, 7}};
        double totalFused = 0, totalPlain = 0;
        for (int s = 0; s < shapes.length; s++) {
            for (boolean residual : s == 0 && opsShape == null ? new boolean[]{false} : new boolean[]{false, true}) {
                long[] shape = shapes[s];
                Torch.manualSeed(s);
                Tensor x = Torch.randn(shape).requiresGrad_(true), g = Torch.randn(shape);
                Tensor r = residual ? Torch.randn(shape).requiresGrad_(true) : null;
                Tensor w = Torch.rand(shape[1]).requiresGrad_(true), b = Torch.randn(shape[1]).requiresGrad_(true);
                Tensor rm = Torch.zeros(shape[1]), rv = Torch.ones(shape[1]);
                Runnable fused = () -> Functional.batchNormRelu(x, r, rm, rv, w, b, true, 0.1, 1e-5).backward(g);
                Runnable plain = () -> {
                    Tensor y = Functional.batchNorm(x, rm, rv, w, b, true, 0.1, 1e-5);
                    (r == null ? y : y.add_(r)).relu_().backward(g);
                };
                for (int i = 0; i < warmup; i++) {
                    fused.run();
                    plain.run();
                }
                double[] f = new double[rounds], p = new double[rounds];
                long[] fusedBlocks = new long[3], plainBlocks = new long[3];
                for (int round = 0; round < rounds; round++) {
                    boolean fusedFirst = round % 2 == 0;
                    double[] a = timeOnly(fusedFirst ? fused : plain, reps, fusedFirst ? fusedBlocks : plainBlocks);
                    double[] c = timeOnly(fusedFirst ? plain : fused, reps, fusedFirst ? plainBlocks : fusedBlocks);
                    f[round] = median(fusedFirst ? a : c);
                    p[round] = median(fusedFirst ? c : a);
                }
                double mf = median(f), mp = median(p);
                int times = s == 0 ? 1 : 2;
                totalFused += times * mf;
                totalPlain += times * mp;
                System.out.printf("%s %s: unfused %.2f ms, fused %.2f ms (%.2fx; rounds' medians %s vs %s; large blocks fresh/reused/"
                        + "GC requests unfused %s, fused %s)%n", Arrays.toString(shape), residual ? "bn+add+relu" : "bn+relu", mp, mf,
                        mp / mf, fmt(p), fmt(f), Arrays.toString(plainBlocks), Arrays.toString(fusedBlocks));
            }
        }
        System.out.printf("per ResNet-18 training step at batch 8: unfused %.1f ms, fused %.1f ms (%.2fx), saves %.1f ms%n", totalPlain,
                totalFused, totalPlain / totalFused, totalPlain - totalFused);
    }

    /** Milliseconds of each of n runs; adds the large-block counters (fresh, reused, GC requests) of the runs to blocks. */
    private static double[] timeOnly(Runnable work, int n, long[] blocks) {
        double[] ms = new double[n];
        Allocator.BlockCounters before = Allocator.blockCounters();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Allocator.BlockCounters d = Allocator.blockCounters().since(before);
        blocks[0] += d.freshMappings();
        blocks[1] += d.pooledReuses();
        blocks[2] += d.collectionRequests();
        return ms;
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** {wall ms, process CPU ms} of each of n steps with fusion on or off. */
    private static double[][] time(Runnable step, boolean fused, int n) {
        System.setProperty("tessera.fuseBatchNorm", Boolean.toString(profile != null ? profile : fused));
        double[][] ms = new double[2][n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime(), c0 = OS.getProcessCpuTime();
            step.run();
            ms[0][i] = (System.nanoTime() - t0) / 1e6;
            ms[1][i] = (OS.getProcessCpuTime() - c0) / 1e6;
        }
        return ms;
    }

    private static double min(double[] v) { return Arrays.stream(v).min().orElseThrow(); }

    private static double max(double[] v) { return Arrays.stream(v).max().orElseThrow(); }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) sb.append(sb.length() == 0 ? "" : "/").append(String.format("%.1f", d));
        return sb.toString();
    }
}
