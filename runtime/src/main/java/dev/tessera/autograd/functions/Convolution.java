package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.SavedTensor;
import dev.tessera.memory.MemoryScope;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.cpu.Parallel;
import dev.tessera.ops.cpu.VectorKernels;
import dev.tessera.ops.cpu.VectorKernels.BinaryKind;
import dev.tessera.ops.ReduceOp;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * 2-D convolution by im2col + GEMM, forward and backward (PyTorch's ConvolutionBackward0).
 *
 * <p>Columns are laid out as [groups, Cg*kh*kw, n*L] for a chunk of n images (L = oh*ow), so each
 * group's product is one large matrix multiply: out_g [Og, n*L] = W_g [Og, K] @ cols_g [K, n*L].
 * Backward recomputes the columns from the saved input instead of keeping them alive, and chunks
 * the batch so a column buffer stays below {@link #CHUNK_ELEMENTS} elements.
 */
public final class Convolution {
    private static final long CHUNK_ELEMENTS = 1L << 24;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private Convolution() {}

    /** Geometry of one convolution call. */
    private record Geometry(long n, long c, long h, long w, long o, long kh, long kw, int sh, int sw, int ph, int pw,
                            int dh, int dw, int groups, long oh, long ow) {
        long cg() { return c / groups; }
        long og() { return o / groups; }
        long k() { return cg() * kh * kw; }
        long l() { return oh * ow; }

        /** Images per chunk so that one column buffer holds at most CHUNK_ELEMENTS elements. */
        long chunk() { return Math.max(1, Math.min(n, CHUNK_ELEMENTS / Math.max(1, c * kh * kw * l()))); }
    }

    /** F.conv2d(input, weight, bias, stride, padding, dilation, groups); bias may be null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        Geometry geo = geometry(input, weight, bias, stride, padding, dilation, groups);
        Tensor x = input.detach().contiguous(), wt = weight.detach().contiguous();
        Tensor out = forward(x, wt, geo);
        if (bias != null) Dispatcher.binaryInPlace(dev.tessera.ops.BinaryOp.ADD, out, bias.detach().reshape(1, geo.o, 1, 1));
        if (!Autograd.needsGrad(input, weight, bias)) return out;
        FunctionNode node = new FunctionNode("ConvolutionBackward0", input, weight, bias);
        SavedTensor si = node.save(input), sw = node.save(weight);
        node.backward1(g -> {
            Tensor gout = g.contiguous();
            Tensor xs = si.get().detach().contiguous(), ws = sw.get().detach().contiguous();
            Tensor[] grads = backward(gout, xs, ws, geo, node.needsInputGrad(0), node.needsInputGrad(1));
            Tensor gb = bias != null && node.needsInputGrad(2)
                    ? Dispatcher.reduce(ReduceOp.SUM, gout, new int[]{0, 2, 3}, false, gout.dtype()) : null;
            return new Tensor[]{grads[0], grads[1], gb};
        });
        return Autograd.record(node, out);
    }

    private static Geometry geometry(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        if (weight.dim() != 4) {
            throw new IllegalArgumentException("Expected 4-dimensional weight for conv2d, but got " + weight.dim()
                    + "-dimensional weight of size " + Arrays.toString(weight.shapeArray()));
        }
        if (input.dim() != 4) {
            throw new IllegalArgumentException("Expected 4-dimensional input for 4-dimensional weight " + Arrays.toString(weight.shapeArray())
                    + ", but got " + input.dim() + "-dimensional input of size " + Arrays.toString(input.shapeArray()) + " instead");
        }
        if (!input.device().isCpu() || !weight.device().isCpu()) {
            throw new UnsupportedOperationException("conv2d has only a CPU kernel so far (input on " + input.device() + ")");
        }
        DType dt = input.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            throw new UnsupportedOperationException("conv2d is implemented for float32 and float64, got " + dt);
        }
        if (weight.dtype() != dt || (bias != null && bias.dtype() != dt)) {
            throw new IllegalArgumentException("expected scalar type " + Dispatcher.typeName(dt) + " but found "
                    + Dispatcher.typeName(weight.dtype() != dt ? weight.dtype() : bias.dtype()));
        }
        if (groups <= 0) throw new IllegalArgumentException("non-positive groups is not supported");
        for (int i = 0; i < 2; i++) {
            if (stride[i] <= 0) throw new IllegalArgumentException("non-positive stride is not supported");
            if (padding[i] < 0) throw new IllegalArgumentException("negative padding is not supported");
            if (dilation[i] <= 0) throw new IllegalArgumentException("dilation should be greater than zero");
        }
        long n = input.size(0), c = input.size(1), h = input.size(2), w = input.size(3);
        long o = weight.size(0), kh = weight.size(2), kw = weight.size(3);
        if (c != weight.size(1) * groups) {
            throw new IllegalArgumentException("Given groups=" + groups + ", weight of size " + Arrays.toString(weight.shapeArray())
                    + ", expected input" + Arrays.toString(input.shapeArray()) + " to have " + weight.size(1) * groups
                    + " channels, but got " + c + " channels instead");
        }
        if (o % groups != 0) {
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by " + groups
                    + " at dimension 0, but got weight of size " + Arrays.toString(weight.shapeArray()) + " instead");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != o)) {
            throw new IllegalArgumentException("Given weight of size " + Arrays.toString(weight.shapeArray()) + ", expected bias to be 1-dimensional with "
                    + o + " elements, but got bias of size " + Arrays.toString(bias.shapeArray()) + " instead");
        }
        long effH = dilation[0] * (kh - 1) + 1, effW = dilation[1] * (kw - 1) + 1;
        if (h + 2L * padding[0] < effH || w + 2L * padding[1] < effW) {
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + (h + 2L * padding[0]) + " x "
                    + (w + 2L * padding[1]) + "). Kernel size: (" + effH + " x " + effW + "). Kernel size can't be greater than actual input size");
        }
        long oh = (h + 2L * padding[0] - effH) / stride[0] + 1, ow = (w + 2L * padding[1] - effW) / stride[1] + 1;
        return new Geometry(n, c, h, w, o, kh, kw, stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], groups, oh, ow);
    }

    private static Tensor forward(Tensor x, Tensor wt, Geometry geo) {
        DType dt = x.dtype();
        long l = geo.l(), k = geo.k(), og = geo.og();
        Tensor out = Dispatcher.output(new long[]{geo.n, geo.o, geo.oh, geo.ow}, dt, x.device());
        long chunk = geo.chunk();
        // column buffers and products never escape: free them back to the block pool per call
        try (MemoryScope temporaries = MemoryScope.open()) {
            for (long n0 = 0; n0 < geo.n; n0 += chunk) {
                long nb = Math.min(chunk, geo.n - n0);
                Tensor cols = im2col(x, geo, n0, nb);
                for (int g = 0; g < geo.groups; g++) {
                    Tensor wg = Tensor.fromStorage(wt.storage(), dt, new long[]{1, og, k}, new long[]{0, k, 1}, wt.storageOffset() + g * og * k);
                    Tensor cg = Tensor.fromStorage(cols.storage(), dt, new long[]{1, k, nb * l}, new long[]{0, nb * l, 1}, g * k * nb * l);
                    long dstOffset = (n0 * geo.o + g * og) * l;
                    if (nb == 1) {
                        // one image: the product's [og, L] layout is the output's, so multiply straight into it
                        Tensor dst = Tensor.fromStorage(out.storage(), dt, new long[]{1, og, l}, new long[]{0, l, 1}, dstOffset);
                        Dispatcher.bmm(wg, cg, new long[]{1, og, l}, dst);
                        continue;
                    }
                    Tensor prod = Dispatcher.bmm(wg, cg, new long[]{1, og, nb * l});
                    // out[n0 + i, g*og + j, :] = prod[j, i, :]
                    Tensor dst = Tensor.fromStorage(out.storage(), dt, new long[]{og, nb, l}, new long[]{l, geo.o * l, 1}, dstOffset);
                    Dispatcher.copyInto(dst, Tensor.fromStorage(prod.storage(), dt, new long[]{og, nb, l}, new long[]{nb * l, l, 1}, 0));
                }
            }
        }
        return out;
    }

    /** Returns {grad input or null, grad weight or null}. */
    private static Tensor[] backward(Tensor gout, Tensor x, Tensor wt, Geometry geo, boolean wantInput, boolean wantWeight) {
        DType dt = x.dtype();
        long l = geo.l(), k = geo.k(), og = geo.og();
        Tensor gx = wantInput ? Dispatcher.empty(x.shapeArray(), dt, x.device()) : null;
        Tensor gw = wantWeight ? Dispatcher.empty(wt.shapeArray(), dt, x.device()) : null;
        long chunk = geo.chunk();
        try (MemoryScope temporaries = MemoryScope.open()) {
        for (long n0 = 0; n0 < geo.n; n0 += chunk) {
            long nb = Math.min(chunk, geo.n - n0);
            Tensor cols = wantWeight ? im2col(x, geo, n0, nb) : null;
            Tensor gcols = wantInput ? Dispatcher.output(new long[]{geo.groups, k, nb * l}, dt, x.device()) : null; // every element written by a product
            for (int g = 0; g < geo.groups; g++) {
                // gout_g as a contiguous [Og, nb*L] matrix: for one image it already is one
                long gOff = gout.storageOffset() + (n0 * geo.o + g * og) * l;
                Tensor gg;
                if (nb == 1) {
                    gg = Tensor.fromStorage(gout.storage(), dt, new long[]{1, og, l}, new long[]{0, l, 1}, gOff);
                } else {
                    Tensor src = Tensor.fromStorage(gout.storage(), dt, new long[]{og, nb, l}, new long[]{l, geo.o * l, 1}, gOff);
                    gg = Dispatcher.empty(new long[]{1, og, nb * l}, dt, x.device());
                    Dispatcher.copyInto(Tensor.fromStorage(gg.storage(), dt, new long[]{og, nb, l}, new long[]{nb * l, l, 1}, 0), src);
                }
                if (wantWeight) {
                    Tensor colsT = Tensor.fromStorage(cols.storage(), dt, new long[]{1, nb * l, k}, new long[]{0, 1, nb * l}, g * k * nb * l);
                    Tensor dst = Tensor.fromStorage(gw.storage(), dt, new long[]{1, og, k}, new long[]{0, k, 1}, g * og * k);
                    if (n0 == 0) {
                        Dispatcher.bmm(gg, colsT, new long[]{1, og, k}, dst); // first chunk: straight into the gradient
                    } else {
                        Dispatcher.binaryInPlace(dev.tessera.ops.BinaryOp.ADD, dst, Dispatcher.bmm(gg, colsT, new long[]{1, og, k}));
                    }
                }
                if (wantInput) {
                    Tensor wT = Tensor.fromStorage(wt.storage(), dt, new long[]{1, k, og}, new long[]{0, 1, k}, wt.storageOffset() + g * og * k);
                    Dispatcher.bmm(wT, gg, new long[]{1, k, nb * l},
                            Tensor.fromStorage(gcols.storage(), dt, new long[]{1, k, nb * l}, new long[]{0, nb * l, 1}, g * k * nb * l));
                }
            }
            if (wantInput) col2im(gcols, gx, geo, n0, nb);
        }
        }
        return new Tensor[]{gx, gw};
    }

    /**
     * Columns [groups, Cg*kh*kw, nb*L] of images [n0, n0+nb) of the contiguous input; zero where
     * padded. Every element is written (copied or zeroed), so the buffer skips the allocation fill.
     */
    static Tensor im2col(Tensor x, Geometry geo, long n0, long nb) {
        long k = geo.k(), l = geo.l();
        Tensor cols = Dispatcher.output(new long[]{geo.groups, k, nb * l}, x.dtype(), x.device());
        MemorySegment src = x.storage().segment(), dst = cols.storage().segment();
        boolean f32 = x.dtype() == DType.FLOAT32;
        long base = x.storageOffset();
        long rowLen = nb * l;
        // each input channel fills its own rows: split channels across the worker pool
        Parallel.parallelFor(geo.c, Math.max(1, (1L << 15) / Math.max(1, geo.kh * geo.kw * rowLen)), (cFrom, cTo) -> {
        for (long c = cFrom; c < cTo; c++) {
            for (long i = 0; i < geo.kh; i++) {
                for (long j = 0; j < geo.kw; j++) {
                    // row index within all groups: channel c belongs to group c / cg, its rows are contiguous there
                    long row = c * geo.kh * geo.kw + i * geo.kw + j;
                    long ix0 = j * geo.dw - geo.pw;
                    long lo = Math.min(geo.ow, validLo(ix0, geo.sw)), hi = Math.max(lo, validHi(ix0, geo.sw, geo.w, geo.ow));
                    for (long b = 0; b < nb; b++) {
                        long outBase = row * rowLen + b * l;
                        long inPlane = base + ((n0 + b) * geo.c + c) * geo.h * geo.w;
                        for (long oy = 0; oy < geo.oh; oy++) {
                            long iy = oy * geo.sh - geo.ph + i * geo.dh;
                            long o = outBase + oy * geo.ow;
                            if (iy < 0 || iy >= geo.h) {
                                zero(dst, o, geo.ow, f32); // a padding row
                                continue;
                            }
                            zero(dst, o, lo, f32);
                            zero(dst, o + hi, geo.ow - hi, f32);
                            long rowIn = inPlane + iy * geo.w;
                            if (geo.sw == 1) {
                                // unit stride: the valid part of the output row is one contiguous input run
                                long es = f32 ? 4 : 8;
                                MemorySegment.copy(src, (rowIn + lo + ix0) * es, dst, (o + lo) * es, (hi - lo) * es);
                                continue;
                            }
                            for (long ox = lo; ox < hi; ox++) {
                                long ix = ox * geo.sw + ix0;
                                if (f32) dst.setAtIndex(F32, o + ox, src.getAtIndex(F32, rowIn + ix));
                                else dst.setAtIndex(F64, o + ox, src.getAtIndex(F64, rowIn + ix));
                            }
                        }
                    }
                }
            }
        }
        });
        return cols;
    }

    /** Zeroes n elements at element offset {@code at}: padding edges (a few) or whole padding rows. */
    private static void zero(MemorySegment dst, long at, long n, boolean f32) {
        long es = f32 ? 4 : 8;
        if (n > 8) {
            dst.asSlice(at * es, n * es).fill((byte) 0);
        } else {
            for (long e = 0; e < n * es; e += 4) dst.set(ValueLayout.JAVA_INT_UNALIGNED, at * es + e, 0);
        }
    }

    /** Adds the columns back into images [n0, n0+nb) of {@code gx} (contiguous, same layout as the input). */
    static void col2im(Tensor cols, Tensor gx, Geometry geo, long n0, long nb) {
        long l = geo.l();
        MemorySegment src = cols.storage().segment(), dst = gx.storage().segment();
        boolean f32 = gx.dtype() == DType.FLOAT32;
        long rowLen = nb * l;
        // each channel adds into its own input plane: split channels across the worker pool
        Parallel.parallelFor(geo.c, Math.max(1, (1L << 15) / Math.max(1, geo.kh * geo.kw * rowLen)), (cFrom, cTo) -> {
        for (long c = cFrom; c < cTo; c++) {
            for (long i = 0; i < geo.kh; i++) {
                for (long j = 0; j < geo.kw; j++) {
                    long row = c * geo.kh * geo.kw + i * geo.kw + j;
                    for (long b = 0; b < nb; b++) {
                        long colBase = row * rowLen + b * l;
                        long plane = ((n0 + b) * geo.c + c) * geo.h * geo.w;
                        for (long oy = 0; oy < geo.oh; oy++) {
                            long iy = oy * geo.sh - geo.ph + i * geo.dh;
                            if (iy < 0 || iy >= geo.h) continue;
                            long o = colBase + oy * geo.ow;
                            long rowOut = plane + iy * geo.w;
                            long ix0 = j * geo.dw - geo.pw;
                            long lo = validLo(ix0, geo.sw), hi = validHi(ix0, geo.sw, geo.w, geo.ow);
                            if (geo.sw == 1 && hi > lo) {
                                // unit stride: one contiguous run of the input row, added vector-wise
                                long at = rowOut + lo + ix0;
                                if (f32) VectorKernels.binaryF32(BinaryKind.ADD, dst, at, src, o + lo, dst, at, hi - lo);
                                else VectorKernels.binaryF64(BinaryKind.ADD, dst, at, src, o + lo, dst, at, hi - lo);
                                continue;
                            }
                            for (long ox = lo; ox < hi; ox++) {
                                long ix = ox * geo.sw + ix0;
                                if (f32) dst.setAtIndex(F32, rowOut + ix, dst.getAtIndex(F32, rowOut + ix) + src.getAtIndex(F32, o + ox));
                                else dst.setAtIndex(F64, rowOut + ix, dst.getAtIndex(F64, rowOut + ix) + src.getAtIndex(F64, o + ox));
                            }
                        }
                    }
                }
            }
        }
        });
    }

    /** First output column whose input column ox*stride + ix0 is >= 0. */
    private static long validLo(long ix0, long stride) { return ix0 >= 0 ? 0 : (-ix0 + stride - 1) / stride; }

    /** One past the last output column whose input column is < w (at most ow). */
    private static long validHi(long ix0, long stride, long w, long ow) {
        if (w - 1 - ix0 < 0) return 0;
        return Math.min(ow, (w - 1 - ix0) / stride + 1);
    }
}
