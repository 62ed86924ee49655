package dev.tessera.numpy;

import dev.tessera.DType;
import dev.tessera.tensor.Elements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * NumPy's {@code str(ndarray)} under default print options (numpy/_core/arrayprint.py): precision 8,
 * floatmode 'maxprec', linewidth 75, threshold 1000 with 3 edge items, separator ' '. The structure
 * mirrors {@code _formatArray} and {@code FloatingFormat} so the two can be compared line by line.
 */
final class ArrayFormat {
    private ArrayFormat() {}

    private static final int LINE_WIDTH = 75;
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;
    private static final int PRECISION = 8;

    static String str(NDArray a) {
        if (a.ndim() == 0) return scalarStr(a);
        if (a.size() == 0) return "[]";
        boolean summarize = a.size() > THRESHOLD;
        Function<long[], String> fmt = formatter(a, fitIndices(a.shape(), summarize));
        return new Printer(a.shape(), fmt, summarize).recurse(new long[0], " ", LINE_WIDTH);
    }

    /** The elements the formatter is fitted to: all, or the 3 leading/trailing per axis when summarizing. */
    private static List<long[]> fitIndices(long[] shape, boolean summarize) {
        long[][] axes = new long[shape.length][];
        for (int i = 0; i < shape.length; i++) {
            long n = shape[i];
            if (summarize && n > 2 * EDGE) {
                axes[i] = new long[] {0, 1, 2, n - 3, n - 2, n - 1};
            } else {
                axes[i] = new long[(int) n];
                for (int j = 0; j < n; j++) axes[i][j] = j;
            }
        }
        List<long[]> out = new ArrayList<>();
        int[] pos = new int[shape.length];
        while (true) {
            long[] idx = new long[shape.length];
            for (int i = 0; i < idx.length; i++) idx[i] = axes[i][pos[i]];
            out.add(idx);
            int i = shape.length - 1;
            while (i >= 0 && ++pos[i] == axes[i].length) pos[i--] = 0;
            if (i < 0) return out;
        }
    }

