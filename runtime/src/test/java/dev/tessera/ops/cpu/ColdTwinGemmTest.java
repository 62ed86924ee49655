package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plain-Java twins that run while the vector micro-kernels are not compiled yet must give the
 * same bits as the vector kernels (a program's results must not depend on how warm its JVM was):
 * every path of Sgemm (row-major A as rows, transposed A as slivers, few-column panels, k past KC
 * so blocks accumulate, alpha and beta, one thread and the pool), twin against vector.
 */
class ColdTwinGemmTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private final Arena arena = Arena.ofShared();
    private final Random rnd = new Random(7);

    @AfterEach
    void restore() {
        Sgemm.TIER.pin(true);
        Sgemm.TIER.unpin();
        Parallel.setNumThreads(Runtime.getRuntime().availableProcessors());
        arena.close();
    }

    private MemorySegment random(long elements) {
        MemorySegment s = arena.allocate(elements * 4, 64);
        for (long i = 0; i < elements; i++) s.setAtIndex(F, i, (float) (rnd.nextGaussian() * (1 + i % 3)));
        return s;
    }

    /** C from Sgemm with the tier pinned to {@code vector}; C starts as {@code c0}. */
    private float[] run(boolean vector, int m, int n, int k, boolean ta, float alpha, float beta, MemorySegment a,
            MemorySegment b, float[] c0) {
        Sgemm.TIER.pin(vector);
        MemorySegment c = arena.allocate((long) m * n * 4, 64);
        MemorySegment.copy(c0, 0, c, F, 0, c0.length);
        long aRs = ta ? 1 : k, aCs = ta ? m : 1;
        Sgemm.gemm(m, n, k, alpha, a, 0, aRs, aCs, b, 0, n, 1, beta, c, 0, n, 1);
        assertEquals(vector, Sgemm.TIER.vectorReady(), "the tier changed during the call");
        return c.toArray(F);
    }

    private void same(int m, int n, int k, boolean ta, float alpha, float beta) {
        MemorySegment a = random((long) m * k), b = random((long) k * n);
        float[] c0 = random((long) m * n).toArray(F);
        float[] twin = run(false, m, n, k, ta, alpha, beta, a, b, c0);
        float[] vector = run(true, m, n, k, ta, alpha, beta, a, b, c0);
        for (int i = 0; i < twin.length; i++) {
            if (Float.floatToRawIntBits(twin[i]) != Float.floatToRawIntBits(vector[i])) {
                throw new AssertionError(String.format("%dx%dx%d ta=%b alpha=%s beta=%s: element (%d, %d) twin %s, vector %s",
                        m, n, k, ta, alpha, beta, i / n, i % n, twin[i], vector[i]));
            }
        }
    }

    @Test
    void twinsGiveTheVectorKernelsBits() {
        for (int threads : new int[] {1, Runtime.getRuntime().availableProcessors()}) {
            Parallel.setNumThreads(threads);
            for (boolean ta : new boolean[] {false, true}) {
                same(131, 200, 77, ta, 1f, 0f);      // edge slivers in m and n, k not a multiple of anything
                same(64, 96, 1100, ta, 1f, 0f);      // k past KC: blocks accumulate through beta = 1
                same(37, 130, 300, ta, 0.5f, 2f);    // alpha and beta
                same(300, 100, 64, ta, 1f, 0f);      // few columns: rows times panel
                same(7, 5, 3, ta, 1f, 1f);           // fewer steps than a probe
            }
        }
    }

    @Test
    void coldCallsSwitchToTheVectorKernelOnceItIsFast() {
        Sgemm.TIER.pin(false);
        Sgemm.TIER.unpin();
        MemorySegment a = random(192L * 256), b = random(256L * 256);
        MemorySegment c = arena.allocate(192L * 256 * 4, 64);
        // the vector kernel is compiled by now (earlier tests ran it): a few cold calls see it win
        for (int i = 0; i < 200 && !Sgemm.TIER.vectorReady(); i++) {
            Sgemm.gemm(192, 256, 256, 1f, a, 0, 256, 1, b, 0, 256, 1, 0f, c, 0, 256, 1);
        }
        assertTrue(Sgemm.TIER.vectorReady(), "cold calls never switched to the vector kernel");
    }
}
