package dev.tessera;

import dev.tessera.nn.Functional;
import dev.tessera.ops.cpu.Parallel;
import dev.tessera.optim.SGD;
import java.util.List;

/**
 * Gets the hot kernels compiled by C2 while the program is still building its model and inputs.
 *
 * <p>Why: the Vector API is only fast once C2 has compiled a kernel; interpreted or C1-compiled it
 * runs about a thousand times slower, and C2 compiles a method only after some hundreds of
 * invocations. A fresh JVM's first 512x512 matmul therefore spent seconds in slow GEMM micro-kernel
 * calls (each of 2 x 6 x 64 x 512 flops) before C2 took over, and ResNet-18's first training step took
 * 13-17 s. Here a daemon thread, started when {@link Torch} is first used, runs the same kernels on
 * tiny operands (cheap even when slow, so the invocation counts climb in milliseconds), then a small
 * convnet training step (convolution, batch norm, ReLU, pooling, residual add, linear, MSE, backward,
 * SGD) a few dozen times so the compiled code has seen the branches real shapes take.
 *
 * <p>It never touches the default random generator (a seeded program draws the same numbers), runs
 * its parallel regions inline (it never takes the worker pool from the program); its tensors are
 * small and GC-owned. It stops after a fixed amount of work or {@link #MAX_NANOS}, whichever comes
 * first.
 *
 * <p>Opt-in for now ({@code -Dtessera.warmup=true}): on the shared 2-core machine it was written
 * on (load 20-28 from concurrent builds) cold-start timings could not show a gain either way, since
 * a warm-up can only win by using a core the program leaves idle. Measure it on a quiet machine
 * with {@code scripts/bench-coldstart --java-flags -Dtessera.warmup=true} before turning it on.
 */
final class KernelWarmup {
    private KernelWarmup() {}

    private static final long MAX_NANOS = 5_000_000_000L;
    private static volatile Thread thread;

    static synchronized void start() {
        if (thread != null || !Boolean.getBoolean("tessera.warmup")) return;
        Thread t = new Thread(KernelWarmup::runNow, "tessera-warmup");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Waits for the warm-up to finish (for tests and benchmarks that want it out of the way). */
    static void await() throws InterruptedException {
        Thread t = thread;
        if (t != null) t.join();
    }

    /** The warm-up's work, on the calling thread. */
    static void runNow() {
        Parallel.runSerially(KernelWarmup::run);
    }

    private static Tensor values(long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return Torch.linspace(-1, 1, n).view(shape);
    }

    private static void run() {
        long deadline = System.nanoTime() + MAX_NANOS;
        try (var s = Torch.scope()) {
            gemms(deadline);
        }
        Tensor w1 = values(16, 16, 3, 3).mul(0.1).requiresGrad_(), w2 = values(32, 16, 3, 3).mul(0.1).requiresGrad_();
        Tensor wd = values(32, 16, 1, 1).mul(0.1).requiresGrad_(), fc = values(10, 32).mul(0.1).requiresGrad_();
        Tensor fcb = values(10).requiresGrad_(), g1 = Torch.ones(16).requiresGrad_(), b1 = Torch.zeros(16).requiresGrad_();
        Tensor g2 = Torch.ones(32).requiresGrad_(), b2 = Torch.zeros(32).requiresGrad_();
        Tensor m1 = Torch.zeros(16), v1 = Torch.ones(16), m2 = Torch.zeros(32), v2 = Torch.ones(32);
        SGD opt = new SGD(List.of(w1, w2, wd, fc, fcb, g1, b1, g2, b2), 1e-3, 0.9);
        Tensor x = values(2, 16, 16, 16), target = values(2, 10);
        // no scope here: the optimizer's momentum buffers, created by the first step, must outlive it
        for (int i = 0; i < 40 && System.nanoTime() < deadline; i++) {
            opt.zeroGrad();
            Tensor h = Functional.batchNorm(Functional.conv2d(x, w1, null, 1, 1), m1, v1, g1, b1, true, 0.1, 1e-5).relu();
            Tensor r = Functional.batchNorm(Functional.conv2d(h, w2, null, 2, 1), m2, v2, g2, b2, true, 0.1, 1e-5);
            Tensor y = r.add(Functional.conv2d(h, wd, null, 2, 0)).relu();
            Tensor p = Functional.maxPool2d(y, 3, 2, 1);
            Tensor out = Functional.linear(Functional.adaptiveAvgPool2d(p, 1).flatten(1, -1), fc, fcb);
            Functional.mseLoss(out, target).backward();
            opt.step();
        }
    }

    /** Tiny products of every operand layout: many cheap micro-kernel calls. */
    private static void gemms(long deadline) {
        long[][] shapes = {{6, 4, 64}, {12, 8, 128}, {7, 5, 70}, {24, 16, 64}};
        Tensor[][] ops = new Tensor[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            long m = shapes[i][0], k = shapes[i][1], n = shapes[i][2];
            ops[i] = new Tensor[] {values(m, k), values(k, n), values(k, m), values(n, k), Torch.empty(m, n)};
        }
        for (int rep = 0; rep < 400 && System.nanoTime() < deadline; rep++) {
            for (Tensor[] o : ops) {
                Torch.mm(o[0], o[1], o[4]);        // row-major A and B
                Torch.mm(o[2].t(), o[1], o[4]);    // transposed A
                Torch.mm(o[0], o[3].t(), o[4]);    // transposed B
            }
        }
    }
}
