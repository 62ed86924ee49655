package dev.tessera.ops.cpu;

import dev.tessera.DType;
import dev.tessera.ops.PoolGeometry;
import dev.tessera.ops.Strided;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling (a float32 vector path and the general loop), its backward, and adaptive average
 * pooling, over contiguous planes.
 */
public final class PoolingKernels {
    private PoolingKernels() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    /** max_pool2d with indices of contiguous x into contiguous out and indices (float32 or float64). */
    static void maxPool2d(PoolGeometry g, Strided out, Strided indices, Strided x) {
        int[] kernel = {g.kh(), g.kw()}, stride = {g.sh(), g.sw()}, padding = {g.ph(), g.pw()}, dilation = {g.dh(), g.dw()};
        MemorySegment xs = x.segment(), os = out.segment(), is = indices.segment();
        if (x.dtype() == DType.FLOAT32 && out.offset() == 0 && indices.offset() == 0 && fitsMaxPoolF32(g.h(), g.w(), g.oh(), g.ow())) {
            maxPool2dF32(xs, x.offset(), os, is, g.planes(), g.h(), g.w(), g.oh(), g.ow(), kernel, stride, padding, dilation);
        } else {
            maxPoolGeneral(g, xs, x.offset(), x.dtype() == DType.FLOAT32, os, out.offset(), is, indices.offset());
        }
    }

    /** Any float dtype and size: the reference loop (values read and written as the dtype through doubles). */
    private static void maxPoolGeneral(PoolGeometry g, MemorySegment xs, long xoff, boolean f32, MemorySegment os, long ooff,
            MemorySegment is, long ioff) {
        long h = g.h(), w = g.w(), oh = g.oh(), ow = g.ow();
        long grain = Math.max(1, (1L << 14) / Math.max(1, oh * ow));
        // planes are independent: split them across the worker pool
        Parallel.parallelFor(g.planes(), grain, (pFrom, pTo) -> {
            for (long p = pFrom; p < pTo; p++) {
                long in0 = xoff + p * h * w, out0 = p * oh * ow;
                for (long oy = 0; oy < oh; oy++) {
                    long y0 = oy * g.sh() - g.ph();
                    long y1 = Math.min(y0 + (long) (g.kh() - 1) * g.dh() + 1, h);
                    while (y0 < 0) y0 += g.dh();
                    for (long ox = 0; ox < ow; ox++) {
                        long x0 = ox * g.sw() - g.pw();
                        long x1 = Math.min(x0 + (long) (g.kw() - 1) * g.dw() + 1, w);
                        while (x0 < 0) x0 += g.dw();
                        long best = y0 * w + x0;
                        double max = Double.NEGATIVE_INFINITY;
                        for (long iy = y0; iy < y1; iy += g.dh()) {
                            for (long ix = x0; ix < x1; ix += g.dw()) {
                                long at = iy * w + ix;
                                double v = f32 ? xs.getAtIndex(F32, in0 + at) : xs.getAtIndex(F64, in0 + at);
                                if (v > max || Double.isNaN(v)) {
                                    max = v;
                                    best = at;
                                }
                            }
                        }
                        long o = out0 + oy * ow + ox;
                        if (f32) os.setAtIndex(F32, ooff + o, (float) max);
                        else os.setAtIndex(F64, ooff + o, max);
                        is.setAtIndex(I64, ioff + o, best);
                    }
                }
            }
        });
    }

    /** gx = 0, then every output gradient added at its recorded input position (planes in parallel: positions stay in-plane). */
    static void maxPool2dBackward(PoolGeometry g, Strided gx, Strided gout, Strided indices) {
        boolean f32 = gx.dtype() == DType.FLOAT32;
        long es = gx.dtype().byteSize(), hw = g.h() * g.w(), ohw = g.oh() * g.ow();
        MemorySegment gs = gout.segment(), xs = gx.segment(), is = indices.segment();
        long goff = gout.offset(), xoff = gx.offset(), ioff = indices.offset();
        xs.asSlice(xoff * es, gx.numel() * es).fill((byte) 0);
        Parallel.parallelFor(g.planes(), Math.max(1, (1L << 14) / Math.max(1, ohw)), (pFrom, pTo) -> {
            for (long p = pFrom; p < pTo; p++) {
                for (long q = 0; q < ohw; q++) {
                    long o = p * ohw + q;
                    long at = xoff + p * hw + is.getAtIndex(I64, ioff + o);
                    if (f32) xs.setAtIndex(F32, at, xs.getAtIndex(F32, at) + gs.getAtIndex(F32, goff + o));
                    else xs.setAtIndex(F64, at, xs.getAtIndex(F64, at) + gs.getAtIndex(F64, goff + o));
                }
            }
        });
    }

