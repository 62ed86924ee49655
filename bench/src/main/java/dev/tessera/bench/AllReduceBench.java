package dev.tessera.bench;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.distributed.Distributed;
import dev.tessera.distributed.Work;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Distributed.allReduce (float32 SUM, in place) timed like bench/src/main/c/allreduce.c: warm-up,
 * then the best of 5 rounds; run by scripts/bench-distributed under mpirun. The warm-up runs
 * 10 rounds' worth of calls first, so the Java path is compiled by C2 before anything is timed
 * (at 2000 calls a round the second round still ran C1's profiling code). Also times the async
 * form (queued on the MPI thread) for the hand-off cost. With {@code -Dbench.cLoop=PATH} (the
 * shared library built from allreduce_loop.c) each round also times the same loop in C inside this
 * process, on the same buffer, interleaved with the Java loop: the placement of the two ranks on
 * the cores moves small all-reduces by 3x between runs, so this is the like-for-like ratio.
 * Prints "JAVA bytes java_us async_us c_in_process_us" (the last -1 without the library).
 */
public final class AllReduceBench {
    private AllReduceBench() {}

    public static void main(String[] args) throws Throwable {
        Distributed.initProcessGroup("mpi");
        MethodHandle cLoop = null;
        String lib = System.getProperty("bench.cLoop");
        if (lib != null) {
            SymbolLookup l = SymbolLookup.libraryLookup(Path.of(lib), Arena.global());
            cLoop = Linker.nativeLinker().downcallHandle(l.find("allreduce_loop").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        }
        for (String a : args) {
            long bytes = Long.parseLong(a);
            int iters = Integer.getInteger("bench.iters", bytes <= 4096 ? 2000 : bytes <= (1 << 20) ? 200 : 10);
            Tensor t = Torch.empty(new long[] {bytes / 4}, DType.FLOAT32);
            MemorySegment seg = t.storage().segment();
            double best = Double.MAX_VALUE, bestAsync = Double.MAX_VALUE, bestC = Double.MAX_VALUE;
            int warm = bytes <= (1 << 20) ? 10 * iters : iters; // large messages: MPI time dominates, one round suffices
            for (int k = 0; k < warm; k++) {
                Distributed.allReduce(t);
                Distributed.allReduceAsync(t).await();
            }
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
                double usC = -1;
                if (cLoop != null) {
                    Distributed.barrier();
                    usC = (double) cLoop.invokeExact(seg, (int) (bytes / 4), iters);
                }
                if (round > 0) {
                    best = Math.min(best, us);
                    bestAsync = Math.min(bestAsync, usAsync);
                    if (cLoop != null) bestC = Math.min(bestC, usC);
                }
            }
            if (Distributed.rank() == 0) System.out.printf("JAVA %d %.3f %.3f %.3f%n", bytes, best, bestAsync, cLoop == null ? -1 : bestC);
        }
        Distributed.destroyProcessGroup();
    }
}
