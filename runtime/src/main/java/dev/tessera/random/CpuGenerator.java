package dev.tessera.random;

import dev.tessera.DType;
import dev.tessera.tensor.Elements;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * PyTorch's CPU generator ({@code at::CPUGeneratorImpl}, PyTorch 1.13, AVX2 kernels, no MKL):
 * an {@link Mt19937} plus the cached second Box-Muller sample. Each fill method consumes the
 * stream exactly as ATen's kernel does for a contiguous tensor of n elements, so a program that
 * seeds with the same value draws the same numbers as torch. Seeds are unsigned 64-bit values
 * carried in a {@code long}: {@code manualSeed(-1)} is torch's {@code manual_seed(-1)}, whose
 * {@code initial_seed()} reads 2**64-1.
 */
public final class CpuGenerator {
    /** c10's default_rng_seed_val. */
    public static final long DEFAULT_SEED = 67280421310721L;
    /** Size in bytes of torch.get_rng_state() for the CPU generator (CPUGeneratorImplStateNew). */
    public static final int STATE_SIZE = 5056;
    private static final int LEGACY_STATE_SIZE = 5048;

    private static final CpuGenerator DEFAULT = new CpuGenerator(DEFAULT_SEED);

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    final Mt19937 engine;
    private boolean hasDoubleNormal;
    private double nextDoubleNormal;
    // Kept only so that state round-trips through torch's format; no CPU kernel here uses it.
    private boolean hasFloatNormal;
    private float nextFloatNormal;

    public CpuGenerator(long seed) {
        engine = new Mt19937(seed);
    }

    /** The process-wide generator, like {@code torch.default_generator}. */
    public static CpuGenerator defaultGenerator() {
        return DEFAULT;
    }

    /** {@code torch.manual_seed}: reseeds the engine and drops cached normal samples. */
    public synchronized void manualSeed(long seed) {
        engine.seed(seed);
        hasDoubleNormal = false;
        hasFloatNormal = false;
    }

    /** The seed as unsigned 64 bits (use {@link Long#toUnsignedString} to print it as torch does). */
    public synchronized long initialSeed() {
        return engine.seed;
    }

    /** The next raw 32-bit draw, as an unsigned value in an int. */
    public synchronized int nextUInt32() {
        return engine.nextInt();
    }

    /** Two 32-bit draws, the first in the high half (CPUGeneratorImpl::random64). */
    public synchronized long nextUInt64() {
        return engine.nextLong();
    }

    // ---------------------------------------------------------------- uniform

    /** transformation::uniform_real for float: 24 random bits scaled into [0, 1). */
    static float uniformFloat(int r) {
        return (r & 0xFFFFFF) * 0x1.0p-24f;
    }

    /** transformation::uniform_real for double: 53 random bits of a 64-bit draw. */
    static double uniformDouble(long r) {
        return (r & 0x1FFFFFFFFFFFFFL) * 0x1.0p-53;
    }

    /** transformation::uniform_real for Half (11 digits) and BFloat16 (8 digits), computed in float. */
    static float uniform16(int r, boolean bf16) {
        return bf16 ? (r & 0xFF) * 0x1.0p-8f : (r & 0x7FF) * 0x1.0p-11f;
    }

    /**
     * {@code uniform_(from, to)} / {@code torch.rand}: one draw per element (two for float64),
     * {@code x * (to - from) + from} with the fused multiply-add GCC emits for the AVX2 build.
     */
    public synchronized void uniform(MemorySegment seg, long off, long n, DType dtype, double from, double to) {
        checkFill(seg, off, n, dtype, "uniform");
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException("uniform: dtype must be floating point, got " + dtype);
        if (!(from <= to)) throw new IllegalArgumentException("uniform: expects from <= to, got from=" + from + " to=" + to);
        switch (dtype) {
            case FLOAT32 -> {
                float f = (float) from, range = (float) to - f;
                for (long i = 0; i < n; i++) seg.set(F32, off + 4 * i, Math.fma(uniformFloat(engine.nextInt()), range, f));
            }
            case FLOAT64 -> {
                double range = to - from;
                for (long i = 0; i < n; i++) seg.set(F64, off + 8 * i, Math.fma(uniformDouble(engine.nextLong()), range, from));
            }
            default -> {
                boolean bf16 = dtype == DType.BFLOAT16;
                float f = NormalFill.round16((float) from, bf16);
                float range = NormalFill.round16(NormalFill.round16((float) to, bf16) - f, bf16);
                for (long i = 0; i < n; i++) {
                    float v = Math.fma(uniform16(engine.nextInt(), bf16), range, f);
                    seg.set(I16, off + 2 * i, to16(v, bf16));
                }
            }
        }
    }

