package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.GradMode;
import dev.tessera.autograd.SavedTensor;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.ReduceOp;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Training-mode batch normalization whose statistics span every rank (PyTorch's
 * SyncBatchNorm function). The cross-rank sums go through {@code allReduceSum} (in place on a
 * float64 tensor), so this file holds only the math.
 *
 * <p>Forward: two-pass statistics in float64 as the single-process kernel computes them: global
 * sums and counts give the mean, then global sums of squared deviations from it give the
 * variance. Backward: the per-channel sums of the output gradient and of gradient * x-hat are
 * summed across ranks for the input gradient; the weight and bias gradients stay local (the
 * data-parallel wrapper averages them with the other parameter gradients), as in PyTorch.
 */
public final class SyncBatchNormFunction {
    private SyncBatchNormFunction() {}

    public static Tensor forward(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, double momentum,
                                 double eps, Consumer<Tensor> allReduceSum) {
        if (input.dim() < 2) throw new IllegalArgumentException("SyncBatchNorm: expected at least 2D input (got " + input.dim() + "D input)");
        DType dt = input.dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            throw new UnsupportedOperationException("SyncBatchNorm: float32 or float64 input expected, got " + dt);
        }
        int c = Math.toIntExact(input.size(1));
        int[] dims = new int[input.dim() - 1];
        for (int i = 1; i < dims.length; i++) dims[i] = i + 1;
        long[] bshape = new long[input.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        Tensor x = input.detach().contiguous();
        long localCount = input.numel() / Math.max(1, c);
        Tensor mean, invstd;
        double count;
        boolean prev = GradMode.set(false);
        try {
            Tensor xd = Dispatcher.cast(x, DType.FLOAT64);
            // [sum per channel..., count] in one collective
            Tensor sums = Dispatcher.empty(new long[] {c + 1}, DType.FLOAT64, x.device());
            sums.narrow(0, 0, c).copy_(Dispatcher.reduce(ReduceOp.SUM, xd, dims, false, DType.FLOAT64));
            sums.narrow(0, c, 1).fill_((double) localCount);
            allReduceSum.accept(sums);
            count = sums.toDoubleArray()[c];
            if (count <= 1) {
                throw new IllegalArgumentException("Expected more than 1 value per channel when training, got " + (long) count
                        + " across all ranks (input size " + Arrays.toString(input.shapeArray()) + " on this rank)");
            }
            Tensor meanD = sums.narrow(0, 0, c).div(count);
            Tensor centered = xd.sub(meanD.reshape(bshape));
            Tensor m2 = Dispatcher.reduce(ReduceOp.SUM, centered.mul(centered), dims, false, DType.FLOAT64).contiguous();
            allReduceSum.accept(m2);
            Tensor varBiased = m2.div(count);
            mean = Dispatcher.cast(meanD, dt).reshape(bshape);
            invstd = Dispatcher.cast(varBiased.add(eps).rsqrt(), dt).reshape(bshape);
            if (runningMean != null) {
                Tensor rm = runningMean.detach();
                rm.copy_(meanD.mul(momentum).add(Dispatcher.cast(rm, DType.FLOAT64).mul(1 - momentum)));
            }
            if (runningVar != null) {
                Tensor rv = runningVar.detach();
                rv.copy_(m2.div(count - 1).mul(momentum).add(Dispatcher.cast(rv, DType.FLOAT64).mul(1 - momentum)));
            }
        } finally {
            GradMode.set(prev);
        }
        Tensor out;
        prev = GradMode.set(false);
        try {
            out = x.sub(mean).mul(invstd);
            if (weight != null) out = out.mul(weight.detach().reshape(bshape));
            if (bias != null) out = out.add(bias.detach().reshape(bshape));
        } finally {
            GradMode.set(prev);
        }
        if (!Autograd.needsGrad(input, weight, bias)) return out;
        FunctionNode n = new FunctionNode("SyncBatchNormBackward", input, weight, bias);
        SavedTensor sx = n.save(input), sw = weight == null ? null : n.save(weight);
        Tensor meanS = mean, invstdS = invstd;
        double total = count;
        n.backward1(g -> {
            Tensor xhat = sx.get().detach().sub(meanS).mul(invstdS);
            Tensor sumG = Dispatcher.reduce(ReduceOp.SUM, g, dims, false, g.dtype());
            Tensor sumGX = Dispatcher.reduce(ReduceOp.SUM, g.mul(xhat), dims, false, g.dtype());
            Tensor gx = null;
            if (n.needsInputGrad(0)) {
                Tensor both = Dispatcher.empty(new long[] {2L * c}, DType.FLOAT64, g.device());
                both.narrow(0, 0, c).copy_(sumG);
                both.narrow(0, c, c).copy_(sumGX);
                allReduceSum.accept(both);
                Tensor gSum = Dispatcher.cast(both.narrow(0, 0, c).div(total), g.dtype()).reshape(bshape);
                Tensor gxSum = Dispatcher.cast(both.narrow(0, c, c).div(total), g.dtype()).reshape(bshape);
                Tensor scale = sw == null ? invstdS : invstdS.mul(sw.get().detach().reshape(bshape));
                gx = g.sub(gSum).sub(xhat.mul(gxSum)).mul(scale);
            }
            Tensor gw = n.needsInputGrad(1) ? sumGX : null;
            Tensor gb = n.needsInputGrad(2) ? sumG : null;
            return new Tensor[] {gx, gw, gb};
        });
        return Autograd.record(n, out);
    }
}
