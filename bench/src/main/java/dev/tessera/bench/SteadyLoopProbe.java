package dev.tessera.bench;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.memory.Allocator;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Looks for slow phases in a loop that drops its results ({@code a.matmul(b)} with nothing kept):
 * for each size it runs the loop for a while and prints the GFLOPS of every half-second window, the
 * best and the worst window, and what the window cost in fresh mappings, pooled reuses, collection
 * requests and GC time. Usage: {@code SteadyLoopProbe [--seconds S] [--sizes 256,512,1024]}.
 * Windows taken before {@code --warmup} seconds (default 2) are printed but left out of best/worst.
 */
public final class SteadyLoopProbe {
    private SteadyLoopProbe() {}

    /** With --control each size also runs {@code mm(a, b, out)} into one kept output: same kernel, no allocation. */
    private static boolean control;

    public static void main(String[] args) {
        double seconds = 10, warmup = 2;
        String sizes = "256,512,1024";
        boolean quiet = false;
        control = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--sizes" -> sizes = args[++i];
                case "--quiet" -> quiet = true;
                case "--control" -> control = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        for (String s : sizes.split(",")) {
            run(Integer.parseInt(s.trim()), seconds, warmup, quiet, false);
            if (control) run(Integer.parseInt(s.trim()), seconds, warmup, quiet, true);
        }
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) t += Math.max(0, b.getCollectionTime());
        return t;
    }

    private static void run(int n, double seconds, double warmup, boolean quiet, boolean intoOutput) {
        Tensor a = Buffers.randomF32(1, n, n), b = Buffers.randomF32(2, n, n), out = Torch.empty(n, n);
        String label = intoOutput ? "mm(a,b,out) n=" + n : "n=" + n;
        double flop = 2.0 * n * n * n;
        long start = System.nanoTime(), windowNanos = 500_000_000L;
        long windowStart = start, calls = 0;
        double best = 0, worst = Double.MAX_VALUE;
        Allocator.BlockCounters before = Allocator.blockCounters();
        long gcBefore = gcMillis();
        Allocator.BlockCounters steadyFrom = null;
        int window = 0;
        while (true) {
            if (intoOutput) Torch.mm(a, b, out);
            else a.matmul(b); // dropped: the block comes back only through the GC
            calls++;
            long now = System.nanoTime();
            if (now - windowStart < windowNanos) continue;
            double gflops = calls * flop / (now - windowStart);
            Allocator.BlockCounters c = Allocator.blockCounters();
            Allocator.BlockCounters d = c.since(before);
            long gc = gcMillis();
            boolean counted = (now - start) / 1e9 > warmup;
            if (counted) {
                best = Math.max(best, gflops);
                worst = Math.min(worst, gflops);
                if (steadyFrom == null) steadyFrom = before;
            }
            if (!quiet) {
                System.out.printf("%s window %2d%s %7.1f GFLOPS  calls %5d  fresh %5d  reused %5d  gc-requests %2d  unmapped %5d  gc %3d ms%n",
                        label, window, counted ? " " : "*", gflops, calls, d.freshMappings(), d.pooledReuses(), d.collectionRequests(),
                        d.unmappings(), gc - gcBefore);
            }
            window++;
            before = c;
            gcBefore = gc;
            calls = 0;
            windowStart = System.nanoTime();
            if ((windowStart - start) / 1e9 >= seconds) break;
        }
        Allocator.BlockCounters steady = Allocator.blockCounters().since(steadyFrom == null ? before : steadyFrom);
        System.out.printf("%s best %.1f worst %.1f GFLOPS (windows after %.0f s; * = warm-up); after warm-up: %d fresh mappings, "
                + "%d reuses, %d collection requests%n", label, best, worst, warmup, steady.freshMappings(), steady.pooledReuses(),
                steady.collectionRequests());
    }
}