    // ---------------------------------------------------------------- normal

    /**
     * {@code normal_(mean, std)} / {@code torch.randn}. Contiguous tensors of 16 or more elements
     * take ATen's block path ({@link NormalFill}); smaller or non-contiguous ones draw one double
     * Box-Muller sample per element through the generator's cached-sample path, in element order.
     */
    public synchronized void normal(MemorySegment seg, long off, long n, DType dtype, double mean, double std,
                                    boolean contiguousTensor) {
        checkFill(seg, off, n, dtype, "normal");
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException("normal: dtype must be floating point, got " + dtype);
        if (!(std >= 0)) throw new IllegalArgumentException("normal: expects std >= 0.0, got " + std);
        if (n >= 16 && contiguousTensor) {
            switch (dtype) {
                case FLOAT32 -> NormalFill.float32(engine, seg, off, n, (float) mean, (float) std);
                case FLOAT64 -> NormalFill.float64(engine, seg, off, n, mean, std);
                default -> NormalFill.half(engine, seg, off, n, dtype == DType.BFLOAT16, mean, std);
            }
            return;
        }
        for (long i = 0; i < n; i++) {
            double v = Math.fma(nextNormalSample(), std, mean);
            switch (dtype) {
                case FLOAT32 -> seg.set(F32, off + 4 * i, (float) v);
                case FLOAT64 -> seg.set(F64, off + 8 * i, v);
                case FLOAT16 -> seg.set(I16, off + 2 * i, Float.floatToFloat16((float) v));
                default -> seg.set(I16, off + 2 * i, to16((float) v, true));
            }
        }
    }

    /** at::normal_distribution<double> before mean/std: returns the cached sine sample when there is one. */
    private double nextNormalSample() {
        if (hasDoubleNormal) {
            hasDoubleNormal = false;
            return nextDoubleNormal;
        }
        double u1 = uniformDouble(engine.nextLong());
        double u2 = uniformDouble(engine.nextLong());
        double r = Math.sqrt(-2.0 * Math.log(1.0 - u2));
        double theta = 2.0 * Math.PI * u1;
        nextDoubleNormal = r * Math.sin(theta);
        hasDoubleNormal = true;
        return r * Math.cos(theta);
    }

    // ---------------------------------------------------------------- integers

    /**
     * {@code torch.randint(low, high)} / {@code random_(low, high)}: {@code (draw % range) + low} with
     * an unsigned 64-bit range; a 64-bit draw only for int64/float64/float32/bfloat16 when the range
     * reaches 2**32, otherwise one 32-bit draw per element.
     */
    public synchronized void randint(MemorySegment seg, long off, long n, DType dtype, long low, long high) {
        checkFill(seg, off, n, dtype, "randint");
        if (low >= high) throw new IllegalArgumentException("randint: expects low < high, got low=" + low + " high=" + high);
        long range = high - low;
        boolean wide = Long.compareUnsigned(range, 1L << 32) >= 0
                && (dtype == DType.INT64 || dtype == DType.FLOAT64 || dtype == DType.FLOAT32 || dtype == DType.BFLOAT16);
        int size = dtype.byteSize();
        for (long i = 0; i < n; i++) {
            long draw = wide ? engine.nextLong() : engine.nextInt() & 0xFFFFFFFFL;
            storeInteger(seg, off + size * i, dtype, Long.remainderUnsigned(draw, range) + low);
        }
    }