    /** adaptive_avg_pool2d of x [planes, h, w] into out [planes, oh, ow], sums in double. */
    static void adaptiveAvgPool2d(Strided out, Strided x) {
        int r = x.rank();
        long h = x.shape()[r - 2], w = x.shape()[r - 1], outH = out.shape()[r - 2], outW = out.shape()[r - 1];
        long planes = x.numel() / Math.max(1, h * w);
        MemorySegment xs = x.segment(), os = out.segment();
        boolean f32 = x.dtype() == DType.FLOAT32;
        long xoff = x.offset(), ooff = out.offset();
        Parallel.parallelFor(planes, Math.max(1, (1L << 14) / Math.max(1, h * w)), (pFrom, pTo) -> {
            for (long p = pFrom; p < pTo; p++) {
                for (long oy = 0; oy < outH; oy++) {
                    long y0 = windowStart(oy, outH, h), y1 = windowEnd(oy, outH, h);
                    for (long ox = 0; ox < outW; ox++) {
                        long x0 = windowStart(ox, outW, w), x1 = windowEnd(ox, outW, w);
                        double sum = 0;
                        for (long iy = y0; iy < y1; iy++) {
                            for (long ix = x0; ix < x1; ix++) {
                                long at = xoff + p * h * w + iy * w + ix;
                                sum += f32 ? xs.getAtIndex(F32, at) : xs.getAtIndex(F64, at);
                            }
                        }
                        double avg = sum / ((y1 - y0) * (x1 - x0));
                        long o = ooff + (p * outH + oy) * outW + ox;
                        if (f32) os.setAtIndex(F32, o, (float) avg);
                        else os.setAtIndex(F64, o, avg);
                    }
                }
            }
        });
    }

    /** gx [planes, h, w] = each output gradient shared equally over its window. */
    static void adaptiveAvgPool2dBackward(Strided gx, Strided gout) {
        int r = gx.rank();
        long h = gx.shape()[r - 2], w = gx.shape()[r - 1], outH = gout.shape()[r - 2], outW = gout.shape()[r - 1];
        long planes = gout.numel() / Math.max(1, outH * outW);
        MemorySegment gs = gout.segment(), xs = gx.segment();
        boolean f32 = gx.dtype() == DType.FLOAT32;
        long goff = gout.offset(), xoff = gx.offset(), es = gx.dtype().byteSize();
        xs.asSlice(xoff * es, gx.numel() * es).fill((byte) 0);
        Parallel.parallelFor(planes, Math.max(1, (1L << 14) / Math.max(1, h * w)), (pFrom, pTo) -> {
            for (long p = pFrom; p < pTo; p++) {
                for (long oy = 0; oy < outH; oy++) {
                    long y0 = windowStart(oy, outH, h), y1 = windowEnd(oy, outH, h);
                    for (long ox = 0; ox < outW; ox++) {
                        long x0 = windowStart(ox, outW, w), x1 = windowEnd(ox, outW, w);
                        long o = goff + (p * outH + oy) * outW + ox;
                        double share = (f32 ? gs.getAtIndex(F32, o) : gs.getAtIndex(F64, o)) / ((y1 - y0) * (x1 - x0));
                        for (long iy = y0; iy < y1; iy++) {
                            for (long ix = x0; ix < x1; ix++) {
                                long at = xoff + p * h * w + iy * w + ix;
                                if (f32) xs.setAtIndex(F32, at, (float) (xs.getAtIndex(F32, at) + share));
                                else xs.setAtIndex(F64, at, xs.getAtIndex(F64, at) + share);
                            }
                        }
                    }
                }
            }
        });
    }

    private static long windowStart(long o, long outSize, long inSize) { return Math.floorDiv(o * inSize, outSize); }

