package dev.tessera.ops.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One shared worker pool sized to the cores. Work is split into at most {@code numThreads}
 * contiguous chunks; the calling thread runs one of them itself.
 *
 * <p>Why not an {@code ExecutorService}: handing a task to another thread through an executor and
 * {@code Future.get} costs tens of microseconds, which is more than a whole 256x256 matmul
 * chunk. Workers here spin briefly on a volatile generation counter after each job and only then
 * park, so back-to-back kernels hand over work in about a microsecond.
 *
 * <p>Only one parallel region runs at a time: a call made while the pool is busy (from another
 * thread, or nested inside a body) runs inline on its caller, which is always correct.
 */
public final class Parallel {
    private Parallel() {}

    /** A body over a half-open index range {@code [from, to)}. */
    public interface RangeBody {
        void run(long from, long to);
    }

    /** How long an idle worker spins before parking. */
    private static final long SPIN_NANOS = 50_000;

    private static final ReentrantLock POOL_LOCK = new ReentrantLock();
    private static volatile int numThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static Worker[] workers = new Worker[0];

    /** The job being run; replaced (with a bumped generation) for every parallel region. */
    private static volatile Job current;

    /** Stands for "some other thread" when asking whether a segment may be touched by workers. */
    private static final Thread OTHER = new Thread(() -> {});

    /**
     * True when every segment may be accessed from pool threads; false when one belongs to a
     * confined arena, in which case kernels must stay on the calling thread.
     */
    public static boolean shareable(java.lang.foreign.MemorySegment a, java.lang.foreign.MemorySegment b,
            java.lang.foreign.MemorySegment c) {
        return a.isAccessibleBy(OTHER) && b.isAccessibleBy(OTHER) && c.isAccessibleBy(OTHER);
    }

    /** Sets the number of threads used by kernels (the caller counts as one). */
    public static void setNumThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("number of threads must be >= 1, got " + n);
        }
        POOL_LOCK.lock();
        try {
            numThreads = n;
        } finally {
            POOL_LOCK.unlock();
        }
    }

    public static int getNumThreads() {
        return numThreads;
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into {@code min(numThreads, ceil(n / grainSize))}
     * contiguous chunks of near-equal size. Runs inline when {@code n <= grainSize}, when one thread
     * is configured, or when the pool is already busy. The first exception thrown by any chunk is
     * rethrown on the caller after all chunks have finished.
     */
    public static void parallelFor(long n, long grainSize, RangeBody body) {
        parallelFor(n, grainSize, 1, body);
    }

    /**
     * As {@link #parallelFor(long, long, RangeBody)}, but cut into up to {@code piecesPerThread}
     * chunks per thread, which the threads claim one at a time: a thread that the OS keeps off its
     * core (a machine shared with other work), or a chunk that runs slower, then costs only a
     * small piece, as the others take over the rest. For kernels whose items are coarse and few
     * (the direct convolution at batch 1), where one chunk per thread left one thread idle.
     */
    public static void parallelFor(long n, long grainSize, int piecesPerThread, RangeBody body) {
        if (piecesPerThread < 1) {
            throw new IllegalArgumentException("pieces per thread must be >= 1, got " + piecesPerThread);
        }
        if (n < 0) {
            throw new IllegalArgumentException("range length must be >= 0, got " + n);
        }
        if (grainSize < 1) {
            throw new IllegalArgumentException("grain size must be >= 1, got " + grainSize);
        }
        if (n == 0) {
            return;
        }
        int threads = numThreads;
        long parts = (n + grainSize - 1) / grainSize;
        int helpers = (int) Math.min(threads, parts) - 1;
        if (helpers < 1 || POOL_LOCK.isHeldByCurrentThread() || !POOL_LOCK.tryLock()) {
            body.run(0, n);
            return;
        }
        try {
            runOnPool(n, (int) Math.min((long) threads * piecesPerThread, parts), helpers, body);
        } finally {
            POOL_LOCK.unlock();
        }
    }

    private static void runOnPool(long n, int chunks, int helpers, RangeBody body) {
        ensureWorkers(helpers);
        Job prev = current;
        Job job = new Job(prev == null ? 1 : prev.generation + 1, n, chunks, body);
        current = job;
        for (int i = 0; i < helpers; i++) {
            LockSupport.unpark(workers[i].thread);
        }
        job.work();
        // Wait for the helpers: they are usually spinning already, so spin first.
        long spins = 0;
        while (job.remaining.get() > 0) {
            if (++spins < 20_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        Throwable t = job.error;
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("parallel body failed", t);
        }
    }

    private static void ensureWorkers(int count) {
        if (workers.length >= count) {
            return;
        }
        Worker[] grown = java.util.Arrays.copyOf(workers, count);
        for (int i = workers.length; i < count; i++) {
            grown[i] = new Worker(i);
            grown[i].thread.start();
        }
        workers = grown;
    }

    private static final class Job {
        final long generation;
        final long n;
        final int chunks;
        final RangeBody body;
        final AtomicInteger nextChunk = new AtomicInteger();
        final AtomicInteger remaining;
        volatile Throwable error;

        Job(long generation, long n, int chunks, RangeBody body) {
            this.generation = generation;
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.remaining = new AtomicInteger(chunks);
        }

        /** Claims and runs chunks until none is left. */
        void work() {
            int c;
            while ((c = nextChunk.getAndIncrement()) < chunks) {
                long from = n * c / chunks;
                long to = n * (c + 1) / chunks;
                try {
                    body.run(from, to);
                } catch (Throwable t) {
                    if (error == null) {
                        error = t;
                    }
                } finally {
                    remaining.decrementAndGet();
                }
            }
        }
    }

    private static final class Worker implements Runnable {
        final Thread thread;

        Worker(int index) {
            thread = new Thread(this, "tessera-cpu-" + index);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                Job job = current;
                if (job != null && job.generation != seen) {
                    seen = job.generation;
                    job.work();
                    continue;
                }
                long start = System.nanoTime();
                while ((job = current) == null || job.generation == seen) {
                    if (System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(Parallel.class);
                    }
                }
            }
        }
    }
}
