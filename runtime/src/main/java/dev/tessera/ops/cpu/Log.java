package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Natural logarithm built only from IEEE-exact operations (add, subtract, multiply, divide, integer
 * bit operations), in a scalar and a vector form that perform the same operations lane by lane, so
 * the bits do not depend on the JIT: the Vector API's {@code lanewise(LOG)} is an SVML intrinsic once
 * C2 compiles a loop and {@code Math.log} per lane before (see {@link Exp} for the same problem with
 * exp).
 *
 * <p>Method: fdlibm's {@code __ieee754_log} (the algorithm of {@code StrictMath.log}): x = 2^k m
 * with m in [sqrt(2)/2, sqrt(2)), f = m - 1, s = f / (2 + f), log(m) = f - hfsq + s (hfsq + R(s^2))
 * with R a degree-7 minimax polynomial, and k ln2 added in two parts. Both of fdlibm's final
 * formulas are computed and one is selected per lane by fdlibm's own condition; its shortcut for
 * |f| < 2^-20 is left out (the general formula is as accurate there): the same bits as
 * {@code StrictMath.log}. Float32 runs FreeBSD's {@code e_logf.c}, the same steps in float (16
 * lanes a vector and float division: computing it in double and rounding once was 4x slower than
 * PyTorch's float log), within 1 ulp.
 */
final class Log {
    private Log() {}

    private static final double LN2_HI = Double.longBitsToDouble(0x3fe62e42fee00000L);
    private static final double LN2_LO = Double.longBitsToDouble(0x3dea39ef35793c76L);
    private static final double TWO54 = 0x1p54;
    private static final double LG1 = Double.longBitsToDouble(0x3FE5555555555593L);
    private static final double LG2 = Double.longBitsToDouble(0x3FD999999997FA04L);
    private static final double LG3 = Double.longBitsToDouble(0x3FD2492494229359L);
    private static final double LG4 = Double.longBitsToDouble(0x3FCC71C51D8E78AFL);
    private static final double LG5 = Double.longBitsToDouble(0x3FC7466496CB03DEL);
    private static final double LG6 = Double.longBitsToDouble(0x3FC39A09D078C69FL);
    private static final double LG7 = Double.longBitsToDouble(0x3FC2F112DF3E5244L);

    // float32: FreeBSD's e_logf.c, the same steps in float with a degree-4 polynomial
    private static final float F_LN2_HI = Float.intBitsToFloat(0x3f317180);
    private static final float F_LN2_LO = Float.intBitsToFloat(0x3717f7d1);
    private static final float TWO25 = 0x1p25f;
    private static final float F_LG1 = 0xaaaaaa.0p-24f, F_LG2 = 0xccce13.0p-25f, F_LG3 = 0x91e9ee.0p-25f, F_LG4 = 0xf89e26.0p-26f;

    static float of(float x) {
        boolean subnormal = x < Float.MIN_NORMAL;
        float xs = subnormal ? x * TWO25 : x;
        int ix = Float.floatToRawIntBits(xs);
        int k = (ix >> 23) - 127 + (subnormal ? -25 : 0);
        ix &= 0x007fffff;
        int i = (ix + (0x95f64 << 3)) & 0x800000;
        float m = Float.intBitsToFloat(ix | (i ^ 0x3f800000));
        k += i >> 23;
        float f = m - 1f;
        float s = f / (2f + f);
        float dk = (float) k;
        float z = s * s;
        float w = z * z;
        float t1 = w * (F_LG2 + w * F_LG4);
        float t2 = z * (F_LG1 + w * F_LG3);
        float r = t2 + t1;
        float hfsq = 0.5f * f * f;
        float wide = dk * F_LN2_HI - ((hfsq - (s * (hfsq + r) + dk * F_LN2_LO)) - f);
        float narrow = dk * F_LN2_HI - ((s * (f - r) - dk * F_LN2_LO) - f);
        float y = ((ix - (0x6147a << 3)) | ((0x6b851 << 3) - ix)) > 0 ? wide : narrow;
        if (x == 0) return Float.NEGATIVE_INFINITY;
        if (x < 0 || Float.isNaN(x)) return Float.NaN;
        if (x == Float.POSITIVE_INFINITY) return x;
        return y;
    }

