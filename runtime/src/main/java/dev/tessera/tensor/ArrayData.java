package dev.tessera.tensor;

import dev.tessera.DType;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads nested Java arrays (1-D to any depth) for {@code torch.tensor(data)}: infers shape and
 * dtype as PyTorch does for Python lists and rejects ragged input with PyTorch's message.
 */
public final class ArrayData {
    private ArrayData() {}

    /** The inferred dtype: int/long/short/byte arrays give int64, float gives float32, double gives float64, boolean gives bool. */
    public static DType inferDType(Object data) {
        Class<?> c = data.getClass();
        while (c.isArray()) c = c.getComponentType();
        if (c == long.class || c == int.class || c == short.class || c == byte.class || c == Long.class || c == Integer.class) return DType.INT64;
        if (c == float.class || c == Float.class) return DType.FLOAT32;
        // Java keeps the precision it was given: double data stays float64 (API.md), unlike Python floats.
        if (c == double.class || c == Double.class) return DType.FLOAT64;
        if (c == boolean.class || c == Boolean.class) return DType.BOOL;
        throw new IllegalArgumentException("Could not infer dtype of " + c.getSimpleName());
    }

    /** The element type of the innermost arrays, so double[] can keep float64 when asked. */
    public static Class<?> leafType(Object data) {
        Class<?> c = data.getClass();
        while (c.isArray()) c = c.getComponentType();
        return c;
    }

    public static long[] shapeOf(Object data) {
        List<Long> shape = new ArrayList<>();
        Object cur = data;
        while (cur != null && cur.getClass().isArray()) {
            int n = Array.getLength(cur);
            shape.add((long) n);
            if (n == 0) break;
            cur = Array.get(cur, 0);
        }
        long[] s = shape.stream().mapToLong(Long::longValue).toArray();
        checkRagged(data, s, 0);
        return s;
    }

    private static void checkRagged(Object arr, long[] shape, int dim) {
        if (arr == null) throw new IllegalArgumentException("Could not infer dtype of NoneType (null at dim " + dim + ")");
        int n = Array.getLength(arr);
        if (n != shape[dim]) {
            throw new IllegalArgumentException("expected sequence of length " + shape[dim] + " at dim " + dim + " (got " + n + ")");
        }
        if (dim + 1 < shape.length) {
            for (int i = 0; i < n; i++) {
                Object child = Array.get(arr, i);
                if (child == null || !child.getClass().isArray()) {
                    throw new IllegalArgumentException("expected sequence of length " + shape[dim + 1] + " at dim " + (dim + 1) + " (got scalar)");
                }
                checkRagged(child, shape, dim + 1);
            }
        }
    }

    /** Visits leaf values in row-major order. */
    public interface Sink { void accept(long index, Object boxedValue); }

    public static void forEachLeaf(Object data, int depth, Sink sink) {
        long[] counter = {0};
        walk(data, depth, sink, counter);
    }

    private static void walk(Object arr, int depth, Sink sink, long[] counter) {
        int n = Array.getLength(arr);
        for (int i = 0; i < n; i++) {
            Object child = Array.get(arr, i);
            if (depth > 1) walk(child, depth - 1, sink, counter);
            else sink.accept(counter[0]++, child);
        }
    }
}