    /** {@code bernoulli_(p)} for a scalar p: {@code uniform_double < p} per element (the non-MKL kernel). */
    public synchronized void bernoulli(MemorySegment seg, long off, long n, DType dtype, double p) {
        checkFill(seg, off, n, dtype, "bernoulli");
        if (dtype == DType.FLOAT16 || dtype == DType.BFLOAT16)
            throw new IllegalArgumentException("bernoulli: \"bernoulli_scalar_cpu_\" not implemented for " + dtype);
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli: expects 0 <= p <= 1, got " + p);
        int size = dtype.byteSize();
        for (long i = 0; i < n; i++) {
            long bit = uniformDouble(engine.nextLong()) < p ? 1 : 0;
            storeInteger(seg, off + size * i, dtype, bit);
        }
    }

    /** {@code torch.randperm(n)} on CPU: identity, then a forward Fisher-Yates swap with 32-bit draws. */
    public synchronized long[] randperm(long n) {
        if (n < 0 || n > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("randperm: n must be in [0, 2**31-9] here, got " + n);
        long[] r = new long[(int) n];
        for (int i = 0; i < n; i++) r[i] = i;
        for (int i = 0; i < n - 1; i++) {
            long z = (engine.nextInt() & 0xFFFFFFFFL) % (n - i);
            long sav = r[i];
            r[i] = r[(int) (z + i)];
            r[(int) (z + i)] = sav;
        }
        return r;
    }

    /** static_cast<scalar_t>(int64_t): wraps for integers, rounds once for floats. */
    private static void storeInteger(MemorySegment seg, long at, DType dtype, long v) {
        switch (dtype) {
            case INT64 -> seg.set(I64, at, v);
            case INT32 -> seg.set(I32, at, (int) v);
            case INT16 -> seg.set(I16, at, (short) v);
            case INT8, UINT8 -> seg.set(ValueLayout.JAVA_BYTE, at, (byte) v);
            case BOOL -> seg.set(ValueLayout.JAVA_BYTE, at, (byte) (v != 0 ? 1 : 0));
            case FLOAT32 -> seg.set(F32, at, (float) v);
            case FLOAT64 -> seg.set(F64, at, (double) v);
            case FLOAT16 -> seg.set(I16, at, Float.floatToFloat16((float) v));
            case BFLOAT16 -> seg.set(I16, at, to16((float) v, true));
        }
    }

    private static short to16(float v, boolean bf16) {
        return bf16 ? Elements.floatToBfloat16(v) : Float.floatToFloat16(v);
    }

    private static void checkFill(MemorySegment seg, long off, long n, DType dtype, String op) {
        if (seg == null || dtype == null) throw new IllegalArgumentException(op + ": segment and dtype must not be null");
        if (n < 0) throw new IllegalArgumentException(op + ": element count must be >= 0, got " + n);
        if (off < 0 || off + n * dtype.byteSize() > seg.byteSize())
            throw new IllegalArgumentException(op + ": " + n + " elements of " + dtype + " at byte offset " + off
                    + " do not fit a segment of " + seg.byteSize() + " bytes");
    }

    // ---------------------------------------------------------------- state

    /** The state in torch.get_rng_state()'s byte layout (5056 bytes, little-endian). */
    public synchronized byte[] getState() {
        return RngState.encode(this);
    }

    /** Restores a state from getState() or torch.get_rng_state() (5056 bytes, or the 5048-byte legacy form). */
    public synchronized void setState(byte[] s) {
        RngState.decode(this, s);
    }

    // Accessors for RngState.
    boolean hasDoubleNormal() { return hasDoubleNormal; }
    double doubleNormal() { return nextDoubleNormal; }
    boolean hasFloatNormal() { return hasFloatNormal; }
    float floatNormal() { return nextFloatNormal; }
    void setCachedNormals(boolean hasD, double d, boolean hasF, float f) {
        hasDoubleNormal = hasD;
        nextDoubleNormal = d;
        hasFloatNormal = hasF;
        nextFloatNormal = f;
    }
}
