package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @AfterEach
    void reset() {
        Parallel.setNumThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void coversEveryIndexExactlyOnce() {
        for (int threads : new int[] {1, 2, 3, 8}) {
            Parallel.setNumThreads(threads);
            assertEquals(threads, Parallel.getNumThreads());
            for (int n : new int[] {0, 1, 2, 7, 1000}) {
                for (long grain : new long[] {1, 3, 5000}) {
                    AtomicIntegerArray seen = new AtomicIntegerArray(n);
                    Parallel.parallelFor(n, grain, (f, t) -> {
                        for (long i = f; i < t; i++) seen.incrementAndGet((int) i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, seen.get(i), "threads=" + threads + " n=" + n + " i=" + i);
                }
            }
        }
    }

    @Test
    void piecesCoverEveryIndexExactlyOnceInSmallerChunks() {
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setNumThreads(threads);
            for (int n : new int[] {0, 1, 5, 16, 1000}) {
                for (int pieces : new int[] {1, 4}) {
                    AtomicIntegerArray seen = new AtomicIntegerArray(n);
                    AtomicLong largest = new AtomicLong();
                    Parallel.parallelFor(n, 1, pieces, (f, t) -> {
                        largest.accumulateAndGet(t - f, Math::max);
                        for (long i = f; i < t; i++) seen.incrementAndGet((int) i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, seen.get(i), "threads=" + threads + " n=" + n + " i=" + i);
                    // more than one thread: the range is cut into threads * pieces chunks (as many as there are items)
                    long chunks = threads == 1 ? 1 : Math.min((long) threads * pieces, n);
                    if (n > 0) assertEquals((n + chunks - 1) / chunks, largest.get(), "threads=" + threads + " n=" + n);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Parallel.parallelFor(4, 1, 0, (f, t) -> {}));
    }

    @Test
    void smallWorkStaysOnCaller() {
        Thread caller = Thread.currentThread();
        Parallel.parallelFor(100, 100, (f, t) -> {
            assertSame(caller, Thread.currentThread());
            assertEquals(0, f);
            assertEquals(100, t);
        });
    }

    @Test
    void usesOtherThreadsAndSplitsEvenly() {
        Parallel.setNumThreads(2);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicLong total = new AtomicLong();
        for (int rep = 0; rep < 50; rep++) {
            Parallel.parallelFor(1000, 1, (f, t) -> {
                threads.add(Thread.currentThread());
                assertEquals(500, t - f);
                LockSupport.parkNanos(200_000); // long enough for the worker to claim the other chunk
                total.addAndGet(t - f);
            });
        }
        assertEquals(50_000, total.get());
        assertTrue(threads.size() >= 2 || Runtime.getRuntime().availableProcessors() == 1, "threads used: " + threads);
    }

    @Test
    void exceptionsPropagateToCaller() {
        Parallel.setNumThreads(4);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.parallelFor(4, 1, (f, t) -> {
            if (f == 3) throw new IllegalStateException("chunk " + f);
        }));
        assertEquals("chunk 3", e.getMessage());
        assertThrows(AssertionError.class, () -> Parallel.parallelFor(4, 1, (f, t) -> {
            throw new AssertionError("boom");
        }));
        // The pool still works afterwards.
        AtomicLong sum = new AtomicLong();
        Parallel.parallelFor(100, 1, (f, t) -> sum.addAndGet(t - f));
        assertEquals(100, sum.get());
    }

    @Test
    void nestedAndConcurrentCallsAreCorrect() throws Exception {
        AtomicLong sum = new AtomicLong();
        Parallel.parallelFor(8, 1, (f, t) -> {
            for (long i = f; i < t; i++) Parallel.parallelFor(10, 1, (g, u) -> sum.addAndGet(u - g));
        });
        assertEquals(80, sum.get());
        AtomicLong total = new AtomicLong();
        Thread[] callers = new Thread[4];
        for (int c = 0; c < callers.length; c++) {
            callers[c] = new Thread(() -> {
                for (int rep = 0; rep < 200; rep++) Parallel.parallelFor(64, 1, (f, t) -> total.addAndGet(t - f));
            });
            callers[c].start();
        }
        for (Thread t : callers) t.join();
        assertEquals(4 * 200 * 64, total.get());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setNumThreads(0));
        assertThrows(IllegalArgumentException.class, () -> Parallel.parallelFor(-1, 1, (f, t) -> {}));
        assertThrows(IllegalArgumentException.class, () -> Parallel.parallelFor(1, 0, (f, t) -> {}));
    }
}
