package dev.tessera.tensor;

import dev.tessera.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Scalar element access for every dtype, as double or long. This is the slow, general path used by
 * the reference backend, printing and conversions; kernels use typed vector loads instead.
 * Offsets are in bytes. Layouts are unaligned so mapped files with any header length work.
 */
public final class Elements {
    private Elements() {}

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    public static double getDouble(MemorySegment s, DType t, long byteOffset) {
        return switch (t) {
            case FLOAT32 -> s.get(F32, byteOffset);
            case FLOAT64 -> s.get(F64, byteOffset);
            case FLOAT16 -> Float.float16ToFloat(s.get(I16, byteOffset));
            case BFLOAT16 -> bfloat16ToFloat(s.get(I16, byteOffset));
            case INT64 -> s.get(I64, byteOffset);
            case INT32 -> s.get(I32, byteOffset);
            case INT16 -> s.get(I16, byteOffset);
            case INT8 -> s.get(ValueLayout.JAVA_BYTE, byteOffset);
            case UINT8 -> s.get(ValueLayout.JAVA_BYTE, byteOffset) & 0xFF;
            case BOOL -> s.get(ValueLayout.JAVA_BYTE, byteOffset) != 0 ? 1.0 : 0.0;
        };
    }

    public static long getLong(MemorySegment s, DType t, long byteOffset) {
        return switch (t) {
            case INT64 -> s.get(I64, byteOffset);
            case INT32 -> s.get(I32, byteOffset);
            case INT16 -> s.get(I16, byteOffset);
            case INT8 -> s.get(ValueLayout.JAVA_BYTE, byteOffset);
            case UINT8 -> s.get(ValueLayout.JAVA_BYTE, byteOffset) & 0xFF;
            case BOOL -> s.get(ValueLayout.JAVA_BYTE, byteOffset) != 0 ? 1 : 0;
            default -> doubleToLong(getDouble(s, t, byteOffset));
        };
    }

    /** Stores a double, rounding to the dtype as a C++ static_cast would (NaN/inf to ints are undefined in C++; we saturate). */
    public static void setDouble(MemorySegment s, DType t, long byteOffset, double v) {
        switch (t) {
            case FLOAT32 -> s.set(F32, byteOffset, (float) v);
            case FLOAT64 -> s.set(F64, byteOffset, v);
            case FLOAT16 -> s.set(I16, byteOffset, Float.floatToFloat16((float) v));
            case BFLOAT16 -> s.set(I16, byteOffset, floatToBfloat16((float) v));
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, byteOffset, (byte) (v != 0 ? 1 : 0));
            default -> setLong(s, t, byteOffset, doubleToLong(v));
        }
    }

    /** Stores a long, wrapping to narrower integer types as C++ does. */
    public static void setLong(MemorySegment s, DType t, long byteOffset, long v) {
        switch (t) {
            case INT64 -> s.set(I64, byteOffset, v);
            case INT32 -> s.set(I32, byteOffset, (int) v);
            case INT16 -> s.set(I16, byteOffset, (short) v);
            case INT8, UINT8 -> s.set(ValueLayout.JAVA_BYTE, byteOffset, (byte) v);
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, byteOffset, (byte) (v != 0 ? 1 : 0));
            default -> setDouble(s, t, byteOffset, (double) v);
        }
    }

    /** Truncation toward zero, like a C++ cast from floating to integral. */
    public static long doubleToLong(double v) {
        return (long) v;
    }

    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Round-to-nearest-even conversion, as c10::BFloat16's constructor; NaN stays NaN. */
    public static short floatToBfloat16(float f) {
        if (Float.isNaN(f)) return (short) 0x7FC0;
        int bits = Float.floatToRawIntBits(f);
        int rounding = ((bits >>> 16) & 1) + 0x7FFF;
        return (short) ((bits + rounding) >>> 16);
    }

    /** Rounds a double to what the dtype can hold (identity for float64 and integers in range). */
    public static double roundTo(DType t, double v) {
        return switch (t) {
            case FLOAT32 -> (float) v;
            case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16((float) v));
            case BFLOAT16 -> bfloat16ToFloat(floatToBfloat16((float) v));
            default -> v;
        };
    }
}
