package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Per-channel kernels over contiguous data seen as [outer, C, inner] (channel dimension 1 of an
 * NC... tensor): one pass instead of a chain of broadcast ops, each of which would allocate and
 * walk the whole tensor.
 */
public final class ChannelKernels {
    private ChannelKernels() {}

    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /**
     * out = fma(x, scale[c], shift[c]), one rounding: PyTorch's batch-norm transform writes
     * {@code x * alpha + beta} on its vector type, which GCC contracts into a fused multiply-add
     * (checked bit for bit against Debian's torch 1.13 build). Offsets are in elements.
     */
    public static void affineF32(MemorySegment x, long xOff, MemorySegment out, long outOff, long outer,
            float[] scale, float[] shift, long inner) {
        int channels = scale.length;
        Parallel.parallelFor(outer * channels, grain(inner, x, out), (from, to) -> {
            for (long plane = from; plane < to; plane++) {
                int c = (int) (plane % channels);
                float a = scale[c], b = shift[c];
                long src = (xOff + plane * inner) * Float.BYTES, dst = (outOff + plane * inner) * Float.BYTES;
                long i = 0;
                if (!VectorKernels.SCALAR) {
                    FloatVector va = FloatVector.broadcast(SF, a), vb = FloatVector.broadcast(SF, b);
                    for (long bound = SF.loopBound(inner); i < bound; i += SF.length()) {
                        FloatVector.fromMemorySegment(SF, x, src + i * Float.BYTES, ORDER).fma(va, vb)
                                .intoMemorySegment(out, dst + i * Float.BYTES, ORDER);
                    }
                }
                for (; i < inner; i++) {
                    out.set(F32, dst + i * Float.BYTES, Math.fma(x.get(F32, src + i * Float.BYTES), a, b));
                }
            }
        });
    }

    /** {@link #affineF32} for float64. */
    public static void affineF64(MemorySegment x, long xOff, MemorySegment out, long outOff, long outer,
            double[] scale, double[] shift, long inner) {
        int channels = scale.length;
        Parallel.parallelFor(outer * channels, grain(inner, x, out), (from, to) -> {
            for (long plane = from; plane < to; plane++) {
                int c = (int) (plane % channels);
                double a = scale[c], b = shift[c];
                long src = (xOff + plane * inner) * Double.BYTES, dst = (outOff + plane * inner) * Double.BYTES;
                long i = 0;
                if (!VectorKernels.SCALAR) {
                    DoubleVector va = DoubleVector.broadcast(SD, a), vb = DoubleVector.broadcast(SD, b);
                    for (long bound = SD.loopBound(inner); i < bound; i += SD.length()) {
                        DoubleVector.fromMemorySegment(SD, x, src + i * Double.BYTES, ORDER).fma(va, vb)
                                .intoMemorySegment(out, dst + i * Double.BYTES, ORDER);
                    }
                }
                for (; i < inner; i++) {
                    out.set(F64, dst + i * Double.BYTES, Math.fma(x.get(F64, src + i * Double.BYTES), a, b));
                }
            }
        });
    }

    /**
     * Per-channel mean and sum of squared deviations, as PyTorch's batch-norm statistics for
     * float32: the sum accumulates in double and is rounded once to the float mean; each
     * {@code (x - mean)^2} is computed in float and accumulated in double. Lanes hold partial sums,
     * which changes nothing in practice: floats of everyday ranges add exactly in a double.
     * Returns {mean, varSum}.
     */
    public static float[][] momentsF32(MemorySegment x, long off, long outer, int channels, long inner) {
        float[] mean = new float[channels], varSum = new float[channels];
        long n = outer * inner;
        Parallel.parallelFor(channels, momentsGrain(n, x), (from, to) -> {
            for (int c = (int) from; c < to; c++) {
                double sum = 0;
                for (long o = 0; o < outer; o++) sum += sumF32(x, (off + (o * channels + c) * inner) * Float.BYTES, inner, false, 0f);
                float m = (float) (sum / n);
                double ss = 0;
                for (long o = 0; o < outer; o++) ss += sumF32(x, (off + (o * channels + c) * inner) * Float.BYTES, inner, true, m);
                mean[c] = m;
                varSum[c] = (float) ss;
            }
        });
        return new float[][] {mean, varSum};
    }

