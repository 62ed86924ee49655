package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.GradMode;
import dev.tessera.autograd.SavedTensor;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.Strided;
import java.util.Arrays;

/**
 * relu(batch_norm(x) + residual) as one op: a ResNet's "bn -> relu" and, with a residual, the end
 * of a BasicBlock ("bn2 -> += identity -> relu"). The forward is one pass after the statistics
 * (the backend's channelAffineRelu) and the backward forms the ReLU's gradient inside batch norm's
 * two passes per channel (batchNormReluBackward), instead of a ReLU pass, an add pass and a
 * separate ReLU-backward pass. Values and gradients equal the unfused ops' bit for bit on the CPU
 * (same roundings in the same order). Float32 and float64; other dtypes run the unfused ops.
 */
public final class BatchNormRelu {
    private BatchNormRelu() {}

    /**
     * relu(F.batch_norm(input, ...) + residual); residual null for none, else of the output's
     * shape. Arguments as {@link Normalization#batchNorm}; running statistics update the same way.
     */
    public static Tensor forward(Tensor input, Tensor residual, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                 boolean training, double momentum, double eps) {
        long count = Normalization.validate(input, runningMean, runningVar, weight, bias, training);
        DType dt = input.dtype();
        boolean fusable = (dt == DType.FLOAT32 || dt == DType.FLOAT64)
                && (residual == null || (residual.dtype() == dt && residual.device().equals(input.device())
                        && Arrays.equals(residual.shapeArray(), input.shapeArray())));
        if (!fusable) {
            Tensor out = Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
            return (residual == null ? out : out.add_(residual)).relu_();
        }
        long c = input.size(1), outer = input.size(0), inner = count / Math.max(1, outer);
        Tensor x = input.detach().contiguous();
        Tensor res = residual == null ? null : residual.detach().contiguous();
        Tensor mean, invstd, alpha, beta;
        boolean prev = GradMode.set(false);
        try {
            Tensor[] stats = Normalization.statistics(x, count, training, momentum, eps, runningMean, runningVar);
            mean = stats[0];
            invstd = stats[1];
            Tensor[] ab = Normalization.affineFactors(mean, invstd, weight, bias, dt);
            alpha = ab[0];
            beta = ab[1];
        } finally {
            GradMode.set(prev);
        }
        Tensor out = Dispatcher.output(x.shapeArray(), dt, x.device());
        Dispatcher.backend(x.device()).channelAffineRelu(out.strided(), x.strided(), res == null ? null : res.strided(), outer, c, inner,
                alpha.strided(), beta.strided());
        if (!Autograd.needsGrad(input, weight, bias, residual)) return out;

        FunctionNode n = new FunctionNode(residual == null ? "BatchNormReluBackward" : "BatchNormAddReluBackward", input, weight, bias,
                residual);
        SavedTensor sx = n.save(input), sw = weight == null ? null : n.save(weight), sy = n.saveOutput(out);
        boolean hasResidual = residual != null; // not the tensor: see Grads.Meta
        n.backward1(g -> {
            Tensor xs = sx.get().detach().contiguous(), y = sy.get().detach();
            boolean wantX = n.needsInputGrad(0), wantRes = hasResidual && n.needsInputGrad(3);
            Tensor gx = wantX ? Dispatcher.output(xs.shapeArray(), dt, xs.device()) : null;
            Tensor gres = wantRes ? Dispatcher.output(xs.shapeArray(), dt, xs.device()) : null;
            Tensor gw = Dispatcher.output(new long[]{c}, dt, xs.device()), gb = Dispatcher.output(new long[]{c}, dt, xs.device());
            Tensor w = sw == null ? null : sw.get().detach().to(dt).contiguous();
            // without a residual the mask is recomputed from x and the factors (y = relu(fma(x, alpha, beta)))
            Strided a = hasResidual ? null : alpha.strided(), b = hasResidual ? null : beta.strided();
            Dispatcher.backend(xs.device()).batchNormReluBackward(g.contiguous().strided(), y.strided(), xs.strided(), a, b,
                    mean.strided(), invstd.strided(), w == null ? null : w.strided(), outer, c, inner, training,
                    gres == null ? null : gres.strided(), gx == null ? null : gx.strided(), gw.strided(), gb.strided());
            return new Tensor[]{gx, n.needsInputGrad(1) ? gw : null, n.needsInputGrad(2) ? gb : null, gres};
        });
        return Autograd.record(n, out);
    }
}
