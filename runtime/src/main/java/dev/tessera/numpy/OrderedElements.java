package dev.tessera.numpy;

import dev.tessera.DType;
import dev.tessera.tensor.Elements;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Scalar access in an explicit byte order: NumPy files may be big-endian ({@code '>f4'}), while
 * {@link Elements} reads native order. Native-order access goes straight to {@link Elements}.
 */
final class OrderedElements {
    private OrderedElements() {}

    private static final boolean NATIVE_LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static boolean nativeOrder(DType t, boolean little) {
        return little == NATIVE_LITTLE || t.byteSize() == 1;
    }

    static double getDouble(MemorySegment s, DType t, boolean little, long off) {
        if (nativeOrder(t, little)) return Elements.getDouble(s, t, off);
        if (!NATIVE_LITTLE) throw new UnsupportedOperationException("little-endian data on a big-endian host");
        return switch (t) {
            case FLOAT32 -> s.get(F32, off);
            case FLOAT64 -> s.get(F64, off);
            case FLOAT16 -> Float.float16ToFloat(s.get(I16, off));
            case BFLOAT16 -> Elements.bfloat16ToFloat(s.get(I16, off));
            case INT16 -> s.get(I16, off);
            case INT32 -> s.get(I32, off);
            case INT64 -> s.get(I64, off);
            default -> throw new AssertionError(t);
        };
    }

    static long getLong(MemorySegment s, DType t, boolean little, long off) {
        if (nativeOrder(t, little)) return Elements.getLong(s, t, off);
        return switch (t) {
            case INT16 -> s.get(I16, off);
            case INT32 -> s.get(I32, off);
            case INT64 -> s.get(I64, off);
            default -> Elements.doubleToLong(getDouble(s, t, little, off));
        };
    }

    static void setDouble(MemorySegment s, DType t, boolean little, long off, double v) {
        if (nativeOrder(t, little)) {
            Elements.setDouble(s, t, off, v);
            return;
        }
        switch (t) {
            case FLOAT32 -> s.set(F32, off, (float) v);
            case FLOAT64 -> s.set(F64, off, v);
            case FLOAT16 -> s.set(I16, off, Float.floatToFloat16((float) v));
            case BFLOAT16 -> s.set(I16, off, Elements.floatToBfloat16((float) v));
            default -> setLong(s, t, little, off, Elements.doubleToLong(v));
        }
    }

    static void setLong(MemorySegment s, DType t, boolean little, long off, long v) {
        if (nativeOrder(t, little)) {
            Elements.setLong(s, t, off, v);
            return;
        }
        switch (t) {
            case INT16 -> s.set(I16, off, (short) v);
            case INT32 -> s.set(I32, off, (int) v);
            case INT64 -> s.set(I64, off, v);
            default -> setDouble(s, t, little, off, (double) v);
        }
    }
}
