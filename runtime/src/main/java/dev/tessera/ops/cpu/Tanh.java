package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * tanh built only from IEEE-exact operations and {@link Exp}, in a scalar and a vector form that
 * perform the same operations lane by lane (the Vector API's {@code lanewise(TANH)} gives other
 * bits once C2 compiles it; see {@link Exp}).
 *
 * <p>Method: Cephes' {@code tanh}: below |x| = 0.625 a rational function, x + x^3 P(x^2) / Q(x^2);
 * above it 1 - 2 / (e^{2|x|} + 1) with the sign of x. Both are computed and one is selected per
 * lane. About 2 ulp in double; float32 runs Cephes' {@code tanhf} (a polynomial below 0.625),
 * the same steps in float, within 2 ulp.
 */
final class Tanh {
    private Tanh() {}

    private static final double P0 = -9.64399179425052238628E-1, P1 = -9.92877231001918586564E1,
            P2 = -1.61468768441708447952E3;
    private static final double Q0 = 1.12811678491632931402E2, Q1 = 2.23548839060100448583E3,
            Q2 = 4.84406305325125486048E3;
    private static final double SMALL = 0.625;

    // float32: Cephes' tanhf, a degree-5 odd polynomial below 0.625, the same exp formula above
    private static final float F0 = -5.70498872745E-3f, F1 = 2.06390887954E-2f, F2 = -5.37397155531E-2f,
            F3 = 1.33314422036E-1f, F4 = -3.33332819422E-1f;
    private static final float F_SMALL = 0.625f;

    static float of(float x) {
        float ax = Math.abs(x);
        float big = 1f - 2f / (Exp.of(ax * 2f) + 1f);
        big = x < 0 ? -big : big;
        float z = x * x;
        float small = ((((F0 * z + F1) * z + F2) * z + F3) * z + F4) * z * x + x;
        return ax >= F_SMALL ? big : x == 0 ? x : small;
    }

    static double of(double x) {
        double ax = Math.abs(x);
        double big = 1.0 - 2.0 / (Exp.of(ax * 2.0) + 1.0);
        big = x < 0 ? -big : big;
        double s = x * x;
        double ratio = ((P0 * s + P1) * s + P2) / (((s + Q0) * s + Q1) * s + Q2);
        double small = x + x * s * ratio;
        return ax >= SMALL ? big : x == 0 ? x : small; // the sum would turn -0 into +0
    }

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /**
     * o[oo + i] = tanh(a[ao + i]) for i in [0, count), count a multiple of the vector length: the
     * scalar form's operations lane by lane, {@link Exp#of(double)}'s included, written out in the
     * loop body (a helper taking or returning vectors is not reliably inlined; see
     * {@link Log#vectorF64}). LogTanhTest holds the two forms to the same bits.
     */
    static long vectorF64(MemorySegment a, long ao, MemorySegment o, long oo, long count) {
        var sp = Log.DS;
        DoubleVector one = DoubleVector.broadcast(sp, 1.0), two = DoubleVector.broadcast(sp, 2.0);
        for (long at = 0; at < count; at += sp.length()) {
            DoubleVector x = DoubleVector.fromMemorySegment(sp, a, (ao + at) * Double.BYTES, ORDER);
            DoubleVector ax = x.abs();
            // e = exp(2 |x|), as Exp.of(DoubleVector)
            DoubleVector c = ax.mul(2.0).max(Exp.D_MIN).min(Exp.D_MAX);
            DoubleVector shifted = c.mul(Exp.D_LOG2E).add(Exp.D_ROUND);
            DoubleVector q = shifted.sub(Exp.D_ROUND);
            DoubleVector r = q.fma(DoubleVector.broadcast(sp, -Exp.D_LN2_HI), c);
            r = q.fma(DoubleVector.broadcast(sp, -Exp.D_LN2_LO), r);
            DoubleVector u = DoubleVector.broadcast(sp, Exp.D_TAYLOR[0]);
            for (int k = 1; k < Exp.D_TAYLOR.length; k++) u = u.fma(r, DoubleVector.broadcast(sp, Exp.D_TAYLOR[k]));
            LongVector qi = shifted.reinterpretAsLongs().sub(Exp.D_ROUND_BITS);
            LongVector half = qi.add(2048).lanewise(VectorOperators.LSHR, 1).sub(1024);
            DoubleVector e = u.mul(half.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                    .mul(qi.sub(half).add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
            DoubleVector big = one.sub(two.div(e.add(1.0)));
            big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0.0));
            DoubleVector s = x.mul(x);
            DoubleVector num = s.mul(P0).add(P1).mul(s).add(P2);
            DoubleVector den = s.add(Q0).mul(s).add(Q1).mul(s).add(Q2);
            DoubleVector small = x.add(x.mul(s).mul(num.div(den)));
            small = small.blend(x, x.compare(VectorOperators.EQ, 0.0)); // the sum would turn -0 into +0
            small.blend(big, ax.compare(VectorOperators.GE, SMALL)).intoMemorySegment(o, (oo + at) * Double.BYTES, ORDER);
        }
        return count;
    }

    /** {@link #vectorF64} for float32 (Cephes' tanhf, Exp's float form). */
    static long vectorF32(MemorySegment a, long ao, MemorySegment o, long oo, long count) {
        var sp = Log.FS;
        FloatVector one = FloatVector.broadcast(sp, 1f), two = FloatVector.broadcast(sp, 2f);
        for (long at = 0; at < count; at += sp.length()) {
            FloatVector x = FloatVector.fromMemorySegment(sp, a, (ao + at) * Float.BYTES, ORDER);
            FloatVector ax = x.abs();
            // e = exp(2 |x|), as Exp.of(FloatVector)
            FloatVector c = ax.mul(2f).max(Exp.F_MIN).min(Exp.F_MAX);
            FloatVector shifted = c.mul(Exp.F_LOG2E).add(Exp.F_ROUND);
            FloatVector q = shifted.sub(Exp.F_ROUND);
            FloatVector r = q.fma(FloatVector.broadcast(sp, -Exp.F_LN2_HI), c);
            r = q.fma(FloatVector.broadcast(sp, -Exp.F_LN2_LO), r);
            FloatVector u = FloatVector.broadcast(sp, Exp.F_TAYLOR[0]);
            for (int k = 1; k < Exp.F_TAYLOR.length; k++) u = u.fma(r, FloatVector.broadcast(sp, Exp.F_TAYLOR[k]));
            IntVector qi = shifted.reinterpretAsInts().sub(Exp.F_ROUND_BITS);
            IntVector half = qi.lanewise(VectorOperators.ASHR, 1);
            FloatVector e = u.mul(half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(qi.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector big = one.sub(two.div(e.add(1f)));
            big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
            FloatVector z = x.mul(x);
            FloatVector small = z.mul(F0).add(F1).mul(z).add(F2).mul(z).add(F3).mul(z).add(F4).mul(z).mul(x).add(x);
            small = small.blend(x, x.compare(VectorOperators.EQ, 0f));
            small.blend(big, ax.compare(VectorOperators.GE, F_SMALL)).intoMemorySegment(o, (oo + at) * Float.BYTES, ORDER);
        }
        return count;
    }
}
