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

    /** out = max(fma(x, scale[c], shift[c]) (+ res), 0); res may be null. Offsets in elements. */
    static void forwardF32(MemorySegment x, long xOff, MemorySegment res, long rOff, MemorySegment out, long outOff, long outer,
            float[] scale, float[] shift, long inner) {
        int channels = scale.length;
        long grain = Parallel.shareable(x, out, res == null ? out : res) ? Math.max(1, (1L << 15) / Math.max(1, inner)) : Long.MAX_VALUE;
        Parallel.parallelFor(outer * channels, grain, (from, to) -> {
            for (long plane = from; plane < to; plane++) {
                int c = (int) (plane % channels);
                float a = scale[c], b = shift[c];
                long src = (xOff + plane * inner) * Float.BYTES, dst = (outOff + plane * inner) * Float.BYTES;
                long ra = (rOff + plane * inner) * Float.BYTES;
                long i = 0;
                if (!VectorKernels.SCALAR) {
                    FloatVector va = FloatVector.broadcast(SF, a), vb = FloatVector.broadcast(SF, b), zero = FloatVector.zero(SF);
                    int bound = (int) SF.loopBound(inner);
                    if (res == null) {
                        for (; i < bound; i += SF.length()) {
                            FloatVector.fromMemorySegment(SF, x, src + i * Float.BYTES, ORDER).fma(va, vb).max(zero)
                                    .intoMemorySegment(out, dst + i * Float.BYTES, ORDER);
                        }
                    } else {
                        for (; i < bound; i += SF.length()) {
                            FloatVector.fromMemorySegment(SF, x, src + i * Float.BYTES, ORDER).fma(va, vb)
                                    .add(FloatVector.fromMemorySegment(SF, res, ra + i * Float.BYTES, ORDER)).max(zero)
                                    .intoMemorySegment(out, dst + i * Float.BYTES, ORDER);
                        }
                    }
                }
                for (; i < inner; i++) {
                    float v = Math.fma(x.get(F32, src + i * Float.BYTES), a, b);
                    if (res != null) v += res.get(F32, ra + i * Float.BYTES);
                    out.set(F32, dst + i * Float.BYTES, Math.max(v, 0f));
                }
            }
        });
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
     * gradient; weight null means 1.
     */
    static void backwardF32(MemorySegment g, long gOff, MemorySegment y, long yOff, float[] scale, float[] shift,
            MemorySegment x, long xOff, MemorySegment gRes, long gResOff, MemorySegment gx, long gxOff, long outer, int channels,
            long inner, float[] mean, float[] invstd, float[] weight, boolean training, float[] gradWeight, float[] gradBias) {
        long n = outer * inner;
        long grain = shareable(g, y, x, gRes, gx) ? Math.max(1, (1L << 15) / Math.max(1, n)) : Long.MAX_VALUE;
        Parallel.parallelFor(channels, grain, (from, to) -> {
            double[] lanes = new double[SD.length()];
            double[] sums = new double[2];
            for (int c = (int) from; c < to; c++) {
                float m = mean[c];
                float a = scale == null ? 0f : scale[c], b = shift == null ? 0f : shift[c];
                double sum = 0, dotp = 0;
                for (long o = 0; o < outer; o++) {
                    long at = (o * channels + c) * inner;
                    sumsF32(g, (gOff + at) * Float.BYTES, y, (yOff + at) * Float.BYTES, scale != null, a, b,
                            x, (xOff + at) * Float.BYTES, gRes, (gResOff + at) * Float.BYTES, inner, m, lanes, sums);
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
                    if (gRes != null) {
                        // the masked gradient was written in pass one: read it as a plain gradient
                        inputGradF32(gRes, (gResOff + at) * Float.BYTES, null, 0, false, 0f, 0f, x, (xOff + at) * Float.BYTES,
                                gx, (gxOff + at) * Float.BYTES, inner, m, k, gradMean, sc);
                    } else {
                        inputGradF32(g, (gOff + at) * Float.BYTES, y, (yOff + at) * Float.BYTES, scale != null, a, b,
                                x, (xOff + at) * Float.BYTES, gx, (gxOff + at) * Float.BYTES, inner, m, k, gradMean, sc);
                    }
                }
            }
        });
    }

    /** Whether pool threads may touch every operand (null ones are absent); confined memory keeps the kernel on this thread. */
    private static boolean shareable(MemorySegment g, MemorySegment y, MemorySegment x, MemorySegment gRes, MemorySegment gx) {
        return Parallel.shareable(g, y == null ? x : y, x) && Parallel.shareable(gRes == null ? x : gRes, gx == null ? x : gx, x);
    }

    /**
     * sums = {sum(gm), sum((x - m) * gm)} over len floats in double, lanes combined in index order;
     * gm is g masked by y or by fma(x, a, b) (y null and !fromX: unmasked), written to gRes when it
     * is not null.
     */
    private static void sumsF32(MemorySegment g, long ga, MemorySegment y, long ya, boolean fromX, float a, float b,
            MemorySegment x, long xa, MemorySegment gRes, long ra, long len, float m, double[] lanes, double[] sums) {
        boolean masked = fromX || y != null;
        long i = 0;
        double sum = 0, dotp = 0;
        if (!VectorKernels.SCALAR) {
            DoubleVector s0 = DoubleVector.zero(SD), s1 = s0, d0 = s0, d1 = s0;
            FloatVector vm = FloatVector.broadcast(SF, m), va = FloatVector.broadcast(SF, a), vb = FloatVector.broadcast(SF, b);
            FloatVector zero = FloatVector.zero(SF);
            int bound = (int) SF.loopBound(len);
            for (; i < bound; i += SF.length()) {
                FloatVector vx = FloatVector.fromMemorySegment(SF, x, xa + i * Float.BYTES, ORDER);
                FloatVector vg = FloatVector.fromMemorySegment(SF, g, ga + i * Float.BYTES, ORDER);
                if (masked) {
                    FloatVector t = fromX ? vx.fma(va, vb) : FloatVector.fromMemorySegment(SF, y, ya + i * Float.BYTES, ORDER);
                    vg = vg.blend(zero, t.compare(VectorOperators.LE, zero));
                }
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
            float xv = x.get(F32, xa + i * Float.BYTES);
            float gv = g.get(F32, ga + i * Float.BYTES);
            if (masked && (fromX ? Math.fma(xv, a, b) : y.get(F32, ya + i * Float.BYTES)) <= 0) gv = 0f;
            if (gRes != null) gRes.set(F32, ra + i * Float.BYTES, gv);
            sum += gv;
            dotp += (xv - m) * gv;
        }
        sums[0] = sum;
        sums[1] = dotp;
    }

    /** gx = (gm - gradMean - (x - m) * k) * scale, gm = g masked by y or by fma(x, a, b) (y null and !fromX: unmasked). */
    private static void inputGradF32(MemorySegment g, long ga, MemorySegment y, long ya, boolean fromX, float a, float b,
            MemorySegment x, long xa, MemorySegment gx, long oa, long len, float m, float k, float gradMean, float scale) {
        boolean masked = fromX || y != null;
        long i = 0;
        if (!VectorKernels.SCALAR) {
            FloatVector vm = FloatVector.broadcast(SF, m), vk = FloatVector.broadcast(SF, k);
            FloatVector vgm = FloatVector.broadcast(SF, gradMean), vs = FloatVector.broadcast(SF, scale);
            FloatVector va = FloatVector.broadcast(SF, a), vb = FloatVector.broadcast(SF, b), zero = FloatVector.zero(SF);
            int bound = (int) SF.loopBound(len);
            for (; i < bound; i += SF.length()) {
                FloatVector vx = FloatVector.fromMemorySegment(SF, x, xa + i * Float.BYTES, ORDER);
                FloatVector vg = FloatVector.fromMemorySegment(SF, g, ga + i * Float.BYTES, ORDER);
                if (masked) {
                    FloatVector t = fromX ? vx.fma(va, vb) : FloatVector.fromMemorySegment(SF, y, ya + i * Float.BYTES, ORDER);
                    vg = vg.blend(zero, t.compare(VectorOperators.LE, zero));
                }
                FloatVector dx = vx.sub(vm).mul(vk);
                vg.sub(vgm).sub(dx).mul(vs).intoMemorySegment(gx, oa + i * Float.BYTES, ORDER);
            }
        }
        for (; i < len; i++) {
            float xv = x.get(F32, xa + i * Float.BYTES);
            float gv = g.get(F32, ga + i * Float.BYTES);
            if (masked && (fromX ? Math.fma(xv, a, b) : y.get(F32, ya + i * Float.BYTES)) <= 0) gv = 0f;
            float dx = (xv - m) * k;
            gx.set(F32, oa + i * Float.BYTES, (gv - gradMean - dx) * scale);
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
