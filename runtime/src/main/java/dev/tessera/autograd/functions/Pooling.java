package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.cpu.PoolingKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/** max_pool2d (with indices) and adaptive_avg_pool2d on [N, C, H, W] or [C, H, W] inputs, forward and backward. */
public final class Pooling {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    private Pooling() {}

    /** Values and int64 indices (flat positions within each input H*W plane), as torch.nn.functional.max_pool2d_with_indices. */
    public record Pooled(Tensor values, Tensor indices) {}

    /** PyTorch's pooling_output_shape, including the ceil-mode rule that the last window must start inside the input. */
    static long outputSize(long in, int k, int pad, int stride, int dilation, boolean ceil) {
        long num = in + 2L * pad - (long) dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0);
        long out = Math.floorDiv(num, stride) + 1;
        if (ceil && (out - 1) * stride >= in + pad) out--;
        return out;
    }

    public static Pooled maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException("non-empty 3D or 4D (batch mode) tensor expected for input");
        }
        checkFloat("max_pool2d", input);
        for (int i = 0; i < 2; i++) {
            if (kernel[i] <= 0) throw new IllegalArgumentException("kernel size should be greater than zero, but got kH: " + kernel[0] + " kW: " + kernel[1]);
            if (stride[i] <= 0) throw new IllegalArgumentException("stride should be greater than zero, but got dH: " + stride[0] + " dW: " + stride[1]);
            if (dilation[i] <= 0) throw new IllegalArgumentException("dilation should be greater than zero, but got dilationH: " + dilation[0] + " dilationW: " + dilation[1]);
        }
        if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
            throw new IllegalArgumentException("pad should be smaller than or equal to half of kernel size, but got padW = " + padding[1]
                    + ", padH = " + padding[0] + ", kW = " + kernel[1] + ", kH = " + kernel[0]);
        }
        Tensor x = input.detach().contiguous();
        int r = x.dim();
        long h = x.size(-2), w = x.size(-1), planes = x.numel() / Math.max(1, h * w);
        long oh = outputSize(h, kernel[0], padding[0], stride[0], dilation[0], ceilMode);
        long ow = outputSize(w, kernel[1], padding[1], stride[1], dilation[1], ceilMode);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("Given input size: (" + x.size(-3) + "x" + h + "x" + w + "). Calculated output size: ("
                    + x.size(-3) + "x" + oh + "x" + ow + "). Output size is too small");
        }
        long[] outShape = x.shapeArray().clone();
        outShape[r - 2] = oh;
        outShape[r - 1] = ow;
        Tensor out = Dispatcher.output(outShape, x.dtype(), x.device()); // every element written below
        Tensor idx = Dispatcher.output(outShape, DType.INT64, x.device());
        MemorySegment xs = x.storage().segment(), os = out.storage().segment(), is = idx.storage().segment();
        boolean f32 = x.dtype() == DType.FLOAT32;
        if (f32 && PoolingKernels.fitsMaxPoolF32(h, w, oh, ow)) {
            PoolingKernels.maxPool2dF32(xs, x.storageOffset(), os, is, planes, h, w, oh, ow, kernel, stride, padding, dilation);
        } else {
            maxPoolGeneral(xs, x.storageOffset(), f32, os, is, planes, h, w, oh, ow, kernel, stride, padding, dilation);
        }
        if (Autograd.needsGrad(input)) {
            long[] inShape = x.shapeArray().clone();
            FunctionNode n = new FunctionNode("MaxPool2DWithIndicesBackward0", input);
            n.backward1(g -> new Tensor[]{maxPoolBackward(g.contiguous(), idx, inShape)});
            Autograd.record(n, out);
        }
        return new Pooled(out, idx);
    }

    /** Any float dtype and size: the reference loop (values read and written as the dtype through doubles). */
    private static void maxPoolGeneral(MemorySegment xs, long xoff, boolean f32, MemorySegment os, MemorySegment is,
            long planes, long h, long w, long oh, long ow, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        long grain = Math.max(1, (1L << 14) / Math.max(1, oh * ow));
        // planes are independent: split them across the worker pool
        dev.tessera.ops.cpu.Parallel.parallelFor(planes, grain, (pFrom, pTo) -> {
            for (long p = pFrom; p < pTo; p++) {
                long in0 = xoff + p * h * w, out0 = p * oh * ow;
                for (long oy = 0; oy < oh; oy++) {
                    long y0 = oy * stride[0] - padding[0];
                    long y1 = Math.min(y0 + (long) (kernel[0] - 1) * dilation[0] + 1, h);
                    while (y0 < 0) y0 += dilation[0];
                    for (long ox = 0; ox < ow; ox++) {
                        long x0 = ox * stride[1] - padding[1];
                        long x1 = Math.min(x0 + (long) (kernel[1] - 1) * dilation[1] + 1, w);
                        while (x0 < 0) x0 += dilation[1];
                        long best = y0 * w + x0;
                        double max = Double.NEGATIVE_INFINITY;
                        for (long iy = y0; iy < y1; iy += dilation[0]) {
                            for (long ix = x0; ix < x1; ix += dilation[1]) {
                                long at = iy * w + ix;
                                double v = f32 ? xs.getAtIndex(F32, in0 + at) : xs.getAtIndex(F64, in0 + at);
                                if (v > max || Double.isNaN(v)) {
                                    max = v;
                                    best = at;
                                }
                            }
                        }
                        long o = out0 + oy * ow + ox;
                        if (f32) os.setAtIndex(F32, o, (float) max);
                        else os.setAtIndex(F64, o, max);
                        is.setAtIndex(I64, o, best);
                    }
                }
            }
        });
    }

    private static Tensor maxPoolBackward(Tensor g, Tensor idx, long[] inShape) {
        Tensor gx = Dispatcher.empty(inShape, g.dtype(), g.device());
        int r = inShape.length;
        long hw = inShape[r - 2] * inShape[r - 1];
        long ohw = g.size(-2) * g.size(-1), planes = g.numel() / Math.max(1, ohw);
        MemorySegment gs = g.storage().segment(), xs = gx.storage().segment(), is = idx.storage().segment();
        boolean f32 = g.dtype() == DType.FLOAT32;
        long goff = g.storageOffset();
        for (long p = 0; p < planes; p++) {
            for (long q = 0; q < ohw; q++) {
                long o = p * ohw + q;
                long at = p * hw + is.getAtIndex(I64, o);
                if (f32) xs.setAtIndex(F32, at, xs.getAtIndex(F32, at) + gs.getAtIndex(F32, goff + o));
                else xs.setAtIndex(F64, at, xs.getAtIndex(F64, at) + gs.getAtIndex(F64, goff + o));
            }
        }
        return gx;
    }

    /** adaptive_avg_pool2d; a 1x1 output is a mean over the last two dims, as PyTorch's composite does (MeanBackward1). */
    public static Tensor adaptiveAvgPool2d(Tensor input, long outH, long outW) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got " + Arrays.toString(input.shapeArray()));
        }
        if (outH < 0 || outW < 0) throw new IllegalArgumentException("adaptive_avg_pool2d: output_size must be non-negative");
        checkFloat("adaptive_avg_pool2d", input);
        if (outH == 1 && outW == 1) return input.mean(new int[]{-1, -2}, true);
        Tensor x = input.detach().contiguous();
        int r = x.dim();
        long h = x.size(-2), w = x.size(-1), planes = x.numel() / Math.max(1, h * w);
        long[] outShape = x.shapeArray().clone();
        outShape[r - 2] = outH;
        outShape[r - 1] = outW;
        Tensor out = Dispatcher.empty(outShape, x.dtype(), x.device());
        MemorySegment xs = x.storage().segment(), os = out.storage().segment();
        boolean f32 = x.dtype() == DType.FLOAT32;
        long xoff = x.storageOffset();
        for (long p = 0; p < planes; p++) {
            for (long oy = 0; oy < outH; oy++) {
                long y0 = start(oy, outH, h), y1 = end(oy, outH, h);
                for (long ox = 0; ox < outW; ox++) {
                    long x0 = start(ox, outW, w), x1 = end(ox, outW, w);
                    double sum = 0;
                    for (long iy = y0; iy < y1; iy++) {
                        for (long ix = x0; ix < x1; ix++) {
                            long at = xoff + p * h * w + iy * w + ix;
                            sum += f32 ? xs.getAtIndex(F32, at) : xs.getAtIndex(F64, at);
                        }
                    }
                    double avg = sum / ((y1 - y0) * (x1 - x0));
                    long o = (p * outH + oy) * outW + ox;
                    if (f32) os.setAtIndex(F32, o, (float) avg);
                    else os.setAtIndex(F64, o, avg);
                }
            }
        }
        if (Autograd.needsGrad(input)) {
            long[] inShape = x.shapeArray().clone();
            FunctionNode n = new FunctionNode("AdaptiveAvgPool2DBackward0", input);
            n.backward1(g -> new Tensor[]{adaptiveAvgBackward(g.contiguous(), inShape)});
            Autograd.record(n, out);
        }
        return out;
    }

    private static Tensor adaptiveAvgBackward(Tensor g, long[] inShape) {
        int r = inShape.length;
        long h = inShape[r - 2], w = inShape[r - 1], outH = g.size(-2), outW = g.size(-1);
        long planes = g.numel() / Math.max(1, outH * outW);
        Tensor gx = Dispatcher.empty(inShape, g.dtype(), g.device());
        MemorySegment gs = g.storage().segment(), xs = gx.storage().segment();
        boolean f32 = g.dtype() == DType.FLOAT32;
        long goff = g.storageOffset();
        for (long p = 0; p < planes; p++) {
            for (long oy = 0; oy < outH; oy++) {
                long y0 = start(oy, outH, h), y1 = end(oy, outH, h);
                for (long ox = 0; ox < outW; ox++) {
                    long x0 = start(ox, outW, w), x1 = end(ox, outW, w);
                    long o = goff + (p * outH + oy) * outW + ox;
                    double share = (f32 ? gs.getAtIndex(F32, o) : gs.getAtIndex(F64, o)) / ((y1 - y0) * (x1 - x0));
                    for (long iy = y0; iy < y1; iy++) {
                        for (long ix = x0; ix < x1; ix++) {
                            long at = p * h * w + iy * w + ix;
                            if (f32) xs.setAtIndex(F32, at, (float) (xs.getAtIndex(F32, at) + share));
                            else xs.setAtIndex(F64, at, xs.getAtIndex(F64, at) + share);
                        }
                    }
                }
            }
        }
        return gx;
    }

    private static long start(long o, long outSize, long inSize) { return Math.floorDiv(o * inSize, outSize); }

    private static long end(long o, long outSize, long inSize) { return -Math.floorDiv(-(o + 1) * inSize, outSize); }

    private static void checkFloat(String op, Tensor t) {
        if (!t.device().isCpu()) throw new UnsupportedOperationException("\"" + op + "\" has only a CPU kernel so far (input on " + t.device() + ")");
        DType dt = t.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            throw new UnsupportedOperationException("\"" + op + "\" is implemented for float32 and float64, got " + dt);
        }
    }
}
