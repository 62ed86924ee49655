package dev.tessera.bench;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.distributed.Distributed;
import dev.tessera.distributed.Work;

/**
 * Distributed.allReduce (float32 SUM, in place) timed like bench/src/main/c/allreduce.c: warm-up,
 * then the best of 5 rounds; run by scripts/bench-distributed under mpirun. Also times the async
 * form (queued on the MPI thread) for the hand-off cost. Prints "JAVA bytes microseconds".
 */
public final class AllReduceBench {
    private AllReduceBench() {}

    public static void main(String[] args) {
        Distributed.initProcessGroup("mpi");
        for (String a : args) {
            long bytes = Long.parseLong(a);
            int iters = bytes <= 4096 ? 2000 : bytes <= (1 << 20) ? 200 : 10;
            Tensor t = Torch.empty(new long[] {bytes / 4}, DType.FLOAT32);
            double best = Double.MAX_VALUE, bestAsync = Double.MAX_VALUE;
            for (int round = 0; round < 6; round++) {
                Distributed.barrier();
                long t0 = System.nanoTime();
                for (int k = 0; k < iters; k++) Distributed.allReduce(t);
                double us = (System.nanoTime() - t0) / 1e3 / iters;
                Distributed.barrier();
                t0 = System.nanoTime();
                for (int k = 0; k < iters; k++) {
                    Work w = Distributed.allReduceAsync(t);
                    w.await();
                }
                double usAsync = (System.nanoTime() - t0) / 1e3 / iters;
                if (round > 0) {
                    best = Math.min(best, us);
                    bestAsync = Math.min(bestAsync, usAsync);
                }
            }
            if (Distributed.rank() == 0) System.out.printf("JAVA %d %.3f %.3f%n", bytes, best, bestAsync);
        }
        Distributed.destroyProcessGroup();
    }
}
