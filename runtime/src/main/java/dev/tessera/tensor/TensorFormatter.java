package dev.tessera.tensor;

import dev.tessera.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * PyTorch 1.13's {@code repr(tensor)} ({@code torch/_tensor_str.py}), byte for byte, under the
 * default print options: precision 4, threshold 1000, edgeitems 3, linewidth 80, sci_mode None.
 * Element notation and width come from {@link ElementFormatter}; this class lays out nesting,
 * summarization with {@code ...}, line wrapping and the trailing suffixes.
 */
public final class TensorFormatter {
    /** Reads element i (row-major logical order, 0 <= i < numel) of the tensor being printed. */
    public interface Reader {
        double getDouble(long flatIndex);

        long getLong(long flatIndex);
    }

    private static final long THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final int LINE_WIDTH = 80;
    private static final String PREFIX = "tensor(";

    private final long[] shape;
    private final long[] strides;
    private final boolean summarize;
    private final ElementFormatter formatter;

    private TensorFormatter(long[] shape, long numel, DType dtype, Reader reader) {
        this.shape = shape;
        this.strides = new long[shape.length];
        long stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= shape[d];
        }
        this.summarize = numel > THRESHOLD;
        // As get_summarized_data: a summarized tensor's notation depends only on its edge items.
        this.formatter = ElementFormatter.scan(dtype, reader,
                summarize ? action -> forEachEdgeIndex(0, 0, action) : action -> {
                    for (long i = 0; i < numel; i++) action.accept(i);
                });
    }

    /**
     * Full repr: "tensor(...)" plus suffixes. deviceSuffix: null for cpu, else e.g. "cuda:0".
     * gradSuffixes: already formatted strings such as "requires_grad=True" or
     * "grad_fn=<MulBackward0>" in the order given (the caller passes them in PyTorch's order).
     */
    public static String repr(long[] shape, DType dtype, Reader reader, String device, List<String> gradSuffixes) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(dtype, "dtype");
        long numel = numel(shape);
        if (numel > 0 && reader == null) throw new IllegalArgumentException("reader is null for a tensor with " + numel + " elements");

        List<String> suffixes = new ArrayList<>();
        if (device != null && !device.equals("cpu")) suffixes.add("device='" + device + "'");
        String body;
        if (numel == 0) {
            // Like NumPy, an empty tensor shows its shape unless it is (0,), and always a
            // non-float32 dtype, since no element hints at int64 or bool.
            if (shape.length != 1) suffixes.add("size=" + pythonTuple(shape));
            if (dtype != DType.FLOAT32) suffixes.add("dtype=" + dtype);
            body = "[]";
        } else {
            if (dtype != DType.FLOAT32 && dtype != DType.INT64 && dtype != DType.BOOL) suffixes.add("dtype=" + dtype);
            body = new TensorFormatter(shape.clone(), numel, dtype, reader).tensorStr(0, 0, PREFIX.length());
        }
        if (gradSuffixes != null) suffixes.addAll(gradSuffixes);
        return addSuffixes(PREFIX + body, suffixes, PREFIX.length());
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) throw new IllegalArgumentException("negative dimension " + s + " in shape " + pythonTuple(shape));
            try {
                n = Math.multiplyExact(n, s);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + pythonTuple(shape) + " has more than Long.MAX_VALUE elements", e);
            }
        }
        return n;
    }

    /** Python's str(tuple): "(0, 3)", "(0,)", "()". */
    static String pythonTuple(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        if (shape.length == 1) sb.append(',');
        return sb.append(')').toString();
    }

    /** Row indices printed along a dimension of size n: all, or the first and last EDGE_ITEMS. */
    private long[] shownIndices(long n) {
        if (summarize && n > 2L * EDGE_ITEMS) {
            long[] idx = new long[2 * EDGE_ITEMS];
            for (int k = 0; k < EDGE_ITEMS; k++) {
                idx[k] = k;
                idx[EDGE_ITEMS + k] = n - EDGE_ITEMS + k;
            }
            return idx;
        }
        long[] idx = new long[(int) n];
        for (int k = 0; k < n; k++) idx[k] = k;
        return idx;
    }

    private void forEachEdgeIndex(int d, long offset, LongConsumer action) {
        if (d == shape.length) {
            action.accept(offset);
            return;
        }
        for (long i : shownIndices(shape[d])) forEachEdgeIndex(d + 1, offset + i * strides[d], action);
    }

    private boolean elided(long n) {
        return summarize && n > 2L * EDGE_ITEMS;
    }

    /** _tensor_str_with_formatter for the sub-tensor starting at dimension d. */
    private String tensorStr(int d, long offset, int indent) {
        if (shape.length == 0) return formatter.format(offset);
        if (d == shape.length - 1) return vectorStr(offset, indent);
        long n = shape[d];
        List<String> slices = new ArrayList<>();
        for (long i : shownIndices(n)) {
            if (elided(n) && i == n - EDGE_ITEMS) slices.add("...");
            slices.add(tensorStr(d + 1, offset + i * strides[d], indent + 1));
        }
        String separator = "," + "\n".repeat(shape.length - d - 1) + " ".repeat(indent + 1);
        return "[" + String.join(separator, slices) + "]";
    }

    /** _vector_str: the last dimension, wrapped so that each line fits LINE_WIDTH after indent. */
    private String vectorStr(long offset, int indent) {
        int elementLength = formatter.width() + 2;
        int perLine = Math.max(1, Math.floorDiv(LINE_WIDTH - indent, elementLength));
        long n = shape[shape.length - 1];
        List<String> data = new ArrayList<>();
        for (long i : shownIndices(n)) {
            if (elided(n) && i == n - EDGE_ITEMS) data.add(" ...");
            data.add(formatter.format(offset + i));
        }
        StringBuilder sb = new StringBuilder("[");
        String lineBreak = ",\n" + " ".repeat(indent + 1);
        for (int i = 0; i < data.size(); i++) {
            if (i > 0) sb.append(i % perLine == 0 ? lineBreak : ", ");
            sb.append(data.get(i));
        }
        return sb.append(']').toString();
    }

    /** _add_suffixes: ", suffix" on the last line, or on a new indented line past LINE_WIDTH. */
    private static String addSuffixes(String tensorStr, List<String> suffixes, int indent) {
        StringBuilder sb = new StringBuilder(tensorStr);
        // Python's quirk kept as is: len - rfind('\n') + 1 counts two more than the line's length.
        int lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLen + suffix.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLen = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLineLen += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }
}
