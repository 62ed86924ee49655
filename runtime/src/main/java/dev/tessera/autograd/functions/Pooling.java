package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.SavedTensor;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.PoolGeometry;
import java.util.Arrays;

/** max_pool2d (with indices) and adaptive_avg_pool2d on [N, C, H, W] or [C, H, W] inputs, forward and backward. */
public final class Pooling {
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
        Tensor out = Dispatcher.output(outShape, x.dtype(), x.device()); // every element written by the kernel
        Tensor idx = Dispatcher.output(outShape, DType.INT64, x.device());
        PoolGeometry geo = new PoolGeometry(planes, h, w, oh, ow, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1],
                dilation[0], dilation[1]);
        Dispatcher.backend(x.device()).maxPool2d(geo, out.strided(), idx.strided(), x.strided());
        if (Autograd.needsGrad(input)) {
            long[] inShape = x.shapeArray().clone();
            FunctionNode n = new FunctionNode("MaxPool2DWithIndicesBackward0", input);
            SavedTensor si = n.save(idx); // as PyTorch saves result1; released after backward
            n.backward1(g -> {
                Tensor gx = Dispatcher.output(inShape, g.dtype(), g.device());
                Dispatcher.backend(g.device()).maxPool2dBackward(geo, gx.strided(), g.contiguous().strided(), si.get().strided());
                return new Tensor[]{gx};
            });
            Autograd.record(n, out);
        }
        return new Pooled(out, idx);
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
        Tensor out = Dispatcher.output(outShape, x.dtype(), x.device());
        Dispatcher.backend(x.device()).adaptiveAvgPool2d(out.strided(), x.strided());
        if (Autograd.needsGrad(input)) {
            long[] inShape = x.shapeArray().clone();
            FunctionNode n = new FunctionNode("AdaptiveAvgPool2DBackward0", input);
            n.backward1(g -> {
                Tensor gx = Dispatcher.output(inShape, g.dtype(), g.device());
                Dispatcher.backend(g.device()).adaptiveAvgPool2dBackward(gx.strided(), g.contiguous().strided());
                return new Tensor[]{gx};
            });
            Autograd.record(n, out);
        }
        return out;
    }

    private static void checkFloat(String op, Tensor t) {
        DType dt = t.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            throw new UnsupportedOperationException("\"" + op + "\" is implemented for float32 and float64, got " + dt);
        }
    }
}
