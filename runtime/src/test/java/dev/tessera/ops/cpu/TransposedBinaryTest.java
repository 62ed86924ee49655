package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.ops.cpu.VectorKernels.BinaryKind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tiled path for a transposed operand ({@link TransposedBinary}) against the element-by-element
 * definition: every kind, both operand orders, row-major, scalar and self operands, shapes with and
 * without edge tiles, output rows wider than the result, in place, special values; and what it must
 * leave to the strided loop (overlap with the transposed operand).
 */
class TransposedBinaryTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final float[] SPECIAL = {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3e-39f};
    private static final float SENTINEL = 777.25f;
    private final Arena arena = Arena.ofShared();
    private final Random rnd = new Random(11);

    @AfterEach
    void close() {
        arena.close();
        Parallel.setNumThreads(Runtime.getRuntime().availableProcessors());
    }

    private MemorySegment filled(long n) {
        MemorySegment s = arena.allocate(4 * n, 64);
        for (long i = 0; i < n; i++) {
            s.setAtIndex(F, i, rnd.nextInt(9) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : (float) rnd.nextGaussian());
        }
        return s;
    }

    private static void assertSameBits(float want, float got, String where) {
        if (Float.isNaN(want)) {
            assertTrue(Float.isNaN(got), where + ": expected NaN, got " + got);
        } else {
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), where + ": expected " + want + ", got " + got);
        }
    }

    @Test
    void everyKindOrderAndOperandAgainstTheDefinition() {
        long[][] shapes = {{16, 16}, {17, 33}, {48, 16}, {40, 57}, {130, 70}};
        for (int threads : new int[] {1, 2}) {
            Parallel.setNumThreads(threads);
            for (long[] sh : shapes) {
                long rows = sh[0], cols = sh[1], ld = rows + 3, oLd = cols + 5, rLd = cols + 2;
                MemorySegment t = filled(3 + ld * cols), r = filled(2 + rLd * rows);
                for (BinaryKind k : BinaryKind.values()) {
                    for (int form = 0; form < 4; form++) { // 0: t op r, 1: r op t, 2: t op scalar, 3: t op t
                        MemorySegment out = arena.allocate(4 * (oLd * rows + 7), 64);
                        for (long i = 0; i < oLd * rows + 7; i++) out.setAtIndex(F, i, SENTINEL);
                        long[] tStrides = {1, ld}, rStrides = form == 2 ? new long[] {0, 0} : new long[] {rLd, 1};
                        long[] shape = {rows, cols}, oStrides = {oLd, 1};
                        switch (form) {
                            case 0, 2 -> VectorKernels.binaryStridedF32(k, shape, t, 3, tStrides, r, 2, rStrides, out, 7, oStrides);
                            case 1 -> VectorKernels.binaryStridedF32(k, shape, r, 2, rStrides, t, 3, tStrides, out, 7, oStrides);
                            default -> VectorKernels.binaryStridedF32(k, shape, t, 3, tStrides, t, 3, tStrides, out, 7, oStrides);
                        }
                        for (long i = 0; i < rows; i++) {
                            for (long j = 0; j < cols; j++) {
                                float x = t.getAtIndex(F, 3 + i + j * ld);
                                float y = form == 2 ? r.getAtIndex(F, 2) : form == 3 ? x : r.getAtIndex(F, 2 + i * rLd + j);
                                float want = form == 1 ? k.applyF32(y, x) : k.applyF32(x, y);
                                assertSameBits(want, out.getAtIndex(F, 7 + i * oLd + j),
                                        k + " form " + form + " " + rows + "x" + cols + " threads " + threads + " at " + i + "," + j);
                            }
                            for (long j = cols; j < oLd && 7 + i * oLd + j < oLd * rows + 7; j++) {
                                assertEquals(SENTINEL, out.getAtIndex(F, 7 + i * oLd + j), "row padding written at " + i + "," + j);
                            }
                        }
                        for (long i = 0; i < 7; i++) assertEquals(SENTINEL, out.getAtIndex(F, i), "written before the output");
                    }
                }
            }
        }
    }

    @Test
    void inPlaceAccumulationAndTensorViews() {
        Torch.manualSeed(3);
        Tensor w = Torch.randn(784, 1000), g = Torch.randn(1000, 784), c = Torch.randn(1000, 784);
        float[] wv = w.toFloatArray(), gv = g.toFloatArray(), cv = c.toFloatArray();
        g.add_(w.t()); // accumulation into a row-major gradient from a transposed one
        Tensor copied = w.t().contiguous(), diff = c.sub(w.t()), big = w.t().maximum(c);
        float[] gr = g.toFloatArray(), cp = copied.toFloatArray(), df = diff.toFloatArray(), mx = big.toFloatArray();
        for (int i = 0; i < 1000; i++) {
            for (int j = 0; j < 784; j++) {
                float wt = wv[j * 1000 + i];
                int at = i * 784 + j;
                assertSameBits(gv[at] + wt, gr[at], "add_ at " + i + "," + j);
                assertSameBits(wt, cp[at], "contiguous at " + i + "," + j);
                assertSameBits(cv[at] - wt, df[at], "sub at " + i + "," + j);
                assertSameBits(Math.max(wt, cv[at]), mx[at], "maximum at " + i + "," + j);
            }
        }
    }

    @Test
    void resultOverTheTransposedOperandIsLeftToTheStridedLoop() {
        MemorySegment s = filled(32 * 32);
        long[] shape = {32, 32};
        assertFalse(TransposedBinary.tryRun(BinaryKind.ADD, shape, s, 0, new long[] {32, 1}, s, 0, new long[] {1, 32}, s, 0,
                new long[] {32, 1}), "x += x.t() in place must not take the tiled path");
        MemorySegment other = filled(32 * 32), out = arena.allocate(4 * 32 * 32);
        assertTrue(TransposedBinary.tryRun(BinaryKind.ADD, shape, other, 0, new long[] {32, 1}, s, 0, new long[] {1, 32}, out, 0,
                new long[] {32, 1}), "a separate output takes it");
        assertFalse(TransposedBinary.tryRun(BinaryKind.ADD, new long[] {15, 32}, other, 0, new long[] {32, 1}, s, 0,
                new long[] {1, 15}, out, 0, new long[] {32, 1}), "fewer than 16 rows stay on the strided loop");
    }
}
