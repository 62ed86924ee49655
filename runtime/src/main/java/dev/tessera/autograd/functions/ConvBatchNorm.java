package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.GradMode;
import dev.tessera.ops.ChannelEpilogue;
import dev.tessera.ops.ConvGeometry;
import dev.tessera.ops.Dispatcher;
import java.util.Arrays;

/**
 * Batch norm in eval mode fused into the convolution before it (issue 10): relu(batch_norm(
 * conv2d(x, w)) + residual), or batch_norm(conv2d(x, w)) without the ReLU, with the normalization
 * applied by the convolution as it writes its output ({@link ChannelEpilogue}) instead of in a
 * pass of its own. The running statistics become per-channel factors alpha and beta exactly as
 * the unfused batch norm forms them and each element is {@code fma(conv, alpha, beta)}, so the
 * result equals conv2d followed by batch_norm (and the add and ReLU) bit for bit; the weights are
 * not rescaled (folding them would round differently). Inference only: when autograd records
 * (any operand needs a gradient) or the residual does not match the output, it runs the unfused
 * ops, which keep the convolution's output for backward.
 */
public final class ConvBatchNorm {
    private ConvBatchNorm() {}

    /**
     * Arguments as {@link Convolution#conv2d} (no bias) and {@link Normalization#batchNorm} in eval
     * mode (running statistics required); residual null for none, and only with {@code relu}.
     */
    public static Tensor inference(Tensor input, Tensor weight, int[] stride, int[] padding, int[] dilation, int groups,
            Tensor runningMean, Tensor runningVar, Tensor bnWeight, Tensor bnBias, double eps, Tensor residual, boolean relu) {
        if (residual != null && !relu) throw new IllegalArgumentException("a residual is added only before the ReLU");
        ConvGeometry geo = Convolution.geometry(input, weight, null, stride, padding, dilation, groups);
        long[] shape = {geo.n(), geo.o(), geo.oh(), geo.ow()};
        DType dt = input.dtype();
        boolean fusable = !Autograd.needsGrad(input, weight, bnWeight, bnBias, residual)
                && (residual == null || (residual.dtype() == dt && residual.device().equals(input.device())
                        && Arrays.equals(residual.shapeArray(), shape)));
        if (!fusable) {
            Tensor y = Convolution.conv2d(input, weight, null, stride, padding, dilation, groups);
            if (relu) return BatchNormRelu.forward(y, residual, runningMean, runningVar, bnWeight, bnBias, false, 0.0, eps);
            return Normalization.batchNorm(y, runningMean, runningVar, bnWeight, bnBias, false, 0.0, eps);
        }
        long count = Normalization.validate(shape, dt, runningMean, runningVar, bnWeight, bnBias, false);
        Tensor out = Dispatcher.output(shape, dt, input.device());
        Tensor alpha, beta;
        boolean prev = GradMode.set(false);
        try {
            Tensor[] stats = Normalization.statistics(out, count, false, 0.0, eps, runningMean, runningVar);
            Tensor[] ab = Normalization.affineFactors(stats[0], stats[1], bnWeight, bnBias, dt);
            alpha = ab[0].to(input.device()).contiguous();
            beta = ab[1].to(input.device()).contiguous();
        } finally {
            GradMode.set(prev);
        }
        Tensor x = input.detach().contiguous(), wt = weight.detach().contiguous();
        Tensor res = residual == null ? null : residual.detach().contiguous();
        Convolution.run(geo, out, x, weight, wt,
                new ChannelEpilogue(alpha.strided(), beta.strided(), res == null ? null : res.strided(), relu));
        return out;
    }
}
