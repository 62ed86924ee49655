package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Float32 max pooling (autograd.functions.Pooling keeps the general loop and the backward). */
public final class PoolingKernels {
    private PoolingKernels() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    /** Planes up to this many elements are pooled on heap copies (the float32 fast path). */
    private static final long MAX_PLANE = 1 << 24; // int indices on the heap copies

    public static boolean fitsMaxPoolF32(long h, long w, long oh, long ow) {
        return h * w <= MAX_PLANE && oh * ow <= MAX_PLANE;
    }

    /**
     * max_pool2d over {@code planes} contiguous float32 planes of h x w into oh x ow values and
     * int64 indices (flat positions within each input plane), split across the worker pool.
     */
    public static void maxPool2dF32(MemorySegment xs, long xoff, MemorySegment os, MemorySegment is, long planes,
            long h, long w, long oh, long ow, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        long grain = Math.max(1, (1L << 14) / Math.max(1, oh * ow));
        Parallel.parallelFor(planes, grain, (from, to) ->
                planesF32(xs, xoff, os, is, from, to, h, w, oh, ow, kernel, stride, padding, dilation));
    }

    /**
     * Float32 max pooling of planes [from, to): each plane is bulk-copied to a heap array, then
     * output columns whose window lies inside the row are computed a vector of outputs at a time
     * (one gather per window element; masked selects keep the first maximum, and NaN, as the
     * scalar rule does), the rest one by one. Values and indices are bulk-copied out.
     */
    private static void planesF32(MemorySegment xs, long xoff, MemorySegment os, MemorySegment is, long from,
            long to, long h, long w, long oh, long ow, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        int hw = (int) (h * w), ohw = (int) (oh * ow), lanes = FS.length();
        float[] in = new float[hw], values = new float[ohw];
        int[] indices = new int[ohw], offsets = new int[lanes];
        long[] wide = new long[ohw];
        int iw = (int) w, ih = (int) h, kh = kernel[0], kw = kernel[1], sh = stride[0], sw = stride[1];
        int ph = padding[0], pw = padding[1], dh = dilation[0], dw = dilation[1];
        for (int i = 0; i < lanes; i++) offsets[i] = i * sw;
        IntVector laneOffsets = IntVector.fromArray(IS, offsets, 0);
        // output columns whose whole window row is inside the input row
        int oxLo = Math.min((int) ow, (pw + sw - 1) / sw);
        int oxHi = Math.max(oxLo, Math.min((int) ow, (iw - 1 - (kw - 1) * dw + pw) / sw + 1));
        boolean vector = !VectorKernels.SCALAR;
        for (long p = from; p < to; p++) {
            MemorySegment.copy(xs, F32, (xoff + p * hw) * Float.BYTES, in, 0, hw);
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * sh - ph, y1 = Math.min(y0 + (kh - 1) * dh + 1, ih);
                while (y0 < 0) y0 += dh;
                int ox = 0;
                for (; ox < oxLo; ox++) poolOne(in, iw, y0, y1, dh, ox * sw - pw, kw, dw, values, indices, (int) (oy * ow + ox));
                if (vector) {
                    for (; ox + lanes <= oxHi; ox += lanes) {
                        FloatVector max = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
                        IntVector best = IntVector.zero(IS);
                        for (int iy = y0; iy < y1; iy += dh) {
                            for (int kx = 0, start = iy * iw + ox * sw - pw; kx < kw; kx++, start += dw) {
                                FloatVector v = FloatVector.fromArray(FS, in, start, offsets, 0);
                                VectorMask<Float> take = v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN));
                                max = max.blend(v, take);
                                best = best.blend(laneOffsets.add(start), take.cast(IS));
                            }
                        }
                        int o = (int) (oy * ow + ox);
                        max.intoArray(values, o);
                        best.intoArray(indices, o);
                    }
                }
                for (; ox < ow; ox++) poolOne(in, iw, y0, y1, dh, ox * sw - pw, kw, dw, values, indices, (int) (oy * ow + ox));
            }
            for (int i = 0; i < ohw; i++) wide[i] = indices[i];
            MemorySegment.copy(values, 0, os, F32, p * ohw * Float.BYTES, ohw);
            MemorySegment.copy(wide, 0, is, I64, p * ohw * Long.BYTES, ohw);
        }
    }

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, FS.vectorShape());

    /** One output of {@link #planesF32}: window rows [y0, y1), kw columns from x0 (clipped to the row). */
    private static void poolOne(float[] in, int iw, int y0, int y1, int dh, int x0, int kw, int dw, float[] values,
            int[] indices, int o) {
        int x1 = Math.min(x0 + (kw - 1) * dw + 1, iw);
        while (x0 < 0) x0 += dw;
        int best = y0 * iw + x0;
        float max = Float.NEGATIVE_INFINITY;
        for (int iy = y0; iy < y1; iy += dh) {
            for (int at = iy * iw + x0, end = iy * iw + x1; at < end; at += dw) {
                float v = in[at];
                if (v > max || v != v) {
                    max = v;
                    best = at;
                }
            }
        }
        values[o] = max;
        indices[o] = best;
    }

}
