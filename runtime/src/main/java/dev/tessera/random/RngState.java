package dev.tessera.random;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Byte layout of {@code torch.get_rng_state()} on CPU (CPUGeneratorImpl.cpp, CPUGeneratorImplStateNew):
 * <pre>
 *   0 u64 initial seed | 8 i32 left | 12 i32 seeded | 16 u64 next | 24 u64[624] state words
 *   5016 f64 normal_x (unused) | 5024 f64 normal_y = cached double sample | 5032 f64 normal_rho (unused)
 *   5040 i32 normal_is_valid | 5044 padding | 5048 f32 cached float sample | 5052 u8 its valid flag | padding to 5056
 * </pre>
 * The legacy 5048-byte form stops before the float sample.
 */
final class RngState {
    private RngState() {}

    static byte[] encode(CpuGenerator g) {
        Mt19937 e = g.engine;
        ByteBuffer b = ByteBuffer.allocate(CpuGenerator.STATE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, e.seed);
        b.putInt(8, e.left);
        b.putInt(12, 1);
        b.putLong(16, e.next);
        for (int i = 0; i < Mt19937.N; i++) b.putLong(24 + 8 * i, e.state[i] & 0xFFFFFFFFL);
        if (g.hasDoubleNormal()) {
            b.putDouble(5024, g.doubleNormal());
            b.putInt(5040, 1);
        }
        if (g.hasFloatNormal()) {
            b.putFloat(5048, g.floatNormal());
            b.put(5052, (byte) 1);
        }
        return b.array();
    }

    static void decode(CpuGenerator g, byte[] s) {
        if (s == null || (s.length != CpuGenerator.STATE_SIZE && s.length != 5048))
            throw new IllegalArgumentException("setState: expected an RNG state of 5048 or " + CpuGenerator.STATE_SIZE
                    + " bytes, got " + (s == null ? "null" : s.length));
        ByteBuffer b = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
        int left = b.getInt(8);
        boolean seeded = b.getInt(12) != 0;
        long next = b.getLong(16);
        // at::mt19937::is_valid
        if (!seeded || left <= 0 || left > Mt19937.N || next < 0 || next > Mt19937.N)
            throw new IllegalArgumentException("setState: invalid mt19937 state (left=" + left + ", next=" + next + ")");
        Mt19937 e = g.engine;
        e.seed = b.getLong(0);
        e.left = left;
        e.next = (int) next;
        for (int i = 0; i < Mt19937.N; i++) e.state[i] = (int) b.getLong(24 + 8 * i);
        boolean hasD = b.getInt(5040) != 0;
        boolean hasF = s.length == CpuGenerator.STATE_SIZE && s[5052] != 0;
        g.setCachedNormals(hasD, b.getDouble(5024), hasF, hasF ? b.getFloat(5048) : 0f);
    }
}
