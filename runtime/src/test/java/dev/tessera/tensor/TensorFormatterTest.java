package dev.tessera.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-checked cases and argument errors; the bulk of the coverage is TensorFormatterGoldenTest. */
class TensorFormatterTest {
    private static TensorFormatter.Reader floats(double... v) {
        return new TensorFormatter.Reader() {
            @Override public double getDouble(long i) { return v[(int) i]; }
            @Override public long getLong(long i) { throw new AssertionError("getLong on floats"); }
        };
    }

    private static TensorFormatter.Reader longs(long... v) {
        return new TensorFormatter.Reader() {
            @Override public double getDouble(long i) { throw new AssertionError("getDouble on ints"); }
            @Override public long getLong(long i) { return v[(int) i]; }
        };
    }

    @Test
    void pythonRoundsExactBinaryValueHalfToEven() {
        // 1.03125 is exact in binary: a true tie, rounded to even; String.format would give 1.0313.
        assertEquals("1.0312", PythonFloatFormat.fixed(1.03125, 4));
        // 0.00015 is slightly below ...15 in binary, so it rounds down, not half-up.
        assertEquals("0.0001", PythonFloatFormat.fixed(0.00015, 4));
        assertEquals("-0.0000", PythonFloatFormat.fixed(-0.0, 4));
        assertEquals("-0", PythonFloatFormat.fixed(-0.0, 0));
        assertEquals("1.0312e+00", PythonFloatFormat.scientific(1.03125, 4));
        assertEquals("1.0000e+01", PythonFloatFormat.scientific(9.99996, 4));
        assertEquals("4.9407e-324", PythonFloatFormat.scientific(Double.MIN_VALUE, 4));
        assertEquals("-0.0000e+00", PythonFloatFormat.scientific(-0.0, 4));
        assertEquals("-inf", PythonFloatFormat.scientific(Double.NEGATIVE_INFINITY, 4));
    }

    @Test
    void int64ValuesAreReadExactly() {
        long big = Long.MAX_VALUE - 1;  // not representable as a double
        assertEquals("tensor([9223372036854775806,                   1])",
                TensorFormatter.repr(new long[] {2}, DType.INT64, longs(big, 1), null, List.of()));
    }

    @Test
    void cpuDeviceAndNullSuffixListPrintNothing() {
        assertEquals("tensor([1.5000, 2.0000])",
                TensorFormatter.repr(new long[] {2}, DType.FLOAT32, floats(1.5, 2.0), "cpu", null));
    }

    @Test
    void emptyTensorNeedsNoReader() {
        assertEquals("tensor([], size=(0, 3), dtype=torch.int64)",
                TensorFormatter.repr(new long[] {0, 3}, DType.INT64, null, null, List.of()));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> TensorFormatter.repr(new long[] {2, -1}, DType.FLOAT32, floats(), null, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> TensorFormatter.repr(new long[] {2}, DType.FLOAT32, null, null, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> TensorFormatter.repr(new long[] {1L << 40, 1L << 40}, DType.FLOAT32, floats(), null, List.of()));
        assertThrows(NullPointerException.class,
                () -> TensorFormatter.repr(new long[] {1}, null, floats(1), null, List.of()));
    }
}
