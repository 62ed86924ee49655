package dev.tessera.ops.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * exp(x) built only from IEEE-exact operations (add, multiply, fused multiply-add, bit shifts), in
 * one vector form and one scalar form that perform the same operations lane by lane. The Vector
 * API's {@code lanewise(EXP)} is an intrinsic (SVML) once C2 compiles a loop but {@code Math.exp}
 * per lane before, so exp, softmax and sigmoid gave different bits for the same input depending on
 * whether the JIT had run; these forms give the same bits in the interpreter, C1 and C2, on the
 * vector body and the scalar tail.
 *
 * <p>Method: x = q ln2 + s with q = round(x / ln2) and ln2 split into a short high part and a
 * correction (Cody-Waite), e^s from its Taylor series up to s^7/7! (float) or s^13/13! (double),
 * whose truncation error at |s| <= ln2/2 is below a tenth of an ulp, then times 2^q applied as two
 * exact powers of two so results that end subnormal round once. Accuracy about 1-2 ulp.
 */
final class Exp {
    private Exp() {}

    // float: inputs clamped to where exp is 0 (below) or infinite (above) once rounded
    static final float F_MIN = -104f, F_MAX = 89f;
    static final float F_LOG2E = 1.44269504088896341f;
    static final float F_LN2_HI = 0.693145751953125f; // few significant bits: q * hi is exact
    static final float F_LN2_LO = 1.42860682030941723212e-6f;
    static final float F_ROUND = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    static final int F_ROUND_BITS = Float.floatToRawIntBits(F_ROUND);
    static final float[] F_TAYLOR = {1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f, 1f, 1f};

    static float of(float x) {
        float c = Math.min(Math.max(x, F_MIN), F_MAX);
        float shifted = c * F_LOG2E + F_ROUND;
        float q = shifted - F_ROUND;
        float s = Math.fma(q, -F_LN2_HI, c);
        s = Math.fma(q, -F_LN2_LO, s);
        float u = F_TAYLOR[0];
        for (int k = 1; k < F_TAYLOR.length; k++) {
            u = Math.fma(u, s, F_TAYLOR[k]);
        }
        int qi = Float.floatToRawIntBits(shifted) - F_ROUND_BITS;
        int half = qi >> 1;
        return u * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((qi - half + 127) << 23);
    }

    static FloatVector of(FloatVector x) {
        var sp = x.species();
        FloatVector c = x.max(F_MIN).min(F_MAX);
        FloatVector shifted = c.mul(F_LOG2E).add(F_ROUND);
        FloatVector q = shifted.sub(F_ROUND);
        FloatVector s = q.fma(FloatVector.broadcast(sp, -F_LN2_HI), c);
        s = q.fma(FloatVector.broadcast(sp, -F_LN2_LO), s);
        FloatVector u = FloatVector.broadcast(sp, F_TAYLOR[0]);
        for (int k = 1; k < F_TAYLOR.length; k++) {
            u = u.fma(s, FloatVector.broadcast(sp, F_TAYLOR[k]));
        }
        IntVector qi = shifted.reinterpretAsInts().sub(F_ROUND_BITS);
        IntVector half = qi.lanewise(VectorOperators.ASHR, 1);
        FloatVector p1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector p2 = qi.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return u.mul(p1).mul(p2);
    }

    // double
    static final double D_MIN = -746, D_MAX = 710;
    static final double D_LOG2E = 1.4426950408889634;
    static final double D_LN2_HI = 6.93147180369123816490e-01;
    static final double D_LN2_LO = 1.90821492927058770002e-10;
    static final double D_ROUND = 6755399441055744.0; // 1.5 * 2^52
    static final long D_ROUND_BITS = Double.doubleToRawLongBits(D_ROUND);
    static final double[] D_TAYLOR = taylor(13);

    /** 1/n!, ..., 1/1!, 1/0!: Horner order. */
    private static double[] taylor(int n) {
        double[] c = new double[n + 1];
        double f = 1;
        for (int k = 1; k <= n; k++) {
            f *= k;
        }
        for (int k = n; k >= 0; k--) {
            c[n - k] = 1 / f;
            f /= Math.max(k, 1);
        }
        return c;
    }

    static double of(double x) {
        double c = Math.min(Math.max(x, D_MIN), D_MAX);
        double shifted = c * D_LOG2E + D_ROUND;
        double q = shifted - D_ROUND;
        double s = Math.fma(q, -D_LN2_HI, c);
        s = Math.fma(q, -D_LN2_LO, s);
        double u = D_TAYLOR[0];
        for (int k = 1; k < D_TAYLOR.length; k++) {
            u = Math.fma(u, s, D_TAYLOR[k]);
        }
        long qi = Double.doubleToRawLongBits(shifted) - D_ROUND_BITS;
        long half = qi >> 1;
        return u * Double.longBitsToDouble((half + 1023) << 52) * Double.longBitsToDouble((qi - half + 1023) << 52);
    }

    static DoubleVector of(DoubleVector x) {
        var sp = x.species();
        DoubleVector c = x.max(D_MIN).min(D_MAX);
        DoubleVector shifted = c.mul(D_LOG2E).add(D_ROUND);
        DoubleVector q = shifted.sub(D_ROUND);
        DoubleVector s = q.fma(DoubleVector.broadcast(sp, -D_LN2_HI), c);
        s = q.fma(DoubleVector.broadcast(sp, -D_LN2_LO), s);
        DoubleVector u = DoubleVector.broadcast(sp, D_TAYLOR[0]);
        for (int k = 1; k < D_TAYLOR.length; k++) {
            u = u.fma(s, DoubleVector.broadcast(sp, D_TAYLOR[k]));
        }
        LongVector qi = shifted.reinterpretAsLongs().sub(D_ROUND_BITS);
        // qi >> 1, as a logical shift of a non-negative value: AVX2 has no 64-bit arithmetic shift
        LongVector half = qi.add(2048).lanewise(VectorOperators.LSHR, 1).sub(1024);
        DoubleVector p1 = half.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector p2 = qi.sub(half).add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return u.mul(p1).mul(p2);
    }
}
