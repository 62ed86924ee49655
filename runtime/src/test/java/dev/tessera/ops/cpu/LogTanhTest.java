package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link Log} and {@link Tanh} against the JDK's Math.log and Math.tanh (themselves within 1 ulp of
 * the exact result; for float32 the double result rounded once): log within 1 ulp, tanh within 2
 * (float32) and 3 (float64); and every lane of the vector loops bit for bit equal to the scalar form, which is what
 * makes the results independent of the JIT. Inputs cover the special values, subnormals, both
 * sides of tanh's 0.625 switch and of log's two final formulas (x near 1, near powers of two).
 */
class LogTanhTest {
    /** A loop kernel: o[oo + i] = f(a[ao + i]) for i in [0, count). */
    interface Kernel {
        long run(MemorySegment a, long ao, MemorySegment o, long oo, long count);
    }

    private static final float[] F_LOG_SPECIAL = {0f, -0f, 1f, -1f, 2f, 0.5f, Float.MIN_VALUE, Float.MIN_NORMAL, 1e-40f,
        Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1.0000001f, 0.99999994f, 0.70710677f,
        1.4142135f, 1.1f, 0.9f, 3.4e38f};
    private static final float[] F_TANH_SPECIAL = {0f, -0f, 0.625f, -0.625f, 0.62499994f, 1e-30f, -1e-30f, Float.MIN_VALUE,
        9f, 9.1f, -9.1f, 20f, 400f, -400f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-4f, 0.3f, -2.5f};

    @Test
    void float32LogWithinOneUlpAndVectorEqualsScalar() {
        SplittableRandom r = new SplittableRandom(11);
        checkFloat("log", F_LOG_SPECIAL, () -> logInput(r), Log::vectorF32, Log::of, Math::log, 1);
    }

    @Test
    void float32TanhWithinTwoUlpsAndVectorEqualsScalar() {
        SplittableRandom r = new SplittableRandom(12);
        checkFloat("tanh", F_TANH_SPECIAL, () -> (float) tanhInput(r), Tanh::vectorF32, Tanh::of, Math::tanh, 2);
    }

    @Test
    void float64LogWithinOneUlpAndVectorEqualsScalar() {
        SplittableRandom r = new SplittableRandom(13);
        double[] special = new double[F_LOG_SPECIAL.length + 3];
        for (int i = 0; i < F_LOG_SPECIAL.length; i++) special[i] = F_LOG_SPECIAL[i];
        special[F_LOG_SPECIAL.length] = Double.MIN_VALUE;
        special[F_LOG_SPECIAL.length + 1] = Double.MAX_VALUE;
        special[F_LOG_SPECIAL.length + 2] = Math.nextUp(1.0);
        checkDouble("log", special, () -> {
            double m = 1 + r.nextDouble(), e = r.nextInt(-1074, 1024);
            return r.nextInt(4) == 0 ? 1 + r.nextDouble(-0.3, 0.3) : m * Math.pow(2, e);
        }, Log::vectorF64, Log::of, Math::log, 1);
    }

    @Test
    void float64TanhWithinThreeUlpsAndVectorEqualsScalar() {
        SplittableRandom r = new SplittableRandom(14);
        double[] special = new double[F_TANH_SPECIAL.length];
        for (int i = 0; i < special.length; i++) special[i] = F_TANH_SPECIAL[i];
        checkDouble("tanh", special, () -> tanhInput(r), Tanh::vectorF64, Tanh::of, Math::tanh, 3);
    }

    private static float logInput(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> (float) (1 + r.nextDouble(-0.3, 0.3));
            case 1 -> Float.intBitsToFloat(r.nextInt(1, 0x00800000)); // subnormal
            default -> Float.intBitsToFloat(r.nextInt(0x00800000, 0x7f800000));
        };
    }

    private static double tanhInput(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextDouble(-0.7, 0.7);
            case 1 -> r.nextDouble(-1e-3, 1e-3);
            case 2 -> r.nextDouble(-25, 25);
            default -> Math.copySign(Math.pow(10, r.nextDouble(-40, 2)), r.nextDouble() - 0.5);
        };
    }

    private static void checkFloat(String name, float[] special, java.util.function.Supplier<Float> input,
            Kernel vector, java.util.function.Function<Float, Float> scalar, DoubleUnaryOperator reference,
            int ulps) {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] xs = new float[lanes], got = new float[lanes];
        for (int n = 0; n < 20_000; n++) {
            for (int j = 0; j < lanes; j++) xs[j] = n * lanes + j < special.length ? special[n * lanes + j] : input.get();
            vector.run(MemorySegment.ofArray(xs), 0, MemorySegment.ofArray(got), 0, lanes);
            for (int j = 0; j < lanes; j++) {
                float x = xs[j], want = (float) reference.applyAsDouble(x), s = scalar.apply(x);
                assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(got[j]), name + ": vector vs scalar at x=" + x);
                if (Float.isNaN(want)) {
                    assertTrue(Float.isNaN(s), name + "(" + x + ") = " + s + ", want NaN");
                } else if (Float.isInfinite(want) || want == 0f) {
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(s), name + "(" + x + ")");
                } else {
                    assertTrue(Math.abs(s - want) <= ulps * Math.ulp(want), name + "(" + x + ") = " + s + ", want " + want);
                }
            }
        }
    }

    private static void checkDouble(String name, double[] special, java.util.function.DoubleSupplier input,
            Kernel vector, DoubleUnaryOperator scalar, DoubleUnaryOperator reference, int ulps) {
        int lanes = DoubleVector.SPECIES_PREFERRED.length();
        double[] xs = new double[lanes], got = new double[lanes];
        for (int n = 0; n < 20_000; n++) {
            for (int j = 0; j < lanes; j++) xs[j] = n * lanes + j < special.length ? special[n * lanes + j] : input.getAsDouble();
            vector.run(MemorySegment.ofArray(xs), 0, MemorySegment.ofArray(got), 0, lanes);
            for (int j = 0; j < lanes; j++) {
                double x = xs[j], want = reference.applyAsDouble(x), s = scalar.applyAsDouble(x);
                assertEquals(Double.doubleToRawLongBits(s), Double.doubleToRawLongBits(got[j]), name + ": vector vs scalar at x=" + x);
                if (Double.isNaN(want)) {
                    assertTrue(Double.isNaN(s), name + "(" + x + ") = " + s + ", want NaN");
                } else if (Double.isInfinite(want) || want == 0) {
                    assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(s), name + "(" + x + ")");
                } else {
                    assertTrue(Math.abs(s - want) <= ulps * Math.ulp(want), name + "(" + x + ") = " + s + ", want " + want);
                }
            }
        }
    }
}
