package dev.tessera;

import static dev.tessera.Index.*;
import static dev.tessera.Torch.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Issue 12, defect 8: an integer fill on a floating tensor takes the vector fill (it was the
 * element-by-element reference loop, 30x slower), and integer tensors fill by block copies. Each
 * result is checked element by element against the value cast as the reference backend casts it.
 */
class FillTest {
    private static final DType[] ALL = {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT64,
        DType.INT32, DType.INT16, DType.INT8, DType.UINT8, DType.BOOL};

    @Test
    void integerFillsEveryDtypeAndLength() {
        for (DType t : ALL) {
            for (long n : new long[] {0, 1, 2, 3, 7, 64, 1000, 4099}) {
                for (long v : new long[] {0, 1, -3, 300, (1L << 40) + 1}) {
                    Tensor x = full(new long[] {n}, 9.0, t).fill_(v);
                    assertEachEquals(x, expected(v, t), t + " n=" + n + " fill_(" + v + "L)");
                }
            }
        }
    }

    @Test
    void zeroAndOnesAndViews() {
        for (DType t : ALL) {
            Tensor x = full(new long[] {3, 50_003}, 5.0, t);
            x.zero_();
            assertEachEquals(x, 0.0, t + " zero_()");
            assertEachEquals(ones(new long[] {2, 30_001}, t), 1.0, t + " ones");
            // a strided view (every other column): only its elements change
            Tensor y = zeros(new long[] {4, 1000}, t);
            y.index(all(), slice(0, 1000, 2)).fill_(1L);
            long[] row = y.index(at(1)).toLongArray();
            for (int j = 0; j < row.length; j++) assertEquals(j % 2 == 0 ? 1 : 0, row[j], t + " view column " + j);
        }
        // exactly as the double fill on floating dtypes
        Tensor a = empty(12_345).fill_(7L), b = empty(12_345).fill_(7.0);
        assertArrayEquals(b.toFloatArray(), a.toFloatArray());
        Tensor big = empty(new long[] {3}, DType.FLOAT32).fill_((1L << 53) + 1);
        assertEquals((float) (double) ((1L << 53) + 1), big.toFloatArray()[2]);
    }

    /** The value as the element reads back after Elements.setLong (wrap for integers, via double for floats). */
    private static double expected(long v, DType t) {
        return switch (t) {
            case INT64 -> v;
            case INT32 -> (int) v;
            case INT16 -> (short) v;
            case INT8 -> (byte) v;
            case UINT8 -> ((byte) v) & 0xFF;
            case BOOL -> v != 0 ? 1 : 0;
            default -> tensor(new double[] {v}).to(t).toDoubleArray()[0];
        };
    }

    private static void assertEachEquals(Tensor x, double want, String what) {
        double[] d = x.toDoubleArray();
        for (int i = 0; i < d.length; i++) {
            if (Double.compare(d[i], want) != 0) assertEquals(want, d[i], what + " at " + i);
        }
    }
}
