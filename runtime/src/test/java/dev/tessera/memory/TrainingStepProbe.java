package dev.tessera.memory;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.AdaptiveAvgPool2d;
import dev.tessera.nn.BatchNorm2d;
import dev.tessera.nn.Conv2d;
import dev.tessera.nn.Flatten;
import dev.tessera.nn.Linear;
import dev.tessera.nn.MaxPool2d;
import dev.tessera.nn.Module;
import dev.tessera.nn.ReLU;
import dev.tessera.nn.Sequential;
import dev.tessera.optim.SGD;
import dev.tessera.vision.ResNet;

/**
 * Run in a child JVM by {@link SteadyLoopMemoryTest}, or by hand: runs a loop with every tensor
 * owned by the GC (no scopes) and prints one line per step with its time and what its large blocks
 * cost: "step I ms T fresh F reused R collections C young Y full Z" (the last two: how the
 * collections were requested, see {@link GcNudge}), and the totals at the end: "nudges young Y full
 * F". A step is a training step of a small convnet
 * or ResNet-18 on a BATCHx3xSIZExSIZE input ("-none" appended: zeroGrad(true) before each step), or (matmul) 100 products of two SIZExSIZE matrices
 * whose results are dropped. Usage: {@code TrainingStepProbe cnn|cnn-none|resnet18|resnet18-none|matmul STEPS BATCH SIZE}.
 */
public final class TrainingStepProbe {
    private TrainingStepProbe() {}

    public static void main(String[] args) {
        // "cnn-none": the small convnet with zeroGrad(true), which drops the gradients every step;
        // "cnn-ballast": with 256 MB of other tensors alive throughout
        boolean setToNone = args[0].endsWith("-none"), ballast = args[0].endsWith("-ballast");
        String model = args[0].replaceAll("-(none|ballast)$", "");
        java.util.List<Tensor> kept = new java.util.ArrayList<>();
        if (ballast) for (int i = 0; i < 16; i++) kept.add(Torch.zeros(4L << 20)); // 16 x 16 MB
        int steps = Integer.parseInt(args[1]), batch = Integer.parseInt(args[2]), size = Integer.parseInt(args[3]);
        Torch.manualSeed(0);
        if (model.equals("matmul")) {
            matmulLoop(steps, size);
            printNudges();
            return;
        }
        Module net = model.equals("resnet18") ? ResNet.resnet18() : smallCnn();
        net.train();
        SGD opt = new SGD(net.parameters(), 0.01, 0.9);
        Tensor x = Torch.randn(batch, 3, size, size);
        Tensor target = Torch.randn(batch, model.equals("resnet18") ? 1000 : 10);
        for (int i = 0; i < steps; i++) {
            Allocator.BlockCounters before = Allocator.blockCounters();
            long t0 = System.nanoTime();
            opt.zeroGrad(setToNone);
            Tensor loss = net.forward(x).sub(target).pow(2).mean();
            loss.backward();
            opt.step();
            print(i, (System.nanoTime() - t0) / 1_000_000, Allocator.blockCounters().since(before));
        }
        printNudges();
        java.lang.ref.Reference.reachabilityFence(kept); // the ballast stays alive to the end
    }

    /** How the collections were asked for: "nudges young Y full F" ({@link GcNudge}). */
    private static void printNudges() {
        long[] c = GcNudge.counts();
        System.out.printf("nudges young %d full %d%n", c[0], c[1]);
    }

    private static void matmulLoop(int steps, int n) {
        Tensor a = Torch.randn(n, n), b = Torch.randn(n, n);
        for (int i = 0; i < steps; i++) {
            Allocator.BlockCounters before = Allocator.blockCounters();
            long t0 = System.nanoTime();
            for (int k = 0; k < 100; k++) a.matmul(b);
            print(i, (System.nanoTime() - t0) / 1_000_000, Allocator.blockCounters().since(before));
        }
    }

    private static long[] lastNudges = new long[2];

    private static void print(int step, long ms, Allocator.BlockCounters d) {
        long[] now = GcNudge.counts();
        System.out.printf("step %d ms %d fresh %d reused %d collections %d young %d full %d%n", step, ms, d.freshMappings(),
                d.pooledReuses(), d.collectionRequests(), now[0] - lastNudges[0], now[1] - lastNudges[1]);
        lastNudges = now;
    }

    /** Conv, batch norm, ReLU, pooling and a classifier: the layer kinds of a convnet's training step. */
    static Module smallCnn() {
        return new Sequential(
                new Conv2d(3, 32, 3, 1, 1, false), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1, false), new BatchNorm2d(64), new ReLU(),
                new AdaptiveAvgPool2d(1), new Flatten(), new Linear(64, 10));
    }
}
