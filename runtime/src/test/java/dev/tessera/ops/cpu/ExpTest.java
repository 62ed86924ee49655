package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link Exp} against the JDK's Math.exp (within 1 ulp of the exact result; for float32 the double
 * result rounded once is the reference) and its vector form against its scalar form, bit for bit.
 */
class ExpTest {
    private static final float[] F_SPECIAL = {0f, -0f, 1f, -1f, 88.7f, 88.73f, 89f, 100f, -87.3f, -100f, -103.9f,
        -104f, -200f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-8f, -1e-8f, 0.34657f, -0.34657f};
    private static final double[] D_SPECIAL = {0, -0.0, 1, -1, 709.7, 709.79, 710, 800, -708.4, -740, -745.1,
        -746, -1000, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1e-17, -1e-17, 0.34657, -0.34657};

    @Test
    void float32WithinTwoUlpsAndVectorEqualsScalar() {
        SplittableRandom r = new SplittableRandom(7);
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] xs = new float[lanes], got = new float[lanes];
        for (int n = 0; n < 20_000; n++) {
            for (int j = 0; j < lanes; j++) {
                xs[j] = n < F_SPECIAL.length && j == 0 ? F_SPECIAL[n] : (float) r.nextDouble(-110, 95);
            }
            Exp.of(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, xs, 0)).intoArray(got, 0);
            for (int j = 0; j < lanes; j++) {
                float x = xs[j], want = (float) Math.exp(x), scalar = Exp.of(x);
                assertEquals(Float.floatToIntBits(scalar), Float.floatToIntBits(got[j]), "vector vs scalar at x=" + x);
                if (Float.isNaN(want) || Float.isInfinite(want) || want == 0f) {
                    assertEquals(want, scalar, "exp(" + x + ")");
                } else {
                    assertTrue(Math.abs(scalar - want) <= 2 * Math.ulp(want), "exp(" + x + ") = " + scalar + ", want " + want);
                }
            }
        }
    }

    @Test
    void float64WithinTwoUlpsAndVectorEqualsScalar() {
        SplittableRandom r = new SplittableRandom(8);
        int lanes = DoubleVector.SPECIES_PREFERRED.length();
        double[] xs = new double[lanes], got = new double[lanes];
        for (int n = 0; n < 20_000; n++) {
            for (int j = 0; j < lanes; j++) {
                xs[j] = n < D_SPECIAL.length && j == 0 ? D_SPECIAL[n] : r.nextDouble(-750, 720);
            }
            Exp.of(DoubleVector.fromArray(DoubleVector.SPECIES_PREFERRED, xs, 0)).intoArray(got, 0);
            for (int j = 0; j < lanes; j++) {
                double x = xs[j], want = Math.exp(x), scalar = Exp.of(x);
                assertEquals(Double.doubleToLongBits(scalar), Double.doubleToLongBits(got[j]), "vector vs scalar at x=" + x);
                if (Double.isNaN(want) || Double.isInfinite(want) || want == 0) {
                    assertEquals(want, scalar, "exp(" + x + ")");
                } else if (want >= Double.MIN_NORMAL) {
                    assertTrue(Math.abs(scalar - want) <= 2 * Math.ulp(want), "exp(" + x + ") = " + scalar + ", want " + want);
                } else {
                    // subnormal results: one rounding of the product, within one subnormal step
                    assertTrue(Math.abs(scalar - want) <= 2 * Double.MIN_VALUE, "exp(" + x + ") = " + scalar + ", want " + want);
                }
            }
        }
    }
}
