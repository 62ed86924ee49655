package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch-norm backward over contiguous data seen as [outer, C, inner], two passes per channel as
 * PyTorch's batch_norm_cpu_backward_template: sum = sum(g) and dotp = sum((x - mean) * g) in
 * double, then gx = (g - sum/N - (x - mean) * k) * invstd * w with k = dotp * invstd^2 / N
 * (training) or gx = g * invstd * w (eval). grad_weight = dotp * invstd, grad_bias = sum. Replaces
 * a chain of about ten broadcast passes, each of which allocated and walked the whole tensor.
 * Lane partial sums are combined in one fixed order, so results do not depend on compilation.
 */
final class BatchNormBackwardKernels {
    private BatchNormBackwardKernels() {}

    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** gx may be null (no input gradient wanted); weight null means 1. Writes gradWeight[c] and gradBias[c]. */
    static void backwardF32(MemorySegment g, long gOff, MemorySegment x, long xOff, MemorySegment gx, long gxOff,
            long outer, int channels, long inner, float[] mean, float[] invstd, float[] weight, boolean training,
            float[] gradWeight, float[] gradBias) {
        long n = outer * inner;
        Parallel.parallelFor(channels, Math.max(1, (1L << 15) / Math.max(1, n)), (from, to) -> {
            double[] lanes = new double[SD.length()];
            for (int c = (int) from; c < to; c++) {
                float m = mean[c];
                double sum = 0, dotp = 0;
                for (long o = 0; o < outer; o++) {
                    long at = (o * channels + c) * inner;
                    double[] s = sumsF32(g, (gOff + at) * Float.BYTES, x, (xOff + at) * Float.BYTES, inner, m, lanes);
                    sum += s[0];
                    dotp += s[1];
                }
                float inv = invstd[c], w = weight == null ? 1f : weight[c];
                gradWeight[c] = (float) (dotp * inv);
                gradBias[c] = (float) sum;
                if (gx == null) continue;
                float scale = inv * w;
                float k = training ? (float) dotp * inv * inv / n : 0f, gradMean = training ? (float) sum / n : 0f;
                for (long o = 0; o < outer; o++) {
                    long at = (o * channels + c) * inner;
                    inputGradF32(g, (gOff + at) * Float.BYTES, x, (xOff + at) * Float.BYTES, gx, (gxOff + at) * Float.BYTES,
                            inner, m, k, gradMean, scale);
                }
            }
        });
    }

    /** {sum(g), sum((x - m) * g)} over len floats, in double; lanes combined in index order. */
    private static double[] sumsF32(MemorySegment g, long ga, MemorySegment x, long xa, long len, float m, double[] lanes) {
        long i = 0;
        double sum = 0, dotp = 0;
        if (!VectorKernels.SCALAR) {
            DoubleVector s0 = DoubleVector.zero(SD), s1 = s0, d0 = s0, d1 = s0;
            FloatVector vm = FloatVector.broadcast(SF, m);
            for (long bound = SF.loopBound(len); i < bound; i += SF.length()) {
                FloatVector vg = FloatVector.fromMemorySegment(SF, g, ga + i * Float.BYTES, ORDER);
                FloatVector vd = FloatVector.fromMemorySegment(SF, x, xa + i * Float.BYTES, ORDER).sub(vm).mul(vg);
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
            float gv = g.get(F32, ga + i * Float.BYTES);
            sum += gv;
            dotp += (x.get(F32, xa + i * Float.BYTES) - m) * gv;
        }
        return new double[]{sum, dotp};
    }

    private static void inputGradF32(MemorySegment g, long ga, MemorySegment x, long xa, MemorySegment gx, long oa, long len,
            float m, float k, float gradMean, float scale) {
        long i = 0;
        if (!VectorKernels.SCALAR) {
            FloatVector vm = FloatVector.broadcast(SF, m), vk = FloatVector.broadcast(SF, k);
            FloatVector vgm = FloatVector.broadcast(SF, gradMean), vs = FloatVector.broadcast(SF, scale);
            for (long bound = SF.loopBound(len); i < bound; i += SF.length()) {
                FloatVector vg = FloatVector.fromMemorySegment(SF, g, ga + i * Float.BYTES, ORDER);
                FloatVector dx = FloatVector.fromMemorySegment(SF, x, xa + i * Float.BYTES, ORDER).sub(vm).mul(vk);
                vg.sub(vgm).sub(dx).mul(vs).intoMemorySegment(gx, oa + i * Float.BYTES, ORDER);
            }
        }
        for (; i < len; i++) {
            float dx = (x.get(F32, xa + i * Float.BYTES) - m) * k;
            gx.set(F32, oa + i * Float.BYTES, (g.get(F32, ga + i * Float.BYTES) - gradMean - dx) * scale);
        }
    }

    /** {@link #backwardF32} for float64 (gradient checks): plain loops. */
    static void backwardF64(MemorySegment g, long gOff, MemorySegment x, long xOff, MemorySegment gx, long gxOff,
            long outer, int channels, long inner, double[] mean, double[] invstd, double[] weight, boolean training,
            double[] gradWeight, double[] gradBias) {
        long n = outer * inner;
        Parallel.parallelFor(channels, Math.max(1, (1L << 15) / Math.max(1, n)), (from, to) -> {
            for (int c = (int) from; c < to; c++) {
                double m = mean[c], sum = 0, dotp = 0;
                for (long o = 0; o < outer; o++) {
                    long at = (o * channels + c) * inner;
                    for (long i = 0; i < inner; i++) {
                        double gv = g.getAtIndex(F64, gOff + at + i);
                        sum += gv;
                        dotp += (x.getAtIndex(F64, xOff + at + i) - m) * gv;
                    }
                }
                double inv = invstd[c], w = weight == null ? 1.0 : weight[c];
                gradWeight[c] = dotp * inv;
                gradBias[c] = sum;
                if (gx == null) continue;
                double scale = inv * w, k = training ? dotp * inv * inv / n : 0, gradMean = training ? sum / n : 0;
                for (long o = 0; o < outer; o++) {
                    long at = (o * channels + c) * inner;
                    for (long i = 0; i < inner; i++) {
                        double dx = (x.getAtIndex(F64, xOff + at + i) - m) * k;
                        gx.setAtIndex(F64, gxOff + at + i, (g.getAtIndex(F64, gOff + at + i) - gradMean - dx) * scale);
                    }
                }
            }
        });
    }
}
