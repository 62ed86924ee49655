package dev.tessera.random;

import dev.tessera.tensor.Elements;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ATen's block normal sampler for contiguous tensors of at least 16 elements
 * (DistributionTemplates.h {@code normal_fill} and, for float32 on AVX2, {@code normal_fill_AVX2}).
 * ATen first draws n uniforms, turns each block of 16 into 16 normals by Box-Muller (u1 from the
 * first 8, u2 from the last 8), and, when n is not a multiple of 16, draws 16 fresh uniforms and
 * recomputes the last 16 elements. The transforms use no randomness, so drawing and transforming
 * block by block here consumes the stream identically without a full-size scratch buffer.
 */
final class NormalFill {
    private NormalFill() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    /** {@code 2.0f * c10::pi<double>} is a double; the AVX2 kernel then narrows it to float. */
    private static final double TWO_PI = 2.0 * Math.PI;

    static void float32(Mt19937 rng, MemorySegment seg, long off, long n, float mean, float std) {
        float[] buf = new float[16];
        float[] sc = new float[2];
        long full = n / 16;
        for (long b = 0; b < full; b++) {
            for (int i = 0; i < 16; i++) buf[i] = CpuGenerator.uniformFloat(rng.nextInt());
            avx2Block(buf, sc, mean, std);
            MemorySegment.copy(buf, 0, seg, F32, off + b * 64, 16);
        }
        int rest = (int) (n % 16);
        if (rest != 0) {
            for (int i = 0; i < rest; i++) rng.nextInt();  // uniforms ATen draws, then overwrites
            for (int i = 0; i < 16; i++) buf[i] = CpuGenerator.uniformFloat(rng.nextInt());
            avx2Block(buf, sc, mean, std);
            MemorySegment.copy(buf, 0, seg, F32, off + (n - 16) * 4, 16);
        }
    }

    /** normal_fill_16_AVX2: the std/mean step is an explicit _mm256_fmadd_ps. */
    private static void avx2Block(float[] d, float[] sc, float mean, float std) {
        final float twoPi = (float) TWO_PI;
        for (int j = 0; j < 8; j++) {
            float u1 = 1f - d[j];
            float u2 = d[j + 8];
            float radius = (float) Math.sqrt(-2f * AvxMathfun.log(u1));
            AvxMathfun.sincos(twoPi * u2, sc);
            d[j] = Math.fma(radius * sc[1], std, mean);
            d[j + 8] = Math.fma(radius * sc[0], std, mean);
        }
    }

    static void float64(Mt19937 rng, MemorySegment seg, long off, long n, double mean, double std) {
        double[] buf = new double[16];
        long full = n / 16;
        for (long b = 0; b < full; b++) {
            for (int i = 0; i < 16; i++) buf[i] = CpuGenerator.uniformDouble(rng.nextLong());
            doubleBlock(buf, mean, std);
            MemorySegment.copy(buf, 0, seg, F64, off + b * 128, 16);
        }
        int rest = (int) (n % 16);
        if (rest != 0) {
            for (int i = 0; i < rest; i++) rng.nextLong();
            for (int i = 0; i < 16; i++) buf[i] = CpuGenerator.uniformDouble(rng.nextLong());
            doubleBlock(buf, mean, std);
            MemorySegment.copy(buf, 0, seg, F64, off + (n - 16) * 8, 16);
        }
    }

    /** normal_fill_16 for double; HotSpot's Math.log/cos/sin agree with glibc's in ~99.9% of
     * cases (StrictMath's fdlibm in ~93-97%); the rest differ in the last bit. */
    private static void doubleBlock(double[] d, double mean, double std) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1 - d[j];
            double u2 = d[j + 8];
            double radius = Math.sqrt(-2 * Math.log(u1));
            double theta = TWO_PI * u2;
            d[j] = Math.fma(radius * Math.cos(theta), std, mean);
            d[j + 8] = Math.fma(radius * Math.sin(theta), std, mean);
        }
    }

    /**
     * normal_fill_16 instantiated for c10::Half / c10::BFloat16: intermediates are rounded to the
     * 16-bit type where ATen stores them in a scalar_t variable, and computed in float otherwise.
     */
    static void half(Mt19937 rng, MemorySegment seg, long off, long n, boolean bf16, double meanD, double stdD) {
        float mean = round16((float) meanD, bf16);
        float std = round16((float) stdD, bf16);
        float[] buf = new float[16];
        long full = n / 16;
        for (long b = 0; b < full; b++) {
            for (int i = 0; i < 16; i++) buf[i] = CpuGenerator.uniform16(rng.nextInt(), bf16);
            halfBlock(buf, bf16, mean, std);
            store16(seg, off + b * 32, buf, bf16);
        }
        int rest = (int) (n % 16);
        if (rest != 0) {
            for (int i = 0; i < rest; i++) rng.nextInt();
            for (int i = 0; i < 16; i++) buf[i] = CpuGenerator.uniform16(rng.nextInt(), bf16);
            halfBlock(buf, bf16, mean, std);
            store16(seg, off + (n - 16) * 2, buf, bf16);
        }
    }

    private static void halfBlock(float[] d, boolean bf16, float mean, float std) {
        if (bf16) {
            bfloat16Block(d, mean, std);
            return;
        }
        for (int j = 0; j < 8; j++) {
            float u1 = round16(1f - d[j], false);
            float u2 = d[j + 8];
            // c10::Half has no std:: math overloads: log/sqrt/cos/sin run on float, and the
            // float products feed a contracted multiply-add.
            float radius = round16((float) Math.sqrt(-2f * (float) Math.log(u1)), false);
            float theta = round16((float) (TWO_PI * u2), false);
            float c = (float) Math.cos(theta);
            float s = (float) Math.sin(theta);
            d[j] = round16(Math.fma(radius * c, std, mean), false);
            d[j + 8] = round16(Math.fma(radius * s, std, mean), false);
        }
    }

    /**
     * c10 declares std::log/sqrt/cos/sin for BFloat16 (BFloat16-math.h) and BFloat16 operators that
     * round after every step, so here each intermediate is a bfloat16.
     */
    private static void bfloat16Block(float[] d, float mean, float std) {
        for (int j = 0; j < 8; j++) {
            float u1 = bf(1f - d[j]);
            float u2 = d[j + 8];
            float radius = bf((float) Math.sqrt(bf(-2f * bf((float) Math.log(u1)))));
            float theta = bf((float) (TWO_PI * u2));
            float c = bf((float) Math.cos(theta));
            float s = bf((float) Math.sin(theta));
            d[j] = bf(bf(bf(radius * c) * std) + mean);
            d[j + 8] = bf(bf(bf(radius * s) * std) + mean);
        }
    }

    private static float bf(float v) {
        return round16(v, true);
    }

    static float round16(float v, boolean bf16) {
        return bf16 ? Elements.bfloat16ToFloat(Elements.floatToBfloat16(v))
                : Float.float16ToFloat(Float.floatToFloat16(v));
    }

    private static void store16(MemorySegment seg, long off, float[] buf, boolean bf16) {
        for (int i = 0; i < 16; i++) {
            short bits = bf16 ? Elements.floatToBfloat16(buf[i]) : Float.floatToFloat16(buf[i]);
            seg.set(I16, off + 2L * i, bits);
        }
    }
}
