package dev.tessera.tensor;

import dev.tessera.DType;
import java.util.function.LongConsumer;

/**
 * Port of PyTorch 1.13's {@code torch._tensor_str._Formatter} under default print options: picks
 * integer, fixed or scientific notation for a whole tensor, and the common column width.
 */
final class ElementFormatter {
    static final int PRECISION = 4;

    /** The flat indices whose values decide the notation (all elements, or the summarized ones). */
    interface IndexSource {
        void forEach(LongConsumer action);
    }

    private final DType dtype;
    private final TensorFormatter.Reader reader;
    private boolean intMode = true;
    private boolean sciMode = false;
    private int maxWidth = 1;

    private ElementFormatter(DType dtype, TensorFormatter.Reader reader) {
        this.dtype = dtype;
        this.reader = reader;
    }

    static ElementFormatter scan(DType dtype, TensorFormatter.Reader reader, IndexSource indices) {
        ElementFormatter f = new ElementFormatter(dtype, reader);
        if (dtype.isFloatingPoint()) f.scanFloats(indices);
        else indices.forEach(i -> f.maxWidth = Math.max(f.maxWidth, f.integralString(i).length()));
        return f;
    }

    int width() { return maxWidth; }

    /** The element at {@code flatIndex}, right-aligned to {@link #width()} (longer strings are not cut). */
    String format(long flatIndex) {
        String s;
        if (!dtype.isFloatingPoint()) {
            s = integralString(flatIndex);
        } else {
            double v = reader.getDouble(flatIndex);
            if (sciMode) {
                s = PythonFloatFormat.scientific(v, PRECISION);
            } else if (intMode) {
                s = PythonFloatFormat.fixed(v, 0);
                // the trailing dot marks a float tensor; nan/inf are already non-integers
                if (!Double.isNaN(v) && !Double.isInfinite(v)) s += ".";
            } else {
                s = PythonFloatFormat.fixed(v, PRECISION);
            }
        }
        return s.length() >= maxWidth ? s : " ".repeat(maxWidth - s.length()) + s;
    }

    private String integralString(long flatIndex) {
        long v = reader.getLong(flatIndex);
        if (dtype.isBool()) return v != 0 ? "True" : "False";
        return Long.toString(v);
    }

    private void scanFloats(IndexSource indices) {
        // Only nonzero finite values count: zeros, nan and inf never force a notation.
        double[] minMax = {Double.POSITIVE_INFINITY, 0.0};
        boolean[] anyValue = {false};
        indices.forEach(i -> {
            double v = reader.getDouble(i);
            if (!isNonzeroFinite(v)) return;
            anyValue[0] = true;
            double a = Math.abs(v);
            minMax[0] = Math.min(minMax[0], a);
            minMax[1] = Math.max(minMax[1], a);
            if (v != Math.ceil(v)) intMode = false;
        });
        if (!anyValue[0]) return;
        double min = minMax[0];
        double max = minMax[1];
        boolean wideRange = max / min > 1000.0 || max > 1.0e8;
        sciMode = intMode ? wideRange : wideRange || min < 1.0e-4;
        indices.forEach(i -> {
            double v = reader.getDouble(i);
            if (!isNonzeroFinite(v)) return;
            int w;
            if (sciMode) w = PythonFloatFormat.scientific(v, PRECISION).length();
            else if (intMode) w = PythonFloatFormat.fixed(v, 0).length() + 1;
            else w = PythonFloatFormat.fixed(v, PRECISION).length();
            maxWidth = Math.max(maxWidth, w);
        });
    }

    private static boolean isNonzeroFinite(double v) {
        return v != 0.0 && Double.isFinite(v);
    }
}
