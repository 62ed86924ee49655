package dev.tessera.ops.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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

    static DoubleVector of(DoubleVector x) {
        DoubleVector ax = x.abs();
        DoubleVector big = Exp.of(ax.mul(2.0)).add(1.0);
        big = DoubleVector.broadcast(Log.DS, 1.0).sub(DoubleVector.broadcast(Log.DS, 2.0).div(big));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0.0));
        DoubleVector s = x.mul(x);
        DoubleVector num = s.mul(P0).add(P1).mul(s).add(P2);
        DoubleVector den = s.add(Q0).mul(s).add(Q1).mul(s).add(Q2);
        DoubleVector small = x.add(x.mul(s).mul(num.div(den)));
        VectorMask<Double> large = ax.compare(VectorOperators.GE, SMALL);
        small = small.blend(x, x.compare(VectorOperators.EQ, 0.0)); // the sum would turn -0 into +0
        return small.blend(big, large);
    }

    static FloatVector of(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector big = Exp.of(ax.mul(2f)).add(1f);
        big = FloatVector.broadcast(Log.FS, 1f).sub(FloatVector.broadcast(Log.FS, 2f).div(big));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector z = x.mul(x);
        FloatVector small = z.mul(F0).add(F1).mul(z).add(F2).mul(z).add(F3).mul(z).add(F4).mul(z).mul(x).add(x);
        small = small.blend(x, x.compare(VectorOperators.EQ, 0f));
        return small.blend(big, ax.compare(VectorOperators.GE, F_SMALL));
    }
}
