package dev.tessera.random;

/**
 * Lane-by-lane port of the float routines PyTorch's AVX2 normal sampler uses
 * ({@code log256_ps} and {@code sincos256_ps} from ATen's avx_mathfun.h, Cephes polynomials).
 * They are approximations, so matching torch bit for bit means repeating every float step in order.
 * GCC compiles that header with {@code -mfma} and contracts each multiply whose only use is an
 * add into one fused multiply-add; {@link #CONTRACT} mirrors that (checked against torch's output).
 */
final class AvxMathfun {
    private AvxMathfun() {}

    static final boolean CONTRACT = !Boolean.getBoolean("tessera.rng.noFma");

    private static final float SQRTHF = 0.707106781186547524f;
    private static final float LOG_P0 = 7.0376836292E-2f, LOG_P1 = -1.1514610310E-1f,
            LOG_P2 = 1.1676998740E-1f, LOG_P3 = -1.2420140846E-1f, LOG_P4 = 1.4249322787E-1f,
            LOG_P5 = -1.6668057665E-1f, LOG_P6 = 2.0000714765E-1f, LOG_P7 = -2.4999993993E-1f,
            LOG_P8 = 3.3333331174E-1f, LOG_Q1 = -2.12194440e-4f, LOG_Q2 = 0.693359375f;

    private static final float DP1 = -0.78515625f, DP2 = -2.4187564849853515625e-4f,
            DP3 = -3.77489497744594108e-8f;
    private static final float SIN_P0 = -1.9515295891E-4f, SIN_P1 = 8.3321608736E-3f,
            SIN_P2 = -1.6666654611E-1f;
    private static final float COS_P0 = 2.443315711809948E-005f, COS_P1 = -1.388731625493765E-003f,
            COS_P2 = 4.166664568298827E-002f;
    private static final float FOPI = 1.27323954473516f;

    /** a*b+c, fused or not as the compiled kernel does it. */
    private static float madd(float a, float b, float c) {
        return CONTRACT ? Math.fma(a, b, c) : a * b + c;
    }

    /** log256_ps for one lane; x is in (0, 1] here, so the invalid/denormal guards never fire. */
    static float log(float x) {
        if (x <= 0f) return Float.NaN;
        x = Math.max(x, Float.MIN_NORMAL);
        int bits = Float.floatToRawIntBits(x);
        int imm0 = (bits >>> 23) - 0x7f;
        x = Float.intBitsToFloat((bits & ~0x7f800000) | Float.floatToRawIntBits(0.5f));
        float e = (float) imm0 + 1f;
        boolean small = x < SQRTHF;
        float tmp = small ? x : 0f;
        x = x - 1f;
        e = e - (small ? 1f : 0f);
        x = x + tmp;
        float z = x * x;
        float y = madd(LOG_P0, x, LOG_P1);
        y = madd(y, x, LOG_P2);
        y = madd(y, x, LOG_P3);
        y = madd(y, x, LOG_P4);
        y = madd(y, x, LOG_P5);
        y = madd(y, x, LOG_P6);
        y = madd(y, x, LOG_P7);
        y = madd(y, x, LOG_P8);
        y = y * x;
        // y = y*z + e*q1: GCC fuses the first multiply it meets (y*z) and keeps e*q1 separate.
        y = madd(y, z, e * LOG_Q1);
        y = madd(-z, 0.5f, y);      // y - z*0.5
        x = x + y;
        return madd(e, LOG_Q2, x);  // x + e*q2
    }

    /** sincos256_ps for one lane; writes sin to out[0], cos to out[1]. */
    static void sincos(float xIn, float[] out) {
        int signSin = Float.floatToRawIntBits(xIn) & 0x80000000;
        float x = Math.abs(xIn);
        float y = x * FOPI;
        int j = (int) y;            // cvttps: truncation; arguments stay far below int range
        j = (j + 1) & ~1;
        y = (float) j;
        int swapSin = (j & 4) << 29;
        boolean polyMask = (j & 2) == 0;
        x = madd(y, DP1, x);
        x = madd(y, DP2, x);
        x = madd(y, DP3, x);
        int signCos = (~(j - 2) & 4) << 29;
        signSin ^= swapSin;

        float z = x * x;
        float c = madd(COS_P0, z, COS_P1);
        c = madd(c, z, COS_P2);
        c = c * z;
        c = madd(c, z, -(z * 0.5f)); // c*z - z*0.5, the first multiply fused
        c = c + 1f;

        float s = madd(SIN_P0, z, SIN_P1);
        s = madd(s, z, SIN_P2);
        s = s * z;
        s = madd(s, x, x);

        float ysin2 = polyMask ? s : 0f;
        float ysin1 = polyMask ? 0f : c;
        float s2 = s - ysin2;
        float c2 = c - ysin1;
        float sinV = ysin1 + ysin2;
        float cosV = c2 + s2;
        out[0] = Float.intBitsToFloat(Float.floatToRawIntBits(sinV) ^ signSin);
        out[1] = Float.intBitsToFloat(Float.floatToRawIntBits(cosV) ^ signCos);
    }
}