    static double of(double x) {
        boolean subnormal = x < Double.MIN_NORMAL;
        double xs = subnormal ? x * TWO54 : x;
        long bits = Double.doubleToRawLongBits(xs);
        long hx = bits >>> 32;
        long k = (hx >> 20) - 1023 + (subnormal ? -54 : 0);
        hx &= 0x000fffffL;
        long i = (hx + 0x95f64L) & 0x100000L;
        double m = Double.longBitsToDouble(((hx | (i ^ 0x3ff00000L)) << 32) | (bits & 0xffffffffL));
        k += i >> 20;
        double f = m - 1.0;
        double s = f / (2.0 + f);
        double dk = (double) k;
        double z = s * s;
        double w = z * z;
        double t1 = w * (LG2 + w * (LG4 + w * LG6));
        double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
        double r = t2 + t1;
        double hfsq = 0.5 * f * f;
        double wide = dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
        double narrow = dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f);
        double y = ((hx - 0x6147aL) | (0x6b851L - hx)) > 0 ? wide : narrow;
        if (x == 0) return Double.NEGATIVE_INFINITY; // both zeros
        if (x < 0 || Double.isNaN(x)) return Double.NaN;
        if (x == Double.POSITIVE_INFINITY) return x;
        return y;
    }

    /** The vector forms run the preferred species (constant species: C2 intrinsifies nothing else). */
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    // the vector forms avoid what only AVX-512 compiles to SIMD code (64-bit arithmetic shifts, and
    // long-to-double conversion, here done exactly as (1.5 * 2^52 + k) - 1.5 * 2^52 for the small
    // exponent k, in the binade where the ulp is 1); the shifted values are never negative
    private static final double EXACT = 0x1.8p52;
    private static final long EXACT_BITS = Double.doubleToRawLongBits(EXACT);
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /**
     * o[oo + i] = log(a[ao + i]) for i in [0, count), count a multiple of the vector length: the
     * scalar form's operations lane by lane. The vector math sits in the loop body, not in a
     * method of its own: a helper taking or returning a vector is inlined only while C2 has not
     * compiled it on its own (then, at this size, it is "already compiled into a big method") and
     * otherwise boxes every vector (tanh on 1M doubles took 33-42 ms instead of 1.5).
     */
    static long vectorF64(MemorySegment a, long ao, MemorySegment o, long oo, long count) {
        for (long at = 0; at < count; at += DS.length()) {
            DoubleVector x = DoubleVector.fromMemorySegment(DS, a, (ao + at) * Double.BYTES, ORDER);
            VectorMask<Double> subnormal = x.compare(VectorOperators.LT, Double.MIN_NORMAL);
            DoubleVector xs = x.blend(x.mul(TWO54), subnormal);
            LongVector bits = xs.reinterpretAsLongs();
            LongVector hx = bits.lanewise(VectorOperators.LSHR, 32);
            LongVector k = hx.lanewise(VectorOperators.LSHR, 20).sub(1023)
                    .add(LongVector.zero(LS).blend(-54, subnormal.cast(LS)));
            hx = hx.and(0x000fffffL);
            LongVector i = hx.add(0x95f64L).and(0x100000L);
            DoubleVector m = hx.or(i.lanewise(VectorOperators.XOR, 0x3ff00000L)).lanewise(VectorOperators.LSHL, 32)
                    .or(bits.and(0xffffffffL)).reinterpretAsDoubles();
            k = k.add(i.lanewise(VectorOperators.LSHR, 20));
            DoubleVector f = m.sub(1.0);
            DoubleVector s = f.div(f.add(2.0));
            DoubleVector dk = k.add(EXACT_BITS).reinterpretAsDoubles().sub(EXACT);
            DoubleVector z = s.mul(s);
            DoubleVector w = z.mul(z);
            DoubleVector t1 = w.mul(w.mul(w.mul(LG6).add(LG4)).add(LG2));
            DoubleVector t2 = z.mul(w.mul(w.mul(w.mul(LG7).add(LG5)).add(LG3)).add(LG1));
            DoubleVector r = t2.add(t1);
            DoubleVector hfsq = f.mul(0.5).mul(f);
            DoubleVector hi = dk.mul(LN2_HI), lo = dk.mul(LN2_LO);
            DoubleVector wide = hi.sub(hfsq.sub(s.mul(hfsq.add(r)).add(lo)).sub(f));
            DoubleVector narrow = hi.sub(s.mul(f.sub(r)).sub(lo).sub(f));
            VectorMask<Long> useWide = hx.sub(0x6147aL).or(LongVector.broadcast(LS, 0x6b851L).sub(hx)).compare(VectorOperators.GT, 0);
            DoubleVector y = narrow.blend(wide, useWide.cast(DS));
            y = y.blend(Double.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0.0));
            y = y.blend(Double.NaN, x.compare(VectorOperators.LT, 0.0).or(x.test(VectorOperators.IS_NAN)));
            y = y.blend(x, x.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY));
            y.intoMemorySegment(o, (oo + at) * Double.BYTES, ORDER);
        }
        return count;
    }

    /** {@link #vectorF64} for float32 (the float algorithm, not the double one). */
    static long vectorF32(MemorySegment a, long ao, MemorySegment o, long oo, long count) {
        for (long at = 0; at < count; at += FS.length()) {
            FloatVector x = FloatVector.fromMemorySegment(FS, a, (ao + at) * Float.BYTES, ORDER);
            VectorMask<Float> subnormal = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
            FloatVector xs = x.blend(x.mul(TWO25), subnormal);
            IntVector bits = xs.reinterpretAsInts();
            IntVector k = bits.lanewise(VectorOperators.ASHR, 23).sub(127)
                    .add(IntVector.zero(IS).blend(-25, subnormal.cast(IS)));
            IntVector ix = bits.and(0x007fffff);
            IntVector i = ix.add(0x95f64 << 3).and(0x800000);
            FloatVector m = ix.or(i.lanewise(VectorOperators.XOR, 0x3f800000)).reinterpretAsFloats();
            k = k.add(i.lanewise(VectorOperators.ASHR, 23));
            FloatVector f = m.sub(1f);
            FloatVector s = f.div(f.add(2f));
            FloatVector dk = (FloatVector) k.convert(VectorOperators.I2F, 0);
            FloatVector z = s.mul(s);
            FloatVector w = z.mul(z);
            FloatVector t1 = w.mul(w.mul(F_LG4).add(F_LG2));
            FloatVector t2 = z.mul(w.mul(F_LG3).add(F_LG1));
            FloatVector r = t2.add(t1);
            FloatVector hfsq = f.mul(0.5f).mul(f);
            FloatVector hi = dk.mul(F_LN2_HI), lo = dk.mul(F_LN2_LO);
            FloatVector wide = hi.sub(hfsq.sub(s.mul(hfsq.add(r)).add(lo)).sub(f));
            FloatVector narrow = hi.sub(s.mul(f.sub(r)).sub(lo).sub(f));
            VectorMask<Integer> useWide = ix.sub(0x6147a << 3).or(IntVector.broadcast(IS, 0x6b851 << 3).sub(ix))
                    .compare(VectorOperators.GT, 0);
            FloatVector y = narrow.blend(wide, useWide.cast(FS));
            y = y.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
            y = y.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.test(VectorOperators.IS_NAN)));
            y = y.blend(x, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
            y.intoMemorySegment(o, (oo + at) * Float.BYTES, ORDER);
        }
        return count;
    }
}
