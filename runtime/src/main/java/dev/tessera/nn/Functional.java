package dev.tessera.nn;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Index;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.SavedTensor;
import dev.tessera.autograd.functions.BatchNormRelu;
import dev.tessera.autograd.functions.ConvBatchNorm;
import dev.tessera.autograd.functions.Convolution;
import dev.tessera.autograd.functions.Normalization;
import dev.tessera.autograd.functions.Pooling;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.ReduceOp;
import java.util.Arrays;

/** torch.nn.functional: stateless forms of the layers and the losses. */
public final class Functional {
    private Functional() {}

    // ---- linear and convolution --------------------------------------------------------------

    /** y = x W^T + b. A 2-D input with bias is one addmm (AddmmBackward0) as in PyTorch; bias may be null. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (input.dim() != 2 || bias == null) {
            Tensor out = input.matmul(weight.t());
            return bias == null ? out : out.add(bias);
        }
        if (input.size(1) != weight.size(1)) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + input.size(0) + "x" + input.size(1)
                    + " and " + weight.size(1) + "x" + weight.size(0) + ")");
        }
        Tensor wt = weight.t();  // records TBackward0 like PyTorch's weight.t()
        Tensor out;
        Tensor x = input.detach(), w = wt.detach();
        out = Dispatcher.bmm(as3d(x), as3d(w), new long[]{1, x.size(0), w.size(1)}).reshape(x.size(0), w.size(1));
        Dispatcher.binaryInPlace(BinaryOp.ADD, out, bias.detach());
        if (!Autograd.needsGrad(bias, input, wt)) return out;
        FunctionNode n = new FunctionNode("AddmmBackward0", bias, input, wt);
        SavedTensor sx = n.needsInputGrad(2) ? n.save(input) : null, sw = n.needsInputGrad(1) ? n.save(wt) : null;
        long[] biasShape = bias.shapeArray().clone();
        n.backward1(g -> new Tensor[]{
                n.needsInputGrad(0) ? sumToShape(g, biasShape) : null,
                n.needsInputGrad(1) ? g.mm(sw.get().detach().t()) : null,
                n.needsInputGrad(2) ? sx.get().detach().t().mm(g) : null});
        return Autograd.record(n, out);
    }

    private static Tensor as3d(Tensor t) {
        return Tensor.fromStorage(t.storage(), t.dtype(), new long[]{1, t.size(0), t.size(1)}, new long[]{0, t.stride(0), t.stride(1)},
                t.storageOffset());
    }

    private static Tensor sumToShape(Tensor g, long[] shape) {
        if (Arrays.equals(g.shapeArray(), shape)) return g;
        int lead = g.dim() - shape.length;
        int[] dims = java.util.stream.IntStream.range(0, g.dim())
                .filter(i -> i < lead || (shape[i - lead] == 1 && g.size(i) != 1)).toArray();
        return Dispatcher.reduce(ReduceOp.SUM, g, dims, true, g.dtype()).reshape(shape);
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolution.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, pair(stride), pair(padding), pair(1), 1);
    }

    public static Tensor conv2d(Tensor input, Tensor weight) { return conv2d(input, weight, null, 1, 0); }

    // ---- pooling -----------------------------------------------------------------------------

    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return Pooling.maxPool2d(input, kernel, stride, padding, dilation, ceilMode).values();
    }

    /** stride null means stride = kernel size, as PyTorch's default. */
    public static Tensor maxPool2d(Tensor input, int kernel, Integer stride, int padding) {
        return maxPool2d(input, pair(kernel), pair(stride == null ? kernel : stride), pair(padding), pair(1), false);
    }

    public static Tensor maxPool2d(Tensor input, int kernel) { return maxPool2d(input, kernel, null, 0); }

    public static Pooling.Pooled maxPool2dWithIndices(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                                      boolean ceilMode) {
        return Pooling.maxPool2d(input, kernel, stride, padding, dilation, ceilMode);
    }

    public static Tensor adaptiveAvgPool2d(Tensor input, long outH, long outW) { return Pooling.adaptiveAvgPool2d(input, outH, outW); }

    public static Tensor adaptiveAvgPool2d(Tensor input, long out) { return adaptiveAvgPool2d(input, out, out); }

