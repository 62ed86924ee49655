package dev.tessera.bench;

import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.Functional;
import dev.tessera.ops.Backend;
import dev.tessera.ops.ConvGeometry;
import dev.tessera.ops.Dispatcher;
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

    /** -Dtessera.bench.trace=true prints every warm-up and timed run to stderr. */
    private static final boolean TRACE = Boolean.getBoolean("tessera.bench.trace");

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
            Tensor positive = x.abs().add(0.01);
            works.add(new Work("log", len, () -> positive.log()));
            works.add(new Work("tanh", len, () -> x.tanh()));
        }
        // NumPy has no convolution: these rows compare with PyTorch only.
        int side = quick ? 8 : 56;
        convWorks(works, quick);
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
        // The batches people train with (issue 10's targets): inference in eval mode, a training
        // step's forward and backward in train mode (batch statistics), at 8x3x224x224 and 32x3x64x64.
        ResNet trained = ResNet.resnet18();
        trained.train();
        for (int[] nSide : quick ? new int[][] {{2, 32}} : new int[][] {{8, 224}, {32, 64}}) {
            Tensor batch = Buffers.randomF32(8, nSide[0], 3, nSide[1], nSide[1]);
            works.add(new Work("resnet18_fwd_n" + nSide[0], nSide[1], () -> {
                try (NoGrad g = Torch.noGrad()) {
                    model.forward(batch);
                }
            }));
            works.add(new Work("resnet18_train_n" + nSide[0], nSide[1], () -> {
                trained.zeroGrad(true);
                trained.forward(batch).sum().backward();
            }));
        }
        for (Work w : works) {
            if (!only.isEmpty() && java.util.Arrays.stream(only.split(",")).noneMatch(w.name::startsWith)) continue;
            System.out.printf("%s,%d,%.9f%n", w.name, w.size, best(w.run, reps));
        }
    }

    /** ResNet-18's four 3x3 stage shapes (channels, side); {@code --quick} keeps the smallest, tiny. */
    static final int[][] STAGES = {{64, 56}, {128, 28}, {256, 14}, {512, 7}};

    /**
     * conv2d 3x3 (stride 1, padding 1, no bias) forward, backward-data and backward-weights at each
     * stage shape, batch 1 and 8: {@code conv3x3_fwd_n1_c64} at size 56 and so on. Forward is the
     * public {@code Functional.conv2d} under no-grad; the backward works call the device backend's
     * {@code conv2dBackward} for one gradient, into a fresh output as autograd's ConvolutionBackward0
     * does, so they time the op (reorders, kernels, allocation) without the engine around it, as
     * bench-compare.py times PyTorch's {@code aten.convolution_backward} with the same output mask.
     */
    static void convWorks(List<Work> works, boolean quick) {
        int[][] stages = quick ? new int[][] {{16, 8}} : STAGES;
        int seed = 100;
        for (int batch : new int[] {1, 8}) {
            for (int[] st : stages) {
                int c = st[0], side = st[1];
                Tensor x = Buffers.randomF32(seed++, batch, c, side, side);
                Tensor w = Buffers.randomF32(seed++, c, c, 3, 3).mul_(0.05);
                Tensor gout = Buffers.randomF32(seed++, batch, c, side, side);
                ConvGeometry geo = new ConvGeometry(batch, c, side, side, c, 3, 3, 1, 1, 1, 1, 1, 1, 1, side, side);
                Backend backend = Dispatcher.backend(x.device());
                String tag = "_n" + batch + "_c" + c;
                works.add(new Work("conv3x3_fwd" + tag, side, () -> {
                    try (NoGrad g = Torch.noGrad()) {
                        Functional.conv2d(x, w, null, 1, 1);
                    }
                }));
                works.add(new Work("conv3x3_bwd_data" + tag, side, () -> {
                    Tensor gx = Dispatcher.output(x.shapeArray(), x.dtype(), x.device());
                    backend.conv2dBackward(geo, gout.strided(), x.strided(), w.strided(), gx.strided(), null);
                }));
                works.add(new Work("conv3x3_bwd_weight" + tag, side, () -> {
                    Tensor gw = Dispatcher.output(w.shapeArray(), w.dtype(), w.device());
                    backend.conv2dBackward(geo, gout.strided(), x.strided(), w.strided(), null, gw.strided());
                }));
            }
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
     * means: at least 2 s and 10 runs, and two windows of 10 runs in a row in which the JIT compiled
     * nothing and the best time did not improve by more than 3% on the best before them (capped at
     * 40 s). ResNet-18 forward-backward reaches dozens of kernels and needs 20-40 runs (6-12 s on 2
     * cores, C2 sharing them with the work) before it stops improving. One window without
     * improvement used to be enough, and on a busy machine a slow window came early: the batch-1
     * conv2d was timed at 2.4-3.3 ms while C2 was still compiling its OSR code (0.8 ms once
     * compiled), so a window only counts while the compile time stands still.
     */
    static double best(Runnable r, int reps) {
        waitForQuietCompiler();
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean jitTimes = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        long warmEnd = start + (quickWarmup ? 50_000_000L : 2_000_000_000L);
        long warmCap = start + (quickWarmup ? 200_000_000L : 40_000_000_000L);
        int window = quickWarmup ? 3 : 10;
        double before = Double.MAX_VALUE, latest = Double.MAX_VALUE;
        int inWindow = 0, quietWindows = 0;
        long compiled = jitTimes ? jit.getTotalCompilationTime() : 0;
        while (System.nanoTime() < warmCap) {
            long t = System.nanoTime();
            r.run();
            if (TRACE) System.err.printf("warm %.3f ms at %.3f s%n", (System.nanoTime() - t) / 1e6, (System.nanoTime() - start) / 1e9);
            latest = Math.min(latest, (System.nanoTime() - t) / 1e9);
            if (++inWindow < window) continue;
            long nowCompiled = jitTimes ? jit.getTotalCompilationTime() : 0;
            boolean quiet = latest >= before * 0.97 && nowCompiled == compiled;
            quietWindows = quiet ? quietWindows + 1 : 0;
            compiled = nowCompiled;
            before = Math.min(before, latest);
            latest = Double.MAX_VALUE;
            inWindow = 0;
            if (quietWindows >= (quickWarmup ? 1 : 2) && System.nanoTime() >= warmEnd) break;
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            r.run();
            if (TRACE) System.err.printf("timed %.3f ms%n", (System.nanoTime() - t) / 1e6);
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return best;
    }
}