    private static Function<long[], String> formatter(NDArray a, List<long[]> fit) {
        DType t = a.dtype();
        if (t.isBool()) return idx -> a.getLong(idx) != 0 ? " True" : "False";
        if (t.isIntegral()) {
            long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
            for (long[] idx : fit) {
                long v = a.getLong(idx);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            int width = Math.max(Long.toString(min).length(), Long.toString(max).length());
            return idx -> pad(Long.toString(a.getLong(idx)), width);
        }
        double[] values = new double[fit.size()];
        for (int i = 0; i < values.length; i++) values[i] = a.getDouble(fit.get(i));
        FloatFormat f = new FloatFormat(values, t);
        return idx -> f.format(a.getDouble(idx));
    }

    /** NumPy's {@code FloatingFormat} for sign='-', floatmode='maxprec', suppress=False. */
    private static final class FloatFormat {
        private final DType t;
        private boolean exp;
        private int padLeft, padRight, precision, expSize = -1;

        FloatFormat(double[] data, DType t) {
            this.t = t;
            double max = 0, min = Double.POSITIVE_INFINITY;
            boolean anyFinite = false, anyNonFinite = false, negInf = false;
            for (double v : data) {
                if (!Double.isFinite(v)) {
                    anyNonFinite = true;
                    negInf |= v == Double.NEGATIVE_INFINITY;
                    continue;
                }
                anyFinite = true;
                if (v != 0) {
                    max = Math.max(max, Math.abs(v));
                    min = Math.min(min, Math.abs(v));
                }
            }
            // NumPy 2 compares a scalar of the array's dtype with Python floats in that dtype (NEP 50).
            if (max > 0) {
                exp = max >= Elements.roundTo(t, cutoffMax(t)) || min < Elements.roundTo(t, 1e-4)
                        || Elements.roundTo(t, max / min) > 1000;
            }
            if (!anyFinite) {
                precision = PRECISION;
            } else if (exp) {
                for (double v : data) {
                    if (!Double.isFinite(v)) continue;
                    String[] p = FloatDigits.sciParts(FloatDigits.scientific(v, t, PRECISION));
                    padLeft = Math.max(padLeft, p[0].length() + (sign(v) ? 1 : 0));
                    precision = Math.max(precision, p[1].length());
                    expSize = Math.max(expSize, FloatDigits.exponent(Integer.parseInt(p[2]), 2).length() - 1);
                }
                padRight = expSize + 2 + precision;
            } else {
                for (double v : data) {
                    if (!Double.isFinite(v)) continue;
                    String[] p = FloatDigits.plainParts(FloatDigits.positional(v, t, PRECISION));
                    padLeft = Math.max(padLeft, p[0].length() + (sign(v) ? 1 : 0));
                    padRight = Math.max(padRight, p[1].length());
                }
            }
            if (anyNonFinite) {
                int offset = padRight + 1;
                padLeft = Math.max(padLeft, Math.max(3 - offset, 3 + (negInf ? 1 : 0) - offset));
            }
        }

        String format(double v) {
            if (!Double.isFinite(v)) {
                String s = Double.isNaN(v) ? "nan" : v < 0 ? "-inf" : "inf";
                return pad(s, padLeft + padRight + 1);
            }
            String sign = sign(v) ? "-" : "";
            if (exp) {
                String[] p = FloatDigits.scientificPadded(v, t, PRECISION, precision);
                return pad(sign + p[0], padLeft) + "." + p[1] + "e" + FloatDigits.exponent(Integer.parseInt(p[2]), expSize);
            }
            String[] p = FloatDigits.plainParts(FloatDigits.positional(v, t, PRECISION));
            return pad(sign + p[0], padLeft) + "." + p[1] + " ".repeat(padRight - p[1].length());
        }
    }

    /** {@code 10**min(8, np.finfo(dtype).precision)}: NumPy 2.x switches to exponents above it. */
    private static double cutoffMax(DType t) {
        return switch (t) {
            case FLOAT16 -> 1e3;
            case BFLOAT16 -> 1e2; // ml_dtypes' finfo(bfloat16).precision is 2
            case FLOAT32 -> 1e6;
            default -> 1e8;
        };
    }

    private static boolean sign(double v) {
        return (Double.doubleToRawLongBits(v) & Long.MIN_VALUE) != 0;
    }

    /** {@code str()} of a 0-d array is {@code str()} of its NumPy scalar. */
    private static String scalarStr(NDArray a) {
        DType t = a.dtype();
        if (t.isBool()) return a.getLong() != 0 ? "True" : "False";
        if (t.isIntegral()) return Long.toString(a.getLong());
        double v = a.getDouble();
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v < 0 ? "-inf" : "inf";
        String sign = sign(v) ? "-" : "";
        double abs = Math.abs(v);
        // Positional below 10^(digits of precision) of the type, as NumPy's scalar repr does.
        double limit = switch (t) {
            case FLOAT64 -> 1e16;
            case FLOAT32 -> 1e6;
            default -> 1e3;
        };
        BigDecimal d = FloatDigits.shortest(v, t);
        if (abs == 0 || (abs >= 1e-4 && abs < limit)) {
            String[] p = FloatDigits.plainParts(d);
            return sign + p[0] + "." + (p[1].isEmpty() ? "0" : p[1]);
        }
        String[] p = FloatDigits.sciParts(d);
        return sign + p[0] + (p[1].isEmpty() ? "" : "." + p[1]) + "e" + FloatDigits.exponent(Integer.parseInt(p[2]), 2);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** {@code _formatArray}'s recursion: nested brackets, wrapping of the last axis, "..." rows. */
    private record Printer(long[] shape, Function<long[], String> fmt, boolean summarize) {
        String recurse(long[] index, String hanging, int width) {
            int axis = index.length;
            int axesLeft = shape.length - axis;
            if (axesLeft == 0) return fmt.apply(index);
            String nextHanging = hanging + " ";
            int nextWidth = width - 1;
            long len = shape[axis];
            boolean showSummary = summarize && 2 * EDGE < len;
            long leading = showSummary ? EDGE : 0;
            long trailing = showSummary ? EDGE : len;
            StringBuilder s = new StringBuilder();
            if (axesLeft == 1) {
                int elemWidth = width - 1;
                StringBuilder line = new StringBuilder(hanging);
                for (long i = 0; i < leading; i++) {
                    extend(s, line, recurse(child(index, i), nextHanging, nextWidth), elemWidth, hanging);
                    line.append(' ');
                }
                if (showSummary) {
                    extend(s, line, "...", elemWidth, hanging);
                    line.append(' ');
                }
                for (long i = trailing; i > 1; i--) {
                    extend(s, line, recurse(child(index, len - i), nextHanging, nextWidth), elemWidth, hanging);
                    line.append(' ');
                }
                extend(s, line, recurse(child(index, len - 1), nextHanging, nextWidth), elemWidth, hanging);
                s.append(line);
            } else {
                String lineSep = "\n".repeat(axesLeft - 1);
                for (long i = 0; i < leading; i++) {
                    s.append(hanging).append(recurse(child(index, i), nextHanging, nextWidth)).append(lineSep);
                }
                if (showSummary) s.append(hanging).append("...").append(lineSep);
                for (long i = trailing; i > 1; i--) {
                    s.append(hanging).append(recurse(child(index, len - i), nextHanging, nextWidth)).append(lineSep);
                }
                s.append(hanging).append(recurse(child(index, len - 1), nextHanging, nextWidth));
            }
            return "[" + s.substring(hanging.length()) + "]";
        }

        private static void extend(StringBuilder s, StringBuilder line, String word, int width, String prefix) {
            boolean wrap = line.length() + word.length() > width && line.length() > prefix.length();
            if (wrap) {
                s.append(line.toString().stripTrailing()).append('\n');
                line.setLength(0);
                line.append(prefix);
            }
            line.append(word);
        }

        private static long[] child(long[] index, long i) {
            long[] c = java.util.Arrays.copyOf(index, index.length + 1);
            c[index.length] = i;
            return c;
        }
    }
}
