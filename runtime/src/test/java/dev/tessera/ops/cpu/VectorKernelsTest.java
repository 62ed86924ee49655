package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ops.cpu.VectorKernels.BinaryKind;
import dev.tessera.ops.cpu.VectorKernels.UnaryKind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Vector kernels against the scalar definitions, on lengths around the vector width, empty, and parallel sizes. */
class VectorKernelsTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    /** Lengths: empty, below/at/above the vector width, and above the parallel crossover. */
    private static final long[] LENGTHS = {0, 1, 7, 15, 16, 17, 33, 64, 65, 1000, VectorKernels.PARALLEL_MIN_ELEMENTS * 2 + 5, 1_100_017};
    private static final int OFF = 3;
    private final Arena arena = Arena.ofShared();
    private final Random rnd = new Random(7);

    @AfterEach
    void close() {
        arena.close();
        Parallel.setNumThreads(Runtime.getRuntime().availableProcessors());
    }

    private MemorySegment f32(long n, double lo, double hi) {
        MemorySegment s = arena.allocate(4 * (n + OFF), 64);
        for (long i = 0; i < n + OFF; i++) s.setAtIndex(F, i, (float) (lo + (hi - lo) * rnd.nextDouble()));
        return s;
    }

    private MemorySegment f64(long n, double lo, double hi) {
        MemorySegment s = arena.allocate(8 * (n + OFF), 64);
        for (long i = 0; i < n + OFF; i++) s.setAtIndex(D, i, lo + (hi - lo) * rnd.nextDouble());
        return s;
    }

    @Test
    void binaryMatchesScalarBitForBit() {
        for (BinaryKind k : BinaryKind.values()) {
            for (long n : LENGTHS) {
                MemorySegment a = f32(n, -2, 2), b = f32(n, 0.5, 3), o = f32(n, 0, 1);
                VectorKernels.binaryF32(k, a, OFF, b, OFF, o, OFF, n);
                for (long i = 0; i < n; i++) {
                    float want = k.applyF32(a.getAtIndex(F, OFF + i), b.getAtIndex(F, OFF + i));
                    assertEquals(want, o.getAtIndex(F, OFF + i), k + " n=" + n + " i=" + i);
                }
                MemorySegment x = f64(n, -2, 2), y = f64(n, 0.5, 3), z = f64(n, 0, 1);
                VectorKernels.binaryF64(k, x, OFF, y, OFF, z, OFF, n);
                for (long i = 0; i < n; i++) {
                    assertEquals(k.applyF64(x.getAtIndex(D, OFF + i), y.getAtIndex(D, OFF + i)), z.getAtIndex(D, OFF + i));
                }
            }
        }
    }

    @Test
    void scalarBroadcastBothSides() {
        for (BinaryKind k : BinaryKind.values()) {
            for (long n : new long[] {0, 5, 16, 37}) {
                MemorySegment a = f32(n, 0.5, 2), o = f32(n, 0, 1);
                VectorKernels.binaryScalarF32(k, a, OFF, 1.5f, o, OFF, n);
                for (long i = 0; i < n; i++) assertEquals(k.applyF32(a.getAtIndex(F, OFF + i), 1.5f), o.getAtIndex(F, OFF + i));
                VectorKernels.scalarBinaryF32(k, 1.5f, a, OFF, o, OFF, n);
                for (long i = 0; i < n; i++) assertEquals(k.applyF32(1.5f, a.getAtIndex(F, OFF + i)), o.getAtIndex(F, OFF + i));
                MemorySegment x = f64(n, 0.5, 2), z = f64(n, 0, 1);
                VectorKernels.scalarBinaryF64(k, 1.5, x, OFF, z, OFF, n);
                for (long i = 0; i < n; i++) assertEquals(k.applyF64(1.5, x.getAtIndex(D, OFF + i)), z.getAtIndex(D, OFF + i));
            }
        }
    }

    @Test
    void rowColumnAndStridedBroadcasts() {
        int rows = 5, cols = 37;
        MemorySegment a = f32((long) rows * cols, -1, 1), row = f32(cols, 1, 2), col = f32(rows, 1, 2);
        MemorySegment o = f32((long) rows * cols, 0, 1);
        VectorKernels.binaryRowF32(BinaryKind.DIV, a, OFF, row, OFF, o, OFF, rows, cols);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) {
            assertEquals(a.getAtIndex(F, OFF + i * cols + j) / row.getAtIndex(F, OFF + j), o.getAtIndex(F, OFF + i * cols + j));
        }
        VectorKernels.binaryColF32(BinaryKind.SUB, a, OFF, col, OFF, o, OFF, rows, cols);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) {
            assertEquals(a.getAtIndex(F, OFF + i * cols + j) - col.getAtIndex(F, OFF + i), o.getAtIndex(F, OFF + i * cols + j));
        }
        // Strided: a transposed (cols x rows view of a) minus a row vector broadcast along dim 0, and
        // a column broadcast on the left side (stride 0 in the inner dimension of the first operand).
        long[] shape = {cols, rows};
        VectorKernels.binaryStridedF32(BinaryKind.SUB, shape, a, OFF, new long[] {1, cols}, col, OFF, new long[] {0, 1},
                o, OFF, new long[] {rows, 1});
        for (int j = 0; j < cols; j++) for (int i = 0; i < rows; i++) {
            assertEquals(a.getAtIndex(F, OFF + i * cols + j) - col.getAtIndex(F, OFF + i), o.getAtIndex(F, OFF + j * rows + i));
        }
        VectorKernels.binaryStridedF32(BinaryKind.SUB, new long[] {rows, cols}, col, OFF, new long[] {1, 0}, a, OFF,
                new long[] {cols, 1}, o, OFF, new long[] {cols, 1});
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) {
            assertEquals(col.getAtIndex(F, OFF + i) - a.getAtIndex(F, OFF + i * cols + j), o.getAtIndex(F, OFF + i * cols + j));
        }
        VectorKernels.binaryStridedF64(BinaryKind.ADD, new long[] {}, f64(1, 1, 1), OFF, new long[] {}, f64(1, 2, 2), OFF,
                new long[] {}, f64(1, 0, 0), OFF, new long[] {}); // rank 0 runs one element
        assertThrows(IllegalArgumentException.class, () -> VectorKernels.binaryStridedF32(BinaryKind.ADD, shape, a, 0,
                new long[] {1}, a, 0, new long[] {1, 1}, o, 0, new long[] {1, 1}));
    }

    @Test
    void unaryAgainstDoubleReference() {
        for (UnaryKind k : UnaryKind.values()) {
            boolean positive = k == UnaryKind.LOG || k == UnaryKind.SQRT;
            for (long n : LENGTHS) {
                MemorySegment a = f32(n, positive ? 0.01 : -8, 8), o = f32(n, 0, 1);
                VectorKernels.unaryF32(k, a, OFF, o, OFF, n);
                for (long i = 0; i < n; i++) {
                    double want = k.applyF64(a.getAtIndex(F, OFF + i));
                    float got = o.getAtIndex(F, OFF + i);
                    assertEquals(want, got, 2e-6 * Math.abs(want) + 1e-37, k + " n=" + n + " x=" + a.getAtIndex(F, OFF + i));
                }
                MemorySegment x = f64(Math.min(n, 1000), positive ? 0.01 : -8, 8), z = f64(Math.min(n, 1000), 0, 1);
                VectorKernels.unaryF64(k, x, OFF, z, OFF, Math.min(n, 1000));
                for (long i = 0; i < Math.min(n, 1000); i++) {
                    double want = k.applyF64(x.getAtIndex(D, OFF + i));
                    assertEquals(want, z.getAtIndex(D, OFF + i), 1e-14 * Math.abs(want) + 1e-300, k.toString());
                }
            }
        }
        MemorySegment nan = f32(20, 0, 1);
        nan.setAtIndex(F, OFF + 2, Float.NaN);
        VectorKernels.reluF32(nan, OFF, nan, OFF, 20);
        assertTrue(Float.isNaN(nan.getAtIndex(F, OFF + 2)), "relu(NaN) is NaN as in PyTorch");
    }

    @Test
    void sumIsAccurateAndIndependentOfThreads() {
        for (long n : LENGTHS) {
            MemorySegment a = f32(n, -1, 3);
            double ref = 0;
            for (long i = 0; i < n; i++) ref += a.getAtIndex(F, OFF + i);
            float got = VectorKernels.sumF32(a, OFF, n);
            assertEquals(ref, got, 1e-6 * n + 1e-6, "n=" + n);
            Parallel.setNumThreads(1);
            assertEquals(Float.floatToIntBits(got), Float.floatToIntBits(VectorKernels.sumF32(a, OFF, n)), "n=" + n);
            Parallel.setNumThreads(4);
            assertEquals(Float.floatToIntBits(got), Float.floatToIntBits(VectorKernels.sumF32(a, OFF, n)), "n=" + n);
            Parallel.setNumThreads(2);
            MemorySegment x = f64(n, -1, 3);
            double refD = 0;
            for (long i = 0; i < n; i++) refD += x.getAtIndex(D, OFF + i);
            assertEquals(refD, VectorKernels.sumF64(x, OFF, n), 1e-12 * n + 1e-12);
        }
        // 16M ones: naive float accumulation would stop at 2^24; blocked pairwise sums stay exact.
        long big = 1L << 24;
        MemorySegment ones = arena.allocate(4 * big, 64);
        VectorKernels.fillF32(ones, 0, big, 1f);
        assertEquals((float) big + 0f, VectorKernels.sumF32(ones, 0, big));
    }

    @Test
    void maxPropagatesNaNAndRejectsEmpty() {
        for (long n : LENGTHS) {
            if (n == 0) continue;
            MemorySegment a = f32(n, -5, 5);
            float want = Float.NEGATIVE_INFINITY;
            for (long i = 0; i < n; i++) want = Math.max(want, a.getAtIndex(F, OFF + i));
            assertEquals(want, VectorKernels.maxF32(a, OFF, n));
            MemorySegment x = f64(n, -5, 5);
            double wantD = Double.NEGATIVE_INFINITY;
            for (long i = 0; i < n; i++) wantD = Math.max(wantD, x.getAtIndex(D, OFF + i));
            assertEquals(wantD, VectorKernels.maxF64(x, OFF, n));
            a.setAtIndex(F, OFF + n - 1, Float.NaN);
            assertTrue(Float.isNaN(VectorKernels.maxF32(a, OFF, n)));
        }
        assertThrows(IllegalArgumentException.class, () -> VectorKernels.maxF32(f32(1, 0, 1), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> VectorKernels.sumF32(f32(1, 0, 1), 0, -1));
    }

    /**
     * The kernels end a range with one masked vector step: it must write exactly [off, off + n),
     * also inside a larger segment (a parallel chunk's neighbours), and give the scalar bits for
     * every binary and unary kind, including NaN, signed zeros, infinities and subnormals.
     */
    @Test
    void maskedTailsWriteOnlyTheirRangeWithScalarBits() {
        float[] special = {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.5f, -2.25f, 3e-39f};
        float sentinel = 12345.5f;
        for (int n = 0; n <= 40; n++) {
            for (int off = 0; off < 3; off++) {
                MemorySegment a = arena.allocate(4L * (n + 40)), b = arena.allocate(4L * (n + 40)), o = arena.allocate(4L * (n + 40));
                for (int i = 0; i < n + 40; i++) {
                    a.setAtIndex(F, i, special[(i * 3 + n) % special.length]);
                    b.setAtIndex(F, i, special[(i * 5 + 1) % special.length]);
                }
                for (BinaryKind k : BinaryKind.values()) {
                    for (int form = 0; form < 3; form++) {
                        o.fill((byte) 0);
                        for (int i = 0; i < n + 40; i++) o.setAtIndex(F, i, sentinel);
                        float s = special[(n + form) % special.length];
                        switch (form) {
                            case 0 -> ElementwiseF32.binary(k, a, off, b, off, o, off, n);
                            case 1 -> ElementwiseF32.binaryScalar(k, a, off, s, false, o, off, n);
                            default -> ElementwiseF32.binaryScalar(k, a, off, s, true, o, off, n);
                        }
                        for (int i = 0; i < n + 40; i++) {
                            float x = a.getAtIndex(F, i);
                            float want = i < off || i >= off + n ? sentinel
                                    : form == 0 ? k.applyF32(x, b.getAtIndex(F, i)) : form == 1 ? k.applyF32(x, s) : k.applyF32(s, x);
                            assertEquals(Float.floatToRawIntBits(want) == Float.floatToRawIntBits(Float.NaN) ? Float.NaN : want,
                                    o.getAtIndex(F, i), k + " form " + form + " n=" + n + " off=" + off + " i=" + i);
                            if (!Float.isNaN(want)) {
                                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(o.getAtIndex(F, i)),
                                        "sign of zero: " + k + " form " + form + " n=" + n + " i=" + i);
                            }
                        }
                    }
                }
                for (UnaryKind k : UnaryKind.values()) {
                    for (int i = 0; i < n + 40; i++) o.setAtIndex(F, i, sentinel);
                    ElementwiseF32.unary(k, a, off, o, off, n);
                    for (int i = 0; i < n + 40; i++) {
                        float want = i < off || i >= off + n ? sentinel : k.applyF32(a.getAtIndex(F, i)), got = o.getAtIndex(F, i);
                        assertEquals(want, got, k + " n=" + n + " off=" + off + " i=" + i);
                        if (!Float.isNaN(want)) {
                            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), "sign of zero: " + k + " n=" + n + " i=" + i);
                        }
                    }
                }
                for (int i = 0; i < n + 40; i++) o.setAtIndex(F, i, sentinel);
                ElementwiseF32.fill(o, off, n, -0f);
                for (int i = 0; i < n + 40; i++) {
                    float want = i < off || i >= off + n ? sentinel : -0f;
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(o.getAtIndex(F, i)), "fill n=" + n + " i=" + i);
                }
                MemorySegment d = arena.allocate(8L * (n + 40));
                for (int i = 0; i < n + 40; i++) d.setAtIndex(D, i, sentinel);
                ElementwiseF64.fill(d, off, n, 0.25);
                ElementwiseF64.binaryScalar(BinaryKind.SUB, d, off, 1.0, true, d, off, n);
                for (int i = 0; i < n + 40; i++) {
                    assertEquals(i < off || i >= off + n ? sentinel : 0.75, d.getAtIndex(D, i), "f64 n=" + n + " i=" + i);
                }
            }
        }
    }

    @Test
    void castsAndFill() {
        for (long n : LENGTHS) {
            MemorySegment a = f32(n, -1e6, 1e6), d = f64(n, 0, 0), back = f32(n, 0, 0);
            VectorKernels.castF32ToF64(a, OFF, d, OFF, n);
            VectorKernels.castF64ToF32(d, OFF, back, OFF, n);
            for (long i = 0; i < n; i++) {
                assertEquals((double) a.getAtIndex(F, OFF + i), d.getAtIndex(D, OFF + i));
                assertEquals(a.getAtIndex(F, OFF + i), back.getAtIndex(F, OFF + i));
            }
            MemorySegment x = f64(n, -1, 1), y = f32(n, 0, 0);
            VectorKernels.castF64ToF32(x, OFF, y, OFF, n);
            for (long i = 0; i < n; i++) assertEquals((float) x.getAtIndex(D, OFF + i), y.getAtIndex(F, OFF + i));
            VectorKernels.fillF64(x, OFF, n, -0.5);
            for (long i = 0; i < n; i++) assertEquals(-0.5, x.getAtIndex(D, OFF + i));
            assertEquals(x.getAtIndex(D, 0), x.getAtIndex(D, 0), "fill stays inside its range");
        }
    }

    @Test
    void confinedSegmentsWork() {
        try (Arena confined = Arena.ofConfined()) {
            long n = VectorKernels.PARALLEL_MIN_ELEMENTS * 3;
            MemorySegment a = confined.allocate(4 * n, 64);
            VectorKernels.fillF32(a, 0, n, 2f);
            VectorKernels.binaryF32(BinaryKind.MUL, a, 0, a, 0, a, 0, n);
            assertEquals(4f * n, VectorKernels.sumF32(a, 0, n));
        }
    }
}