    /** Sum in double of {@code len} floats from byte offset {@code at}, or with {@code squares} of their float squared deviations from m. */
    private static double sumF32(MemorySegment x, long at, long len, boolean squares, float m) {
        long i = 0;
        double sum = 0;
        if (!VectorKernels.SCALAR) {
            DoubleVector acc0 = DoubleVector.zero(SD), acc1 = acc0;
            FloatVector vm = FloatVector.broadcast(SF, squares ? m : 0f);
            for (long bound = SF.loopBound(len); i < bound; i += SF.length()) {
                FloatVector v = FloatVector.fromMemorySegment(SF, x, at + i * Float.BYTES, ORDER);
                if (squares) {
                    v = v.sub(vm);
                    v = v.mul(v);
                }
                acc0 = acc0.add(v.convertShape(VectorOperators.F2D, SD, 0));
                acc1 = acc1.add(v.convertShape(VectorOperators.F2D, SD, 1));
            }
            sum = ElementwiseF64.addLanes(acc0.add(acc1));
        }
        for (; i < len; i++) {
            float v = x.get(F32, at + i * Float.BYTES);
            if (squares) {
                v -= m;
                v *= v;
            }
            sum += v;
        }
        return sum;
    }

    /**
     * {@link #momentsF32} for float64: mean = sum / n, varSum accumulates {@code (x - mean)^2} with
     * fused multiply-adds (as GCC compiles PyTorch's loop); lane-parallel partial sums may differ
     * from PyTorch's sequential ones in the last bits.
     */
    public static double[][] momentsF64(MemorySegment x, long off, long outer, int channels, long inner) {
        double[] mean = new double[channels], varSum = new double[channels];
        long n = outer * inner;
        Parallel.parallelFor(channels, momentsGrain(n, x), (from, to) -> {
            for (int c = (int) from; c < to; c++) {
                double sum = 0;
                for (long o = 0; o < outer; o++) sum += sumF64(x, (off + (o * channels + c) * inner) * Double.BYTES, inner, false, 0.0);
                double m = sum / n;
                double ss = 0;
                for (long o = 0; o < outer; o++) ss += sumF64(x, (off + (o * channels + c) * inner) * Double.BYTES, inner, true, m);
                mean[c] = m;
                varSum[c] = ss;
            }
        });
        return new double[][] {mean, varSum};
    }

    private static double sumF64(MemorySegment x, long at, long len, boolean squares, double m) {
        long i = 0;
        double sum = 0;
        if (!VectorKernels.SCALAR) {
            DoubleVector acc = DoubleVector.zero(SD), vm = DoubleVector.broadcast(SD, squares ? m : 0.0);
            for (long bound = SD.loopBound(len); i < bound; i += SD.length()) {
                DoubleVector v = DoubleVector.fromMemorySegment(SD, x, at + i * Double.BYTES, ORDER);
                if (squares) {
                    v = v.sub(vm);
                    acc = v.fma(v, acc);
                } else {
                    acc = acc.add(v);
                }
            }
            sum = ElementwiseF64.addLanes(acc);
        }
        for (; i < len; i++) {
            double v = x.get(F64, at + i * Double.BYTES);
            sum = squares ? Math.fma(v - m, v - m, sum) : sum + v;
        }
        return sum;
    }

    private static long momentsGrain(long perChannel, MemorySegment x) {
        if (!Parallel.shareable(x, x, x)) return Long.MAX_VALUE;
        return Math.max(1, (1L << 15) / Math.max(1, perChannel));
    }

    /** Planes per task: enough that a task holds at least ~32K elements (below that, hand-off costs more). */
    private static long grain(long inner, MemorySegment x, MemorySegment out) {
        if (!Parallel.shareable(x, out, out)) return Long.MAX_VALUE; // confined memory: stay on this thread
        return Math.max(1, (1L << 15) / Math.max(1, inner));
    }
}
