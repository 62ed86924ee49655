package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** sgemm/dgemm against a naive double-precision reference with the rigorous error bound k*eps*sum|a||b|. */
class GemmTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private final Arena arena = Arena.ofShared();
    private final Random rnd = new Random(42);

    @AfterEach
    void close() {
        arena.close();
        Parallel.setNumThreads(Runtime.getRuntime().availableProcessors());
    }

    /** A matrix view: segment, offset, strides; filled with random values (padding too). */
    private record View(MemorySegment s, long off, long rs, long cs) {}

    private View matrix(int rows, int cols, boolean transposed, int pad, int elementBytes) {
        // Stored with a leading pad and row (or column) stride larger than needed, to exercise strides.
        long ld = (transposed ? rows : cols) + pad;
        long elements = pad + ld * (transposed ? cols : rows) + 1;
        MemorySegment s = arena.allocate(elements * elementBytes, 64);
        for (long i = 0; i < elements; i++) {
            double v = rnd.nextDouble() * 2 - 1;
            if (elementBytes == 4) s.setAtIndex(F, i, (float) v); else s.setAtIndex(D, i, v);
        }
        return transposed ? new View(s, pad, 1, ld) : new View(s, pad, ld, 1);
    }

    private static double get(View v, int i, int j, boolean f32) {
        long at = v.off + i * v.rs + j * v.cs;
        return f32 ? v.s.getAtIndex(F, at) : v.s.getAtIndex(D, at);
    }

    private void check(int m, int n, int k, boolean ta, boolean tb, double alpha, double beta, boolean f32) {
        int eb = f32 ? 4 : 8;
        View a = matrix(m, k, ta, 3, eb);
        View b = matrix(k, n, tb, 5, eb);
        View c = matrix(m, n, false, 7, eb);
        double[][] before = new double[m][n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) before[i][j] = get(c, i, j, f32);
        if (beta == 0 && m > 0 && n > 0) {
            // beta == 0 must not read C: poison it.
            if (f32) c.s.setAtIndex(F, c.off, Float.NaN); else c.s.setAtIndex(D, c.off, Double.NaN);
            before[0][0] = Double.NaN;
        }
        if (f32) {
            Gemm.sgemm(m, n, k, (float) alpha, a.s, a.off, a.rs, a.cs, b.s, b.off, b.rs, b.cs, (float) beta, c.s,
                    c.off, c.rs, c.cs);
        } else {
            Gemm.dgemm(m, n, k, alpha, a.s, a.off, a.rs, a.cs, b.s, b.off, b.rs, b.cs, beta, c.s, c.off, c.rs, c.cs);
        }
        double eps = f32 ? 0x1p-23 : 0x1p-52;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double ref = 0;
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    double x = get(a, i, p, f32) * get(b, p, j, f32);
                    ref += x;
                    mag += Math.abs(x);
                }
                double prior = beta == 0 ? 0 : beta * before[i][j];
                double want = alpha * ref + prior;
                double tol = (k + 4) * eps * (Math.abs(alpha) * mag + Math.abs(prior)) + 1e-30;
                double got = get(c, i, j, f32);
                if (!(Math.abs(got - want) <= tol)) {
                    throw new AssertionError(String.format("m=%d n=%d k=%d ta=%b tb=%b alpha=%s beta=%s f32=%b: "
                            + "C[%d,%d]=%s, want %s (tol %s)", m, n, k, ta, tb, alpha, beta, f32, i, j, got, want, tol));
                }
            }
        }
    }

    /**
     * x @ w.t() packs B's contiguous columns (whole slivers through {@link Transpose16#packSliver});
     * packing only moves data, so it must give the bits of x @ w.t().contiguous(), whose B is
     * row-major: slivers whole and partial, depth tails, several depth blocks, one and many rows.
     */
    @Test
    void transposedWeightPacksToTheBitsOfItsContiguousCopy() {
        dev.tessera.Torch.manualSeed(5);
        for (int m : new int[] {1, 7, 64}) {
            for (int k : new int[] {15, 17, 100, 2100}) {
                for (int n : new int[] {64, 65, 200}) {
                    dev.tessera.Tensor x = dev.tessera.Torch.randn(m, k), w = dev.tessera.Torch.randn(n, k);
                    float[] viaView = x.matmul(w.t()).toFloatArray(), viaCopy = x.matmul(w.t().contiguous()).toFloatArray();
                    for (int i = 0; i < viaView.length; i++) {
                        assertEquals(Float.floatToRawIntBits(viaCopy[i]), Float.floatToRawIntBits(viaView[i]),
                                m + "x" + k + " @ (" + n + "x" + k + ").t() at " + i);
                    }
                }
            }
        }
    }

    @Test
    void oddSizesFloat() {
        int[] sizes = {1, 3, 17, 31, 65, 127};
        for (int m : sizes) for (int n : sizes) check(m, n, sizes[(m + n) % sizes.length], false, false, 1, 0, true);
        check(513, 127, 65, false, false, 1, 0, true);
        check(65, 513, 31, false, false, 1, 0, true);
        check(17, 31, 513, false, false, 1, 0, true);
        check(130, 200, 1100, false, false, 1, 0, true); // small A: independent row split, two KC blocks
        check(130, 200, 1100, false, true, 1, 0, true); // small A, transposed B: independent column split
        check(700, 150, 500, false, false, 1, 0.5, true); // shared B panel, rows split in MR slivers
        check(701, 150, 1100, true, false, 1, 0, true); // same, transposed A, partial last sliver
        check(40, 300, 7000, true, false, 1, 1, true); // shared B panel, m too small: jr slivers split
    }

    @Test
    void oddSizesDouble() {
        int[] sizes = {1, 3, 17, 31, 65, 127};
        for (int m : sizes) for (int n : sizes) check(m, n, sizes[(2 * m + n) % sizes.length], false, false, 1, 0, false);
        check(513, 65, 127, false, false, 1, 0, false);
        check(70, 90, 1100, false, false, 1, 0, false);
    }

    @Test
    void fewColumnsReadAsPlainRows() {
        // n <= Blocking.ROWS_A_MAX_N with row-major A: A rows are copied, not packed into slivers.
        for (boolean f32 : new boolean[] {true, false}) {
            check(301, 64, 200, false, false, 1, 0, f32); // exactly one NR sliver (f32 on AVX-512)
            check(301, 5, 200, false, false, 1, 0.5, f32); // n < NR, beta != 0
            check(97, 70, 1100, false, false, 0.5, 1, f32); // n not a multiple of NR, two KC blocks
            check(256, 128, 256, false, true, 1, 0, f32); // transposed B
            check(125, 33, 129, true, false, 1, 0, f32); // transposed A keeps the packed path
        }
        Parallel.setNumThreads(1);
        check(101, 64, 300, false, false, 1, -1, true);
        check(101, 3, 300, false, false, 1, 0, false);
    }

    @Test
    void transposedBPackedByColumnGroups() {
        // B = W^T (row stride 1): columns copied in groups of 8, zero-filled past n.
        for (boolean f32 : new boolean[] {true, false}) {
            check(64, 200, 1100, false, true, 1, 0, f32); // two KC blocks, n not a multiple of NR
            check(70, 9, 33, false, true, 1, 0.5, f32); // partial column group
            check(13, 130, 40, true, true, -1, 1, f32);
        }
    }

    @Test
    void transposedAPackedFromColumnCopies() {
        // A = W^T (row stride 1): each column of an MC block is one bulk copy, padded rows zero.
        for (boolean f32 : new boolean[] {true, false}) {
            check(97, 200, 1100, true, false, 1, 0.5, f32); // m not a multiple of MR, two KC blocks
            check(1000, 64, 70, true, false, 1, 0, f32); // many ic blocks, one sliver of B
            check(5, 7, 300, true, false, 2, 0, f32); // m < MR
        }
    }

    @Test
    void transposedOperands() {
        for (boolean f32 : new boolean[] {true, false}) {
            check(127, 65, 31, true, false, 1, 0, f32);
            check(127, 65, 31, false, true, 1, 0, f32);
            check(65, 127, 513, true, true, 1, 0, f32);
            check(200, 3, 17, true, true, 1, 0, f32);
        }
    }

    @Test
    void alphaAndBeta() {
        for (boolean f32 : new boolean[] {true, false}) {
            check(31, 65, 17, false, false, 0.5, 1, f32);
            check(31, 65, 17, false, true, -2, 0.25, f32);
            check(127, 17, 3, true, false, 1, -1, f32);
            check(17, 31, 5, false, false, 0, 0.5, f32); // alpha 0: C = beta * C
            check(17, 31, 0, false, false, 1, 0.5, f32); // k 0: C = beta * C
            check(17, 31, 0, false, false, 1, 0, f32); // k 0, beta 0: zeros, NaN ignored
        }
    }

    @Test
    void emptyAndSingleThread() {
        check(0, 5, 3, false, false, 1, 0, true);
        check(5, 0, 3, false, false, 1, 0, true);
        Parallel.setNumThreads(1);
        check(127, 130, 65, false, false, 1, 0, true);
        check(127, 130, 65, true, true, 1, 1, false);
    }

    @Test
    void confinedSegmentsStayOnCallingThread() {
        try (Arena confined = Arena.ofConfined()) {
            int n = 130;
            MemorySegment a = confined.allocate(4L * n * n);
            MemorySegment c = confined.allocate(4L * n * n);
            for (long i = 0; i < (long) n * n; i++) a.setAtIndex(F, i, (i % n == i / n) ? 1f : 0f);
            Gemm.sgemm(n, n, n, 2f, a, 0, n, 1, a, 0, n, 1, 0f, c, 0, n, 1);
            assertEquals(2f, c.getAtIndex(F, 5L * n + 5));
            assertEquals(0f, c.getAtIndex(F, 5L * n + 6));
        }
    }

    @Test
    void stridedColumnsOfOutput() {
        // C as a transposed view (column stride = ld): the scalar store path.
        int m = 33, n = 70, k = 20;
        View a = matrix(m, k, false, 0, 4);
        View b = matrix(k, n, false, 0, 4);
        MemorySegment c = arena.allocate((long) m * n * 4);
        Gemm.sgemm(m, n, k, 1f, a.s, a.off, a.rs, a.cs, b.s, b.off, b.rs, b.cs, 0f, c, 0, 1, m);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double ref = 0;
                for (int p = 0; p < k; p++) ref += get(a, i, p, true) * get(b, p, j, true);
                assertEquals(ref, c.getAtIndex(F, i + (long) j * m), 1e-4);
            }
        }
    }

    @Test
    void batchedByOffsets() {
        int batch = 3, m = 20, n = 37, k = 9;
        MemorySegment a = arena.allocate(4L * batch * m * k);
        MemorySegment b = arena.allocate(4L * batch * k * n);
        MemorySegment c = arena.allocate(4L * batch * m * n);
        for (long i = 0; i < batch * m * k; i++) a.setAtIndex(F, i, (float) rnd.nextGaussian());
        for (long i = 0; i < batch * k * n; i++) b.setAtIndex(F, i, (float) rnd.nextGaussian());
        for (int t = 0; t < batch; t++) {
            Gemm.sgemm(m, n, k, 1f, a, (long) t * m * k, k, 1, b, (long) t * k * n, n, 1, 0f, c, (long) t * m * n, n, 1);
        }
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double ref = 0;
                    for (int p = 0; p < k; p++) {
                        ref += (double) a.getAtIndex(F, (long) t * m * k + i * k + p) * b.getAtIndex(F, (long) t * k * n + p * n + j);
                    }
                    assertEquals(ref, c.getAtIndex(F, (long) t * m * n + i * n + j), 1e-4);
                }
            }
        }
    }

    @Test
    void rejectsBadInput() {
        MemorySegment s = arena.allocate(4L * 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(4, 4, 5, 1f, s, 0, 5, 1, s, 0, 4, 1, 0f, s, 0, 4, 1));
        assertTrue(e.getMessage().contains("operand A"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemm(-1, 4, 4, 1f, s, 0, 4, 1, s, 0, 4, 1, 0f, s, 0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> Gemm.dgemm(2, 2, 2, 1, s, 0, 2, 1, s, 0, 2, 1, 0, s, 0, 2, 1 + 16));
    }
}
