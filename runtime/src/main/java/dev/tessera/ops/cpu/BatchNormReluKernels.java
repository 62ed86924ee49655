package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch norm followed by ReLU (and a residual add before the ReLU, as at the end of a ResNet
 * block), over contiguous data seen as [outer, C, inner].
 *
 * <p>Forward: y = max(fma(x, alpha[c], beta[c]) + residual, 0) in one pass, rounding exactly as
 * {@link ChannelKernels#affineF32}, an add and a ReLU do one after the other (same bits).
 *
 * <p>Backward: batch norm's backward in two passes per channel, as PyTorch's
 * batch_norm_cpu_backward_template: sum = sum(gm) and dotp = sum((x - mean) * gm) in double, then
 * gx = (gm - sum/N - (x - mean) * k) * invstd * w with k = dotp * invstd^2 / N (training) or
 * gx = gm * invstd * w (eval); grad_weight = dotp * invstd, grad_bias = sum. Lane partial sums are
 * combined in one fixed order, so results do not depend on compilation. The ReLU's gradient
 * gm = (mask ? 0 : g) is formed on the fly instead of being written by a separate pass and read
 * back. The mask is y &lt;= 0, or, without a residual, fma(x, alpha, beta) &lt;= 0 recomputed from x
 * (the same float the forward clamped), so y is not read at all; with neither (plain batch norm)
 * gm = g. With a residual, pass one writes gm (the residual's gradient) and pass two reads it back.
 */
final class BatchNormReluKernels {
    private BatchNormReluKernels() {}

    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    // ---- forward -----------------------------------------------------------------------------

    /**
     * out = max(fma(x, scale[c], shift[c]) (+ res), 0); res may be null. Offsets in elements. The
     * two variants are separate loops and plane methods: with one loop testing {@code res} inside,
     * C2 hoisted the test from the profile of the first variant seen as a loop predicate, and each
     * call of the other one deoptimised it (a cold JVM compiled this kernel nine times).
     */
    static void forwardF32(MemorySegment x, long xOff, MemorySegment res, long rOff, MemorySegment out, long outOff, long outer,
            float[] scale, float[] shift, long inner) {
        int channels = scale.length;
        long grain = Parallel.shareable(x, out, res == null ? out : res) ? Math.max(1, (1L << 15) / Math.max(1, inner)) : Long.MAX_VALUE;
        if (res == null) {
            Parallel.parallelFor(outer * channels, grain, (from, to) -> {
                for (long plane = from; plane < to; plane++) {
                    int c = (int) (plane % channels);
                    reluPlaneF32(x, (xOff + plane * inner) * Float.BYTES, out, (outOff + plane * inner) * Float.BYTES, scale[c],
                            shift[c], inner);
                }
            });
        } else {
            Parallel.parallelFor(outer * channels, grain, (from, to) -> {
                for (long plane = from; plane < to; plane++) {
                    int c = (int) (plane % channels);
                    reluResidualPlaneF32(x, (xOff + plane * inner) * Float.BYTES, res, (rOff + plane * inner) * Float.BYTES, out,
                            (outOff + plane * inner) * Float.BYTES, scale[c], shift[c], inner);
                }
            });
        }
    }

    /** One plane (byte offsets): out = max(fma(x, a, b), 0). */
    private static void reluPlaneF32(MemorySegment x, long src, MemorySegment out, long dst, float a, float b, long inner) {
        long i = 0;
        if (!VectorKernels.SCALAR) {
            FloatVector va = FloatVector.broadcast(SF, a), vb = FloatVector.broadcast(SF, b), zero = FloatVector.zero(SF);
            for (long bound = SF.loopBound(inner); i < bound; i += SF.length()) {
                FloatVector.fromMemorySegment(SF, x, src + i * Float.BYTES, ORDER).fma(va, vb).max(zero)
                        .intoMemorySegment(out, dst + i * Float.BYTES, ORDER);
            }
        }
        for (; i < inner; i++) {
            out.set(F32, dst + i * Float.BYTES, Math.max(Math.fma(x.get(F32, src + i * Float.BYTES), a, b), 0f));
        }
    }

    /** One plane (byte offsets): out = max(fma(x, a, b) + res, 0). */
    private static void reluResidualPlaneF32(MemorySegment x, long src, MemorySegment res, long ra, MemorySegment out, long dst,
            float a, float b, long inner) {
        long i = 0;
        if (!VectorKernels.SCALAR) {
            FloatVector va = FloatVector.broadcast(SF, a), vb = FloatVector.broadcast(SF, b), zero = FloatVector.zero(SF);
            for (long bound = SF.loopBound(inner); i < bound; i += SF.length()) {
                FloatVector.fromMemorySegment(SF, x, src + i * Float.BYTES, ORDER).fma(va, vb)
                        .add(FloatVector.fromMemorySegment(SF, res, ra + i * Float.BYTES, ORDER)).max(zero)
                        .intoMemorySegment(out, dst + i * Float.BYTES, ORDER);
            }
        }
        for (; i < inner; i++) {
            float v = Math.fma(x.get(F32, src + i * Float.BYTES), a, b) + res.get(F32, ra + i * Float.BYTES);
            out.set(F32, dst + i * Float.BYTES, Math.max(v, 0f));
        }
    }

    /** {@link #forwardF32} for float64 (gradient checks): plain loops. */
    static void forwardF64(MemorySegment x, long xOff, MemorySegment res, long rOff, MemorySegment out, long outOff, long outer,
            double[] scale, double[] shift, long inner) {
        int channels = scale.length;
        long grain = Parallel.shareable(x, out, res == null ? out : res) ? Math.max(1, (1L << 14) / Math.max(1, inner)) : Long.MAX_VALUE;
        Parallel.parallelFor(outer * channels, grain, (from, to) -> {
            for (long plane = from; plane < to; plane++) {
                int c = (int) (plane % channels);
                double a = scale[c], b = shift[c];
                for (long i = plane * inner, end = i + inner; i < end; i++) {
                    double v = Math.fma(x.getAtIndex(F64, xOff + i), a, b);
                    if (res != null) v += res.getAtIndex(F64, rOff + i);
                    out.setAtIndex(F64, outOff + i, Math.max(v, 0.0));
                }
            }
        });
    }

    // ---- backward ----------------------------------------------------------------------------

    /**
     * Batch-norm backward of the masked gradient. At most one mask source: {@code y} (the forward's
     * output) or {@code scale}/{@code shift} (the forward's factors, no residual); neither: plain
     * batch norm. gRes (may be null) receives the masked gradient; gx (may be null) the input
     * gradient; weight null means 1. Each mask source has its own loop and kernels, chosen once per
     * call (see {@link #forwardF32}: a mask test inside shared loops was a loop predicate that the
     * other sources' calls kept deoptimising).
     */
    static void backwardF32(MemorySegment g, long gOff, MemorySegment y, long yOff, float[] scale, float[] shift,
            MemorySegment x, long xOff, MemorySegment gRes, long gResOff, MemorySegment gx, long gxOff, long outer, int channels,
            long inner, float[] mean, float[] invstd, float[] weight, boolean training, float[] gradWeight, float[] gradBias) {
        long n = outer * inner;
        long grain = shareable(g, y, x, gRes, gx) ? Math.max(1, (1L << 15) / Math.max(1, n)) : Long.MAX_VALUE;
        Backward b = new Backward(g, gOff, y, yOff, scale, shift, x, xOff, gRes, gResOff, gx, gxOff, outer, channels, inner, mean,
                invstd, weight, training, gradWeight, gradBias);
        if (scale != null) Parallel.parallelFor(channels, grain, (from, to) -> b.channels(FROM_X, from, to));
        else if (y != null) Parallel.parallelFor(channels, grain, (from, to) -> b.channels(FROM_Y, from, to));
        else Parallel.parallelFor(channels, grain, (from, to) -> b.channels(PLAIN, from, to));
    }

    /** One backward call's operands (byte offsets are formed per channel plane). */
    private record Backward(MemorySegment g, long gOff, MemorySegment y, long yOff, float[] scale, float[] shift, MemorySegment x,
            long xOff, MemorySegment gRes, long gResOff, MemorySegment gx, long gxOff, long outer, int channels, long inner,
            float[] mean, float[] invstd, float[] weight, boolean training, float[] gradWeight, float[] gradBias) {
        void channels(Mask mask, long from, long to) {
            double[] lanes = new double[SD.length()];
            double[] sums = new double[2];
            long n = outer * inner;
            for (int c = (int) from; c < to; c++) {
                float m = mean[c];
                float a = scale == null ? 0f : scale[c], b = shift == null ? 0f : shift[c];
                double sum = 0, dotp = 0;
                for (long o = 0; o < outer; o++) {
                    long at = (o * channels + c) * inner;
                    mask.sums(g, (gOff + at) * Float.BYTES, y, (yOff + at) * Float.BYTES, a, b, x, (xOff + at) * Float.BYTES, gRes,
                            (gResOff + at) * Float.BYTES, inner, m, lanes, sums);
                    sum += sums[0];
                    dotp += sums[1];
                }
                float inv = invstd[c], w = weight == null ? 1f : weight[c];
                gradWeight[c] = (float) (dotp * inv);
                gradBias[c] = (float) sum;
                if (gx == null) continue;
                float sc = inv * w;
                float k = training ? (float) dotp * inv * inv / n : 0f, gradMean = training ? (float) sum / n : 0f;
                for (long o = 0; o < outer; o++) {
                    long at = (o * channels + c) * inner;
                    if (gRes != null) { // the masked gradient was written in pass one: read it as a plain gradient
                        PLAIN.inputGrad(gRes, (gResOff + at) * Float.BYTES, null, 0, 0f, 0f, x, (xOff + at) * Float.BYTES, gx,
                                (gxOff + at) * Float.BYTES, inner, m, k, gradMean, sc);
                    } else {
                        mask.inputGrad(g, (gOff + at) * Float.BYTES, y, (yOff + at) * Float.BYTES, a, b, x, (xOff + at) * Float.BYTES,
                                gx, (gxOff + at) * Float.BYTES, inner, m, k, gradMean, sc);
                    }
                }
            }
        }
    }

    /** Whether pool threads may touch every operand (null ones are absent); confined memory keeps the kernel on this thread. */
    private static boolean shareable(MemorySegment g, MemorySegment y, MemorySegment x, MemorySegment gRes, MemorySegment gx) {
        return Parallel.shareable(g, y == null ? x : y, x) && Parallel.shareable(gRes == null ? x : gRes, gx == null ? x : gx, x);
    }

    /**
     * The two passes over one plane (byte offsets) for one mask source: gm is g where the mask
     * source t (y, or fma(x, a, b)) is above 0 and 0 elsewhere, or g itself (plain).
     */
    private interface Mask {
        /**
         * sums = {sum(gm), sum((x - m) * gm)} over len floats in double, lanes combined in index
         * order; gm is also written to gRes when it is not null.
         */
        void sums(MemorySegment g, long ga, MemorySegment y, long ya, float a, float b, MemorySegment x, long xa,
                MemorySegment gRes, long ra, long len, float m, double[] lanes, double[] sums);

        /** gx = (gm - gradMean - (x - m) * k) * scale. */
        void inputGrad(MemorySegment g, long ga, MemorySegment y, long ya, float a, float b, MemorySegment x, long xa,
                MemorySegment gx, long oa, long len, float m, float k, float gradMean, float scale);
    }

    private static final Mask PLAIN = new Plain(), FROM_X = new FromX(), FROM_Y = new FromY();

    /** Plain batch norm: gm = g. */
    private static final class Plain implements Mask {
        @Override
        public void sums(MemorySegment g, long ga, MemorySegment y, long ya, float a, float b, MemorySegment x, long xa,
                MemorySegment gRes, long ra, long len, float m, double[] lanes, double[] sums) {
            long i = 0;
            double sum = 0, dotp = 0;
            if (!VectorKernels.SCALAR) {
                DoubleVector s0 = DoubleVector.zero(SD), s1 = s0, d0 = s0, d1 = s0;
                FloatVector vm = FloatVector.broadcast(SF, m);
                for (long bound = SF.loopBound(len); i < bound; i += SF.length()) {
                    FloatVector vx = FloatVector.fromMemorySegment(SF, x, xa + i * Float.BYTES, ORDER);
                    FloatVector vg = FloatVector.fromMemorySegment(SF, g, ga + i * Float.BYTES, ORDER);
                    if (gRes != null) vg.intoMemorySegment(gRes, ra + i * Float.BYTES, ORDER);
                    FloatVector vd = vx.sub(vm).mul(vg);
                    s0 = s0.add(vg.convertShape(VectorOperators.F2D, SD, 0));
                    s1 = s1.add(vg.convertShape(VectorOperators.F2D, SD, 1));
                    d0 = d0.add(vd.convertShape(VectorOperators.F2D, SD, 0));
                    d1 = d1.add(vd.convertShape(VectorOperators.F2D, SD, 1));
                }
                // lanes in index order, summed here: a vector passed to a helper that C2 does not inline is boxed
                s0.add(s1).intoArray(lanes, 0);
                for (double lane : lanes) sum += lane;
                d0.add(d1).intoArray(lanes, 0);
                for (double lane : lanes) dotp += lane;
            }
            for (; i < len; i++) {
                float xv = x.get(F32, xa + i * Float.BYTES), gv = g.get(F32, ga + i * Float.BYTES);
                if (gRes != null) gRes.set(F32, ra + i * Float.BYTES, gv);
                sum += gv;
                dotp += (xv - m) * gv;
            }
            sums[0] = sum;
            sums[1] = dotp;
        }

        @Override
        public void inputGrad(MemorySegment g, long ga, MemorySegment y, long ya, float a, float b, MemorySegment x, long xa,
                MemorySegment gx, long oa, long len, float m, float k, float gradMean, float scale) {
            long i = 0;
            if (!VectorKernels.SCALAR) {
                FloatVector vm = FloatVector.broadcast(SF, m), vk = FloatVector.broadcast(SF, k);
                FloatVector vgm = FloatVector.broadcast(SF, gradMean), vs = FloatVector.broadcast(SF, scale);
                for (long bound = SF.loopBound(len); i < bound; i += SF.length()) {
                    FloatVector vx = FloatVector.fromMemorySegment(SF, x, xa + i * Float.BYTES, ORDER);
                    FloatVector vg = FloatVector.fromMemorySegment(SF, g, ga + i * Float.BYTES, ORDER);
                    vg.sub(vgm).sub(vx.sub(vm).mul(vk)).mul(vs).intoMemorySegment(gx, oa + i * Float.BYTES, ORDER);
                }
            }
            for (; i < len; i++) {
                float xv = x.get(F32, xa + i * Float.BYTES), gv = g.get(F32, ga + i * Float.BYTES);
                gx.set(F32, oa + i * Float.BYTES, (gv - gradMean - (xv - m) * k) * scale);
            }
        }
    }

    /** ReLU after batch norm without a residual: the mask is fma(x, a, b) &lt;= 0, recomputed from x. */
    private static final class FromX implements Mask {
        @Override
        public void sums(MemorySegment g, long ga, MemorySegment y, long ya, float a, float b, MemorySegment x, long xa,
                MemorySegment gRes, long ra, long len, float m, double[] lanes, double[] sums) {
            long i = 0;
            double sum = 0, dotp = 0;
            if (!VectorKernels.SCALAR) {
                DoubleVector s0 = DoubleVector.zero(SD), s1 = s0, d0 = s0, d1 = s0;
                FloatVector vm = FloatVector.broadcast(SF, m), va = FloatVector.broadcast(SF, a), vb = FloatVector.broadcast(SF, b);
                FloatVector zero = FloatVector.zero(SF);
                for (long bound = SF.loopBound(len); i < bound; i += SF.length()) {
                    FloatVector vx = FloatVector.fromMemorySegment(SF, x, xa + i * Float.BYTES, ORDER);
                    FloatVector vg = FloatVector.fromMemorySegment(SF, g, ga + i * Float.BYTES, ORDER)
                            .blend(zero, vx.fma(va, vb).compare(VectorOperators.LE, zero));
                    if (gRes != null) vg.intoMemorySegment(gRes, ra + i * Float.BYTES, ORDER);
                    FloatVector vd = vx.sub(vm).mul(vg);
                    s0 = s0.add(vg.convertShape(VectorOperators.F2D, SD, 0));
                    s1 = s1.add(vg.convertShape(VectorOperators.F2D, SD, 1));
                    d0 = d0.add(vd.convertShape(VectorOperators.F2D, SD, 0));
                    d1 = d1.add(vd.convertShape(VectorOperators.F2D, SD, 1));
                }
                s0.add(s1).intoArray(lanes, 0);
                for (double lane : lanes) sum += lane;
                d0.add(d1).intoArray(lanes, 0);
                for (double lane : lanes) dotp += lane;
            }
            for (; i < len; i++) {
                float xv = x.get(F32, xa + i * Float.BYTES), gv = g.get(F32, ga + i * Float.BYTES);
                if (Math.fma(xv, a, b) <= 0) gv = 0f;
                if (gRes != null) gRes.set(F32, ra + i * Float.BYTES, gv);
                sum += gv;
                dotp += (xv - m) * gv;
            }
            sums[0] = sum;
            sums[1] = dotp;
        }

        @Override
        public void inputGrad(MemorySegment g, long ga, MemorySegment y, long ya, float a, float b, MemorySegment x, long xa,
                MemorySegment gx, long oa, long len, float m, float k, float gradMean, float scale) {
            long i = 0;
            if (!VectorKernels.SCALAR) {
                FloatVector vm = FloatVector.broadcast(SF, m), vk = FloatVector.broadcast(SF, k);
                FloatVector vgm = FloatVector.broadcast(SF, gradMean), vs = FloatVector.broadcast(SF, scale);
                FloatVector va = FloatVector.broadcast(SF, a), vb = FloatVector.broadcast(SF, b), zero = FloatVector.zero(SF);
                for (long bound = SF.loopBound(len); i < bound; i += SF.length()) {
                    FloatVector vx = FloatVector.fromMemorySegment(SF, x, xa + i * Float.BYTES, ORDER);
                    FloatVector vg = FloatVector.fromMemorySegment(SF, g, ga + i * Float.BYTES, ORDER)
                            .blend(zero, vx.fma(va, vb).compare(VectorOperators.LE, zero));
                    vg.sub(vgm).sub(vx.sub(vm).mul(vk)).mul(vs).intoMemorySegment(gx, oa + i * Float.BYTES, ORDER);
                }
            }
            for (; i < len; i++) {
                float xv = x.get(F32, xa + i * Float.BYTES), gv = g.get(F32, ga + i * Float.BYTES);
                if (Math.fma(xv, a, b) <= 0) gv = 0f;
                gx.set(F32, oa + i * Float.BYTES, (gv - gradMean - (xv - m) * k) * scale);
            }
        }
    }

    /** ReLU after batch norm and a residual add: the mask is y &lt;= 0 (the forward's output). */
    private static final class FromY implements Mask {
        @Override
        public void sums(MemorySegment g, long ga, MemorySegment y, long ya, float a, float b, MemorySegment x, long xa,
                MemorySegment gRes, long ra, long len, float m, double[] lanes, double[] sums) {
            long i = 0;
            double sum = 0, dotp = 0;
            if (!VectorKernels.SCALAR) {
                DoubleVector s0 = DoubleVector.zero(SD), s1 = s0, d0 = s0, d1 = s0;
                FloatVector vm = FloatVector.broadcast(SF, m), zero = FloatVector.zero(SF);
                for (long bound = SF.loopBound(len); i < bound; i += SF.length()) {
                    FloatVector vx = FloatVector.fromMemorySegment(SF, x, xa + i * Float.BYTES, ORDER);
                    FloatVector vg = FloatVector.fromMemorySegment(SF, g, ga + i * Float.BYTES, ORDER).blend(zero,
                            FloatVector.fromMemorySegment(SF, y, ya + i * Float.BYTES, ORDER).compare(VectorOperators.LE, zero));
                    if (gRes != null) vg.intoMemorySegment(gRes, ra + i * Float.BYTES, ORDER);
                    FloatVector vd = vx.sub(vm).mul(vg);
                    s0 = s0.add(vg.convertShape(VectorOperators.F2D, SD, 0));
                    s1 = s1.add(vg.convertShape(VectorOperators.F2D, SD, 1));
                    d0 = d0.add(vd.convertShape(VectorOperators.F2D, SD, 0));
                    d1 = d1.add(vd.convertShape(VectorOperators.F2D, SD, 1));
                }
                s0.add(s1).intoArray(lanes, 0);
                for (double lane : lanes) sum += lane;
                d0.add(d1).intoArray(lanes, 0);
                for (double lane : lanes) dotp += lane;
            }
            for (; i < len; i++) {
                float xv = x.get(F32, xa + i * Float.BYTES), gv = g.get(F32, ga + i * Float.BYTES);
                if (y.get(F32, ya + i * Float.BYTES) <= 0) gv = 0f;
                if (gRes != null) gRes.set(F32, ra + i * Float.BYTES, gv);
                sum += gv;
                dotp += (xv - m) * gv;
            }
            sums[0] = sum;
            sums[1] = dotp;
        }

        @Override
        public void inputGrad(MemorySegment g, long ga, MemorySegment y, long ya, float a, float b, MemorySegment x, long xa,
                MemorySegment gx, long oa, long len, float m, float k, float gradMean, float scale) {
            long i = 0;
            if (!VectorKernels.SCALAR) {
                FloatVector vm = FloatVector.broadcast(SF, m), vk = FloatVector.broadcast(SF, k);
                FloatVector vgm = FloatVector.broadcast(SF, gradMean), vs = FloatVector.broadcast(SF, scale);
                FloatVector zero = FloatVector.zero(SF);
                for (long bound = SF.loopBound(len); i < bound; i += SF.length()) {
                    FloatVector vx = FloatVector.fromMemorySegment(SF, x, xa + i * Float.BYTES, ORDER);
                    FloatVector vg = FloatVector.fromMemorySegment(SF, g, ga + i * Float.BYTES, ORDER).blend(zero,
                            FloatVector.fromMemorySegment(SF, y, ya + i * Float.BYTES, ORDER).compare(VectorOperators.LE, zero));
                    vg.sub(vgm).sub(vx.sub(vm).mul(vk)).mul(vs).intoMemorySegment(gx, oa + i * Float.BYTES, ORDER);
                }
            }
            for (; i < len; i++) {
                float xv = x.get(F32, xa + i * Float.BYTES), gv = g.get(F32, ga + i * Float.BYTES);
                if (y.get(F32, ya + i * Float.BYTES) <= 0) gv = 0f;
                gx.set(F32, oa + i * Float.BYTES, (gv - gradMean - (xv - m) * k) * scale);
            }
        }
    }

    /** {@link #backwardF32} for float64 (gradient checks): plain loops, sums in index order. */
    static void backwardF64(MemorySegment g, long gOff, MemorySegment y, long yOff, double[] scale, double[] shift,
            MemorySegment x, long xOff, MemorySegment gRes, long gResOff, MemorySegment gx, long gxOff, long outer, int channels,
            long inner, double[] mean, double[] invstd, double[] weight, boolean training, double[] gradWeight, double[] gradBias) {
        long n = outer * inner;
        long grain = shareable(g, y, x, gRes, gx) ? Math.max(1, (1L << 14) / Math.max(1, n)) : Long.MAX_VALUE;
        Parallel.parallelFor(channels, grain, (from, to) -> {
            for (int c = (int) from; c < to; c++) {
                double m = mean[c], sum = 0, dotp = 0;
                double a = scale == null ? 0 : scale[c], b = shift == null ? 0 : shift[c];
                for (long o = 0; o < outer; o++) {
                    long at = (o * channels + c) * inner;
                    for (long i = 0; i < inner; i++) {
                        double xv = x.getAtIndex(F64, xOff + at + i);
                        double gv = gradient(g, gOff + at + i, y, yOff + at + i, scale != null, xv, a, b);
                        if (gRes != null) gRes.setAtIndex(F64, gResOff + at + i, gv);
                        sum += gv;
                        dotp += (xv - m) * gv;
                    }
                }
                double inv = invstd[c], w = weight == null ? 1.0 : weight[c];
                gradWeight[c] = dotp * inv;
                gradBias[c] = sum;
                if (gx == null) continue;
                double sc = inv * w, k = training ? dotp * inv * inv / n : 0, gradMean = training ? sum / n : 0;
                for (long o = 0; o < outer; o++) {
                    long at = (o * channels + c) * inner;
                    for (long i = 0; i < inner; i++) {
                        double xv = x.getAtIndex(F64, xOff + at + i);
                        double gv;
                        if (gRes != null) {
                            gv = gRes.getAtIndex(F64, gResOff + at + i);
                        } else {
                            gv = gradient(g, gOff + at + i, y, yOff + at + i, scale != null, xv, a, b);
                        }
                        gx.setAtIndex(F64, gxOff + at + i, (gv - gradMean - (xv - m) * k) * sc);
                    }
                }
            }
        });
    }

    /** g[gi] masked by y[yi] <= 0 or fma(xv, a, b) <= 0 (y null and !fromX: unmasked), float64. */
    private static double gradient(MemorySegment g, long gi, MemorySegment y, long yi, boolean fromX, double xv, double a, double b) {
        boolean masked = fromX || y != null;
        if (masked && (fromX ? Math.fma(xv, a, b) : y.getAtIndex(F64, yi)) <= 0) return 0.0;
        return g.getAtIndex(F64, gi);
    }
}
