package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.GradMode;
import dev.tessera.autograd.SavedTensor;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.ChannelEpilogue;
import dev.tessera.ops.ConvGeometry;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.ReduceOp;
import java.util.Arrays;

/**
 * 2-D convolution, forward and backward (PyTorch's ConvolutionBackward0): argument checks and the
 * output geometry here, the kernels in the device's backend. Backward recomputes what it needs
 * from the saved input and weight.
 */
public final class Convolution {
    private Convolution() {}

    /** F.conv2d(input, weight, bias, stride, padding, dilation, groups); bias may be null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        ConvGeometry geo = geometry(input, weight, bias, stride, padding, dilation, groups);
        Tensor x = input.detach().contiguous(), wt = weight.detach().contiguous();
        Tensor out = Dispatcher.output(new long[]{geo.n(), geo.o(), geo.oh(), geo.ow()}, x.dtype(), x.device());
        run(geo, out, x, weight, wt, null);
        if (bias != null) Dispatcher.binaryInPlace(BinaryOp.ADD, out, bias.detach().reshape(1, geo.o(), 1, 1));
        if (!Autograd.needsGrad(input, weight, bias)) return out;
        FunctionNode node = new FunctionNode("ConvolutionBackward0", input, weight, bias);
        SavedTensor si = node.save(input), sw = node.save(weight);
        node.backward1(g -> {
            Tensor gout = g.contiguous();
            Tensor xs = si.get().detach().contiguous(), ws = sw.get().detach().contiguous();
            Tensor gx = node.needsInputGrad(0) ? Dispatcher.output(xs.shapeArray(), xs.dtype(), xs.device()) : null;
            Tensor gw = node.needsInputGrad(1) ? Dispatcher.output(ws.shapeArray(), ws.dtype(), ws.device()) : null;
            if (gx != null || gw != null) {
                Dispatcher.backend(xs.device()).conv2dBackward(geo, gout.strided(), xs.strided(), ws.strided(),
                        gx == null ? null : gx.strided(), gw == null ? null : gw.strided());
            }
            Tensor gb = node.needsInputGrad(2)
                    ? Dispatcher.reduce(ReduceOp.SUM, gout, new int[]{0, 2, 3}, false, gout.dtype()) : null;
            return new Tensor[]{gx, gw, gb};
        });
        return Autograd.record(node, out);
    }

    /**
     * The backend's forward into out, with {@code epilogue} when not null; {@code wt} is weight's
     * contiguous detached view. A weight that autograd does not train may stay prepared in the
     * backend while its storage's version holds (not for memory NumPy or a file mapping can change
     * without a version bump); a weight that is trained changes every step, so preparing it per
     * call costs no more and keeps no copy.
     */
    static void run(ConvGeometry geo, Tensor out, Tensor x, Tensor weight, Tensor wt, ChannelEpilogue epilogue) {
        boolean weightFixed = !GradMode.isEnabled() || !weight.requiresGrad(); // inference, or a frozen layer
        boolean cacheable = weightFixed && wt.storage() == weight.storage() && !wt.storage().isExposed();
        Object owner = cacheable ? wt.storage() : null;
        int version = cacheable ? wt.storage().version() : 0;
        var backend = Dispatcher.backend(x.device());
        if (epilogue != null) backend.conv2d(geo, out.strided(), x.strided(), wt.strided(), owner, version, epilogue);
        else if (cacheable) backend.conv2d(geo, out.strided(), x.strided(), wt.strided(), owner, version);
        else backend.conv2d(geo, out.strided(), x.strided(), wt.strided());
    }

    static ConvGeometry geometry(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        java.util.Objects.requireNonNull(input, "conv2d: input is null");
        java.util.Objects.requireNonNull(weight, "conv2d: weight is null");
        for (int[] pair : new int[][]{stride, padding, dilation}) {
            if (pair == null || pair.length != 2) {
                throw new IllegalArgumentException("conv2d: stride, padding and dilation need two values each, got "
                        + (pair == null ? "null" : Arrays.toString(pair)));
            }
        }
        if (weight.dim() != 4) {
            throw new IllegalArgumentException("Expected 4-dimensional weight for conv2d, but got " + weight.dim()
                    + "-dimensional weight of size " + Arrays.toString(weight.shapeArray()));
        }
        if (input.dim() != 4) {
            throw new IllegalArgumentException("Expected 4-dimensional input for 4-dimensional weight " + Arrays.toString(weight.shapeArray())
                    + ", but got " + input.dim() + "-dimensional input of size " + Arrays.toString(input.shapeArray()) + " instead");
        }
        if (!input.device().equals(weight.device())) {
            throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least two devices, "
                    + input.device() + " and " + weight.device() + "!");
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
        return new ConvGeometry(n, c, h, w, o, kh, kw, stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], groups, oh, ow);
    }
}
