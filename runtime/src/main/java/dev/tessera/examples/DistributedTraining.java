package dev.tessera.examples;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.distributed.Distributed;
import dev.tessera.distributed.DistributedSampler;
import dev.tessera.distributed.ReduceOp;
import dev.tessera.nn.BatchNorm2d;
import dev.tessera.nn.Conv2d;
import dev.tessera.nn.Flatten;
import dev.tessera.nn.Functional;
import dev.tessera.nn.Linear;
import dev.tessera.nn.MaxPool2d;
import dev.tessera.nn.Module;
import dev.tessera.nn.ReLU;
import dev.tessera.nn.Sequential;
import dev.tessera.nn.SyncBatchNorm;
import dev.tessera.nn.parallel.DistributedDataParallel;
import dev.tessera.optim.SGD;
import dev.tessera.vision.ResNet;

/**
 * Data-parallel training on synthetic data: {@code scripts/launch -n 2
 * dev.tessera.examples.DistributedTraining [cnn|resnet] [steps]}. Every rank holds the same
 * synthetic dataset (seeded), takes its share through a DistributedSampler, trains a small CNN or
 * ResNet-18 (32x32 inputs, 10 classes, SyncBatchNorm) under DistributedDataParallel, and rank 0
 * prints the loss averaged over ranks at every step.
 */
public final class DistributedTraining {
    private DistributedTraining() {}

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "cnn";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Distributed.initProcessGroup("mpi");
        int rank = Distributed.rank(), world = Distributed.worldSize();
        int localBatch = 8, samples = localBatch * world * 4;

        Torch.manualSeed(0); // the same dataset on every rank
        Tensor images = Torch.randn(samples, 3, 32, 32);
        // learnable labels: the strongest of 10 fixed random projections of the image
        Tensor labels = images.flatten(1, -1).matmul(Torch.randn(3 * 32 * 32, 10)).argmax(1);

        Module net = switch (model) {
            case "cnn" -> new Sequential(new Conv2d(3, 16, 3, 1, 1), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
                    new Conv2d(16, 32, 3, 1, 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2), new Flatten(),
                    new Linear(32 * 8 * 8, 10));
            case "resnet" -> new ResNet(new int[] {2, 2, 2, 2}, 10);
            default -> throw new IllegalArgumentException("model must be cnn or resnet, got " + model);
        };
        DistributedDataParallel ddp = new DistributedDataParallel(SyncBatchNorm.convertSyncBatchnorm(net));
        SGD optim = new SGD(ddp.parameters(), model.equals("cnn") ? 0.002 : 0.01, 0.9);
        DistributedSampler sampler = new DistributedSampler(samples);
        if (rank == 0) {
            System.out.println(model + " on " + world + " ranks, " + Torch.getNumThreads() + " compute thread(s) each, local batch "
                    + localBatch + ", gradient buckets " + ddp.bucketSizes());
        }
        int step = 0;
        for (int epoch = 0; step < steps; epoch++) {
            sampler.setEpoch(epoch);
            long[] mine = sampler.indices();
            for (int b = 0; b + localBatch <= mine.length && step < steps; b += localBatch, step++) {
                long[] idx = java.util.Arrays.copyOfRange(mine, b, b + localBatch);
                Tensor index = Torch.tensor(idx);
                Tensor x = images.indexSelect(0, index), y = labels.indexSelect(0, index);
                long t0 = System.nanoTime();
                optim.zeroGrad();
                Tensor loss = Functional.crossEntropy(ddp.forward(x), y);
                loss.backward();
                optim.step();
                Tensor avg = loss.detach().clone();
                Distributed.allReduce(avg, ReduceOp.AVG);
                if (rank == 0) {
                    System.out.printf("epoch %d step %d loss %.6f (%.0f ms)%n", epoch, step, avg.item().doubleValue(),
                            (System.nanoTime() - t0) / 1e6);
                }
            }
        }
        Distributed.destroyProcessGroup();
    }
}