    private static long windowEnd(long o, long outSize, long inSize) { return -Math.floorDiv(-(o + 1) * inSize, outSize); }

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
        float[] values = new float[ohw];
        int[] indices = new int[ohw], offsets = new int[lanes];
        long[] wide = new long[ohw];
        int iw = (int) w, ih = (int) h, kh = kernel[0], kw = kernel[1], sh = stride[0], sw = stride[1];
        int ph = padding[0], pw = padding[1], dh = dilation[0], dw = dilation[1];
        for (int i = 0; i < lanes; i++) offsets[i] = i * sw;
        // output columns whose whole window row is inside the input row
        int oxLo = Math.min((int) ow, (pw + sw - 1) / sw);
        int oxHi = Math.max(oxLo, Math.min((int) ow, (iw - 1 - (kw - 1) * dw + pw) / sw + 1));
        boolean vector = !VectorKernels.SCALAR;
        // e.g. ResNet's 3x3/2 pool of a 32x32 input: 16 output columns, 15 of them interior
        boolean narrow = vector && ow <= lanes && oxHi - oxLo < lanes;
        // the narrow path's gathers reach up to a vector's columns past either end of the plane:
        // the plane sits that far into its heap copy (the lanes outside the row are masked off after
        // loading, as the API checks every lane of a masked gather's indices)
        int margin = narrow ? lanes * sw + (kw - 1) * dw + pw + 1 : 0;
        float[] in = new float[hw + 2 * margin];
        int[] firstColumns = new int[lanes]; // lane i's first input column inside the row, for ox = 0
        for (int i = 0; i < lanes; i++) {
            int x = i * sw - pw;
            while (x < 0) x += dw;
            firstColumns[i] = x;
        }
        for (long p = from; p < to; p++) {
            MemorySegment.copy(xs, F32, (xoff + p * hw) * Float.BYTES, in, margin, hw);
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * sh - ph, y1 = Math.min(y0 + (kh - 1) * dh + 1, ih);
                while (y0 < 0) y0 += dh;
                int ox = 0;
                if (narrow) {
                    // a row of at most one vector with too few interior columns for one: all of it
                    // in one vector whose lanes outside the input are masked off
                    maskedColumns(in, margin, iw, y0, y1, dh, -pw, kw, dw, offsets, firstColumns, (int) ow, values, indices,
                            (int) (oy * ow));
                    continue;
                }
                for (; ox < oxLo; ox++) poolOne(in, iw, y0, y1, dh, ox * sw - pw, kw, dw, values, indices, (int) (oy * ow + ox));
                if (vector && oxHi - ox >= lanes) {
                    for (; ox + lanes <= oxHi; ox += lanes) {
                        vectorColumns(in, iw, y0, y1, dh, ox * sw - pw, kw, dw, offsets, values, indices,
                                (int) (oy * ow + ox));
                    }
                    // the columns left before oxHi: one more vector ending there, recomputing a few
                    // columns the same way (each lane's window and order are its own), not a scalar loop each
                    if (ox < oxHi) {
                        vectorColumns(in, iw, y0, y1, dh, (oxHi - lanes) * sw - pw, kw, dw, offsets, values,
                                indices, (int) (oy * ow + oxHi - lanes));
                        ox = oxHi;
                    }
                }
                for (; ox < ow; ox++) poolOne(in, iw, y0, y1, dh, ox * sw - pw, kw, dw, values, indices, (int) (oy * ow + ox));
            }
            for (int i = 0; i < ohw; i++) wide[i] = indices[i];
            MemorySegment.copy(values, 0, os, F32, p * ohw * Float.BYTES, ohw);
            MemorySegment.copy(wide, 0, is, I64, p * ohw * Long.BYTES, ohw);
        }
    }

    /**
     * 16 (a vector of) adjacent output columns of one output row: lane i's window starts at input
     * column x0 + offsets[i], rows [y0, y1). Masked selects keep the first maximum, and NaN.
     */
    private static void vectorColumns(float[] in, int iw, int y0, int y1, int dh, int x0, int kw, int dw, int[] offsets,
            float[] values, int[] indices, int o) {
        IntVector laneOffsets = IntVector.fromArray(IS, offsets, 0); // loaded here: a vector argument would be boxed
        FloatVector max = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
        IntVector best = laneOffsets.add(y0 * iw + x0); // a window of nothing but -inf keeps its first element, as poolOne
        for (int iy = y0; iy < y1; iy += dh) {
            for (int kx = 0, start = iy * iw + x0; kx < kw; kx++, start += dw) {
                FloatVector v = FloatVector.fromArray(FS, in, start, offsets, 0);
                VectorMask<Float> take = v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN));
                max = max.blend(v, take);
                best = best.blend(laneOffsets.add(start), take.cast(IS));
            }
        }
        max.intoArray(values, o);
        best.intoArray(indices, o);
    }

    /**
     * The first {@code cols} output columns of one output row (at most a vector), lane i's window
     * starting at input column x0 + offsets[i] (x0 negative in the padding), the plane at
     * in[margin...]: a lane whose column is outside the row loads a neighbour's value, which its
     * mask never takes, and only the live lanes are stored. firstColumns[i] is lane i's first
     * column inside the row (its initial index).
     */
    private static void maskedColumns(float[] in, int margin, int iw, int y0, int y1, int dh, int x0, int kw, int dw,
            int[] offsets, int[] firstColumns, int cols, float[] values, int[] indices, int o) {
        IntVector laneOffsets = IntVector.fromArray(IS, offsets, 0);
        VectorMask<Integer> live = IS.indexInRange(0, cols);
        FloatVector max = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
        IntVector best = IntVector.fromArray(IS, firstColumns, 0).add(y0 * iw);
        for (int iy = y0; iy < y1; iy += dh) { // window order (rows, then columns): the first maximum wins
            for (int kx = 0, x = x0; kx < kw; kx++, x += dw) {
                IntVector column = laneOffsets.add(x);
                VectorMask<Float> load = column.compare(VectorOperators.GE, 0).and(column.compare(VectorOperators.LT, iw)).and(live)
                        .cast(FS);
                int start = iy * iw + x;
                FloatVector v = FloatVector.fromArray(FS, in, margin + start, offsets, 0);
                VectorMask<Float> take = v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN)).and(load);
                max = max.blend(v, take);
                best = best.blend(laneOffsets.add(start), take.cast(IS));
            }
        }
        max.intoArray(values, o, live.cast(FS));
        best.intoArray(indices, o, live);
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