    // ---- normalization, activations, dropout ------------------------------------------------

    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /**
     * relu(batch_norm(input, ...) + residual) in one fused op (residual null: relu(batch_norm(...))):
     * the same values, gradients and running-statistics updates as the three ops in sequence, with
     * fewer passes over memory (see README "Fused batch norm + ReLU").
     */
    public static Tensor batchNormRelu(Tensor input, Tensor residual, Tensor runningMean, Tensor runningVar, Tensor weight,
                                       Tensor bias, boolean training, double momentum, double eps) {
        return BatchNormRelu.forward(input, residual, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /**
     * Eval-mode batch_norm(conv2d(input, weight), running statistics), then + residual and ReLU when
     * {@code relu}, with the normalization applied as the convolution writes its output: equal bit
     * for bit to the ops in sequence, which it runs instead when autograd records.
     */
    public static Tensor convBatchNorm(Tensor input, Tensor weight, int[] stride, int[] padding, int[] dilation, int groups,
                                       Tensor runningMean, Tensor runningVar, Tensor bnWeight, Tensor bnBias, double eps,
                                       Tensor residual, boolean relu) {
        return ConvBatchNorm.inference(input, weight, stride, padding, dilation, groups, runningMean, runningVar, bnWeight, bnBias,
                eps, residual, relu);
    }

    public static Tensor relu(Tensor input) { return input.relu(); }

    public static Tensor relu(Tensor input, boolean inplace) { return inplace ? input.relu_() : input.relu(); }

    public static Tensor softmax(Tensor input, int dim) { return input.softmax(dim); }

    public static Tensor logSoftmax(Tensor input, int dim) { return input.logSoftmax(dim); }

    public static Tensor flatten(Tensor input, int startDim, int endDim) { return input.flatten(startDim, endDim); }

    public static Tensor flatten(Tensor input) { return input.flatten(1, -1); }

    /**
     * PyTorch's dropout: input * (bernoulli_(1 - p) mask / (1 - p)), the mask drawn from the default
     * generator over a tensor of the input's shape, so masks match PyTorch after manualSeed.
     */
    public static Tensor dropout(Tensor input, double p, boolean training) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        if (!training || p == 0 || input.numel() == 0) return input;
        if (p == 1) return input.mul(Torch.zerosLike(input));
        Tensor noise = Torch.emptyLike(input);
        noise.bernoulli_(1 - p);
        noise.div_(1 - p);
        return input.mul(noise);
    }

    public static Tensor dropout(Tensor input, double p) { return dropout(input, p, true); }

    // ---- losses ------------------------------------------------------------------------------

    /** Mean squared error with reduction "mean", "sum" or "none" (MseLossBackward0). */
    public static Tensor mseLoss(Tensor input, Tensor target, String reduction) {
        checkReduction(reduction);
        if (!Arrays.equals(input.shapeArray(), target.shapeArray())) {
            // PyTorch broadcasts here (with a warning); the composite form keeps autograd right
            Tensor sq = input.sub(target).square();
            return reduce(sq, reduction);
        }
        Tensor diff = Dispatcher.binary(BinaryOp.SUB, input.detach(), target.detach());
        Tensor sq = Dispatcher.binary(BinaryOp.MUL, diff, diff);
        long count = input.numel();
        Tensor out = switch (reduction) {
            case "none" -> sq;
            case "sum" -> Dispatcher.reduce(ReduceOp.SUM, sq, new int[0], false, sq.dtype());
            default -> Dispatcher.binary(BinaryOp.DIV, Dispatcher.reduce(ReduceOp.SUM, sq, new int[0], false, sq.dtype()),
                    Tensor.wrapNumber((double) count));
        };
        if (!Autograd.needsGrad(input, target)) return out;
        FunctionNode n = new FunctionNode("MseLossBackward0", input, target);
        SavedTensor sx = n.save(input), sy = n.save(target);
        n.backward1(g -> {
            Tensor d = sx.get().detach().sub(sy.get().detach());
            double scale = reduction.equals("mean") ? 2.0 / count : 2.0;
            Tensor gi = d.mul(scale).mul(g);
            return new Tensor[]{n.needsInputGrad(0) ? gi : null, n.needsInputGrad(1) ? gi.neg() : null};
        });
        return Autograd.record(n, out);
    }

    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, "mean"); }

    /** Cross entropy of logits [N, C] (or [C]) against int64 class indices: nllLoss(logSoftmax(input, classDim)). */
    public static Tensor crossEntropy(Tensor input, Tensor target, String reduction) {
        return nllLoss(input.logSoftmax(input.dim() == 1 ? 0 : 1), target, reduction, -100);
    }

    public static Tensor crossEntropy(Tensor input, Tensor target) { return crossEntropy(input, target, "mean"); }

    public static Tensor nllLoss(Tensor input, Tensor target) { return nllLoss(input, target, "mean", -100); }

    /**
     * Negative log likelihood of log-probabilities [N, C] (or [C] with a 0-d target) at int64 class
     * indices; entries equal to ignoreIndex contribute nothing and "mean" divides by the others' count.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, String reduction, long ignoreIndex) {
        checkReduction(reduction);
        if (input.dim() != 1 && input.dim() != 2) throw new IllegalArgumentException("input tensor should be 1D or 2D");
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException("expected scalar type Long but found " + Dispatcher.typeName(target.dtype()));
        }
        boolean batched = input.dim() == 2;
        if (batched ? target.dim() != 1 : target.dim() > 1) {
            throw new IllegalArgumentException("0D or 1D target tensor expected, multi-target not supported");
        }
        long n = batched ? input.size(0) : 1, c = input.size(-1);
        if (batched && target.size(0) != n) {
            throw new IllegalArgumentException("Expected input batch_size (" + n + ") to match target batch_size (" + target.size(0) + ").");
        }
        // Tensor ops on the input's device (no host copy of the log-probabilities): pick each row's
        // target entry, sum in float64 as before, and give the backward the same -g (/ count) values.
        Device device = input.device();
        Tensor targets = target.to(device).reshape(n);
        Tensor kept = targets.ne(ignoreIndex);
        Tensor safe = targets.where(kept, Torch.zerosLike(targets)); // ignored rows read class 0, then drop it
        if (n > 0) {
            long lo = safe.min().item().longValue(), hi = safe.max().item().longValue();
            if (lo < 0 || hi >= c) throw new IndexOutOfBoundsException("Target " + (lo < 0 ? lo : hi) + " is out of bounds.");
        }
        Tensor rows = Torch.arange(n).to(device);
        Tensor zeros64 = Torch.zeros(new long[] {n}, DType.FLOAT64, device);
        Tensor per;
        Tensor count;
        try (var g = Torch.noGrad()) {
            Tensor picked = input.detach().reshape(n, c).gather(1, safe.unsqueeze(1)).reshape(n).to(DType.FLOAT64);
            per = picked.neg().where(kept, zeros64); // exact zeros where ignored, even at -inf log-probabilities
            count = kept.sum().to(DType.FLOAT64);
        }
        DType dt = input.dtype();
        Tensor out = switch (reduction) {
            case "none" -> batched ? per.to(dt) : per.to(dt).reshape();
            case "sum" -> per.sum().to(dt);
            default -> per.sum().div(count).to(dt);
        };
        if (!Autograd.needsGrad(input)) return out;
        FunctionNode node = new FunctionNode("NllLossBackward0", input);
        long[] inShape = input.shapeArray().clone();
        node.backward1(g -> {
            Tensor g64 = g.to(DType.FLOAT64).reshape(reduction.equals("none") ? n : 1);
            if (!reduction.equals("none") && !reduction.equals("sum")) g64 = g64.div(count);
            Tensor values = g64.neg().expand(n).where(kept, zeros64);
            Tensor gx = Torch.zeros(new long[] {n, c}, DType.FLOAT64, device);
            gx.indexPut_(new Index[] {Index.tensor(rows), Index.tensor(safe)}, values);
            return new Tensor[] {gx.to(g.dtype()).reshape(inShape)};
        });
        return Autograd.record(node, out);
    }

    private static Tensor reduce(Tensor t, String reduction) {
        return switch (reduction) {
            case "none" -> t;
            case "sum" -> t.sum();
            default -> t.mean();
        };
    }

    private static void checkReduction(String reduction) {
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none")) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
    }

    static int[] pair(int v) { return new int[]{v, v}; }
}
