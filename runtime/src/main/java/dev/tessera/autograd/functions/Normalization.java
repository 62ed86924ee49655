package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.GradMode;
import dev.tessera.autograd.SavedTensor;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.ReduceOp;
import java.util.Arrays;

/** Batch normalization over dim 1 (PyTorch's native_batch_norm and NativeBatchNormBackward0). */
public final class Normalization {
    private Normalization() {}

    /**
     * F.batch_norm. In training mode the batch statistics normalize the input and, when given, the
     * running statistics are updated in place: mean with the biased batch mean, var with the
     * unbiased batch variance, each as (1 - momentum) * running + momentum * batch. Otherwise the
     * running statistics normalize. weight, bias, runningMean and runningVar may be null.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        if (input.dim() < 2) {
            throw new IllegalArgumentException("batch_norm: expected input with at least 2 dims (got " + input.dim() + "D input)");
        }
        DType dt = input.dtype();
        if (!dt.isFloatingPoint()) throw new UnsupportedOperationException("\"batch_norm\" not implemented for '" + Dispatcher.typeName(dt) + "'");
        long c = input.size(1);
        for (Tensor t : new Tensor[]{runningMean, runningVar, weight, bias}) {
            if (t != null && t.numel() != c) {
                throw new IllegalArgumentException("running_mean should contain " + c + " elements not " + t.numel());
            }
        }
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException("running_mean and running_var must be defined in evaluation mode");
        }
        int[] dims = reduceDims(input.dim());
        long count = input.numel() / Math.max(1, c);
        if (training && count <= 1) {
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size "
                    + Arrays.toString(input.shapeArray()));
        }
        long[] bshape = new long[input.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        Tensor x = input.detach();
        Tensor mean, invstd;
        boolean prev = GradMode.set(false);
        try {
            if (training) {
                // statistics accumulated in float64, as PyTorch's CPU kernel accumulates in double
                Tensor xd = Dispatcher.cast(x, DType.FLOAT64);
                Tensor m = Dispatcher.reduce(ReduceOp.SUM, xd, dims, true, DType.FLOAT64).div((double) count);
                Tensor centered = xd.sub(m);
                Tensor ss = Dispatcher.reduce(ReduceOp.SUM, centered.mul(centered), dims, false, DType.FLOAT64);
                Tensor varBiased = ss.div((double) count);
                mean = Dispatcher.cast(m, dt).reshape(bshape);
                invstd = Dispatcher.cast(varBiased.add(eps).rsqrt(), dt).reshape(bshape);
                if (runningMean != null) {
                    Tensor rm = runningMean.detach();
                    // in double, rounded once to the buffer's dtype, as PyTorch's update
                    rm.copy_(m.reshape(c).mul(momentum).add(Dispatcher.cast(rm, DType.FLOAT64).mul(1 - momentum)));
                }
                if (runningVar != null) {
                    Tensor rv = runningVar.detach();
                    Tensor unbiased = ss.div((double) (count - 1));
                    rv.copy_(unbiased.mul(momentum).add(Dispatcher.cast(rv, DType.FLOAT64).mul(1 - momentum)));
                }
            } else {
                mean = runningMean.detach().to(dt).reshape(bshape);
                invstd = runningVar.detach().to(dt).add(eps).rsqrt().reshape(bshape);
            }
        } finally {
            GradMode.set(prev);
        }
        Tensor out;
        Tensor w = weight == null ? null : weight.detach().reshape(bshape), b = bias == null ? null : bias.detach().reshape(bshape);
        Tensor scale = w == null ? invstd : invstd.mul(w);
        out = Dispatcher.binary(BinaryOp.MUL, Dispatcher.binary(BinaryOp.SUB, x, mean), scale);
        if (b != null) Dispatcher.binaryInPlace(BinaryOp.ADD, out, b);
        if (!Autograd.needsGrad(input, weight, bias)) return out;
        FunctionNode n = new FunctionNode("NativeBatchNormBackward0", input, weight, bias);
        SavedTensor sx = n.save(input), sw = weight == null ? null : n.save(weight);
        Tensor meanS = mean, invstdS = invstd;
        n.backward1(g -> {
            Tensor xs = sx.get().detach();
            Tensor xhat = xs.sub(meanS).mul(invstdS);
            Tensor gw = n.needsInputGrad(1) ? Dispatcher.reduce(ReduceOp.SUM, g.mul(xhat), dims, false, g.dtype()) : null;
            Tensor gb = bias != null && n.needsInputGrad(2) ? Dispatcher.reduce(ReduceOp.SUM, g, dims, false, g.dtype()) : null;
            Tensor gx = null;
            if (n.needsInputGrad(0)) {
                Tensor wscale = sw == null ? invstdS : invstdS.mul(sw.get().detach().reshape(bshape));
                if (training) {
                    Tensor sumG = Dispatcher.reduce(ReduceOp.SUM, g, dims, true, g.dtype());
                    Tensor sumGX = Dispatcher.reduce(ReduceOp.SUM, g.mul(xhat), dims, true, g.dtype());
                    gx = g.sub(sumG.div((double) count)).sub(xhat.mul(sumGX.div((double) count))).mul(wscale);
                } else {
                    gx = g.mul(wscale);
                }
            }
            return new Tensor[]{gx, gw, gb};
        });
        return Autograd.record(n, out);
    }

    private static int[] reduceDims(int rank) {
        int[] dims = new int[rank - 1];
        dims[0] = 0;
        for (int i = 2; i < rank; i++) dims[i - 1] = i;
        return dims;
    }
}
