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
import dev.tessera.tensor.Shapes;
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
        long count = validate(input, runningMean, runningVar, weight, bias, training);
        DType dt = input.dtype();
        long c = input.size(1);
        int[] dims = reduceDims(input.dim());
        long[] bshape = new long[input.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        Tensor x = input.detach();
        Tensor mean, invstd;
        boolean prev = GradMode.set(false);
        try {
            if (dt == DType.FLOAT32 || dt == DType.FLOAT64) {
                Tensor[] stats = statistics(x, count, training, momentum, eps, runningMean, runningVar);
                mean = stats[0].reshape(bshape);
                invstd = stats[1].reshape(bshape);
            } else if (training) {
                // half precision: statistics accumulated in float64
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
                invstd = evalInvstd(runningVar.detach().to(dt), eps).reshape(bshape);
            }
        } finally {
            GradMode.set(prev);
        }
        Tensor out = transform(x, mean, invstd, weight, bias, bshape);
        if (!Autograd.needsGrad(input, weight, bias)) return out;
        FunctionNode n = new FunctionNode("NativeBatchNormBackward0", input, weight, bias);
        SavedTensor sx = n.save(input), sw = weight == null ? null : n.save(weight);
        Tensor meanS = mean, invstdS = invstd;
        n.backward1(g -> {
            Tensor xs = sx.get().detach();
            if (dt == DType.FLOAT32 || dt == DType.FLOAT64) {
                Tensor[] grads = fusedBackward(g.contiguous(), xs.contiguous(), meanS, invstdS, sw == null ? null : sw.get().detach(),
                        c, training, n.needsInputGrad(0));
                return new Tensor[]{grads[0], n.needsInputGrad(1) ? grads[1] : null, n.needsInputGrad(2) ? grads[2] : null};
            }
            Tensor xhat = xs.sub(meanS).mul(invstdS);
            Tensor gw = n.needsInputGrad(1) ? Dispatcher.reduce(ReduceOp.SUM, g.mul(xhat), dims, false, g.dtype()) : null;
            Tensor gb = n.needsInputGrad(2) ? Dispatcher.reduce(ReduceOp.SUM, g, dims, false, g.dtype()) : null;
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

    /** {grad input or null, grad weight, grad bias} from the backend's one-pass-per-channel kernel. */
    private static Tensor[] fusedBackward(Tensor g, Tensor x, Tensor mean, Tensor invstd, Tensor weight, long c, boolean training,
                                          boolean wantInput) {
        long outer = x.size(0), inner = c == 0 ? 0 : x.numel() / Math.max(1, outer * c);
        Tensor gx = wantInput ? Dispatcher.output(x.shapeArray(), x.dtype(), x.device()) : null;
        Tensor gw = Dispatcher.output(new long[]{c}, x.dtype(), x.device()), gb = Dispatcher.output(new long[]{c}, x.dtype(), x.device());
        Tensor w = weight == null ? null : weight.to(x.dtype()).contiguous();
        Dispatcher.backend(x.device()).batchNormBackward(g.strided(), x.strided(), mean.contiguous().strided(),
                invstd.contiguous().strided(), w == null ? null : w.strided(), outer, c, inner, training,
                gx == null ? null : gx.strided(), gw.strided(), gb.strided());
        return new Tensor[]{gx, gw, gb};
    }

    /**
     * (x - mean) * invstd * weight + bias, computed as PyTorch's CPU kernel does: per channel
     * alpha = invstd * weight and beta = bias - mean * alpha, then out = x * alpha + beta in one
     * pass. Both multiply-adds are fused, as GCC compiles PyTorch's source (bit-exact with torch
     * 1.13 in eval mode).
     */
    private static Tensor transform(Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor bias, long[] bshape) {
        DType dt = x.dtype();
        long c = bshape[1];
        Tensor src = x.contiguous();
        Tensor out = Dispatcher.output(src.shapeArray(), dt, src.device());
        long inner = c == 0 ? 0 : src.numel() / Math.max(1, src.size(0) * c);
        if (dt == DType.FLOAT32 || dt == DType.FLOAT64) {
            Tensor[] ab = affineFactors(mean, invstd, weight, bias, dt);
            channelAffine(out, src, c, inner, ab[0], ab[1]);
        } else {
            // half precision: the broadcast ops (computed in float, rounded per step)
            Tensor wt = weight == null ? null : weight.detach().reshape(bshape), bt = bias == null ? null : bias.detach().reshape(bshape);
            Tensor scale = wt == null ? invstd : invstd.mul(wt);
            out = Dispatcher.binary(BinaryOp.MUL, Dispatcher.binary(BinaryOp.SUB, x, mean), scale);
            if (bt != null) Dispatcher.binaryInPlace(BinaryOp.ADD, out, bt);
        }
        return out;
    }

    /** Checks batch_norm's arguments; returns the number of values per channel. */
    static long validate(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training) {
        java.util.Objects.requireNonNull(input, "batch_norm: input is null");
        return validate(input.shapeArray(), input.dtype(), runningMean, runningVar, weight, bias, training);
    }

    /** {@link #validate(Tensor, Tensor, Tensor, Tensor, Tensor, boolean)} for an input of this shape and dtype. */
    static long validate(long[] shape, DType dt, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("batch_norm: expected input with at least 2 dims (got " + shape.length + "D input)");
        }
        if (!dt.isFloatingPoint()) throw new UnsupportedOperationException("\"batch_norm\" not implemented for '" + Dispatcher.typeName(dt) + "'");
        long c = shape[1], numel = Shapes.numel(shape);
        for (Tensor t : new Tensor[]{runningMean, runningVar, weight, bias}) {
            if (t != null && t.numel() != c) {
                throw new IllegalArgumentException("running_mean should contain " + c + " elements not " + t.numel());
            }
        }
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException("running_mean and running_var must be defined in evaluation mode");
        }
        long count = numel / Math.max(1, c);
        if (training && count <= 1) {
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size "
                    + Arrays.toString(shape));
        }
        return count;
    }

    /**
     * {mean, invstd}, each [C] of x's dtype (float32 or float64) on x's device: the batch's
     * (updating the running statistics) in training, the running ones otherwise. Call without grad.
     */
    static Tensor[] statistics(Tensor x, long count, boolean training, double momentum, double eps, Tensor runningMean,
                               Tensor runningVar) {
        long c = x.size(1);
        if (training) return batchStatistics(x.contiguous(), c, count, momentum, eps, runningMean, runningVar);
        return new Tensor[]{runningMean.detach().to(x.dtype()).reshape(c), evalInvstd(runningVar.detach().to(x.dtype()), eps).reshape(c)};
    }

    /**
     * The transform's per-channel factors {alpha, beta} (float32 or float64, on mean's device), as
     * PyTorch's CPU kernel forms them: alpha = invstd * weight, beta = fma(-mean, alpha, bias).
     */
    static Tensor[] affineFactors(Tensor mean, Tensor invstd, Tensor weight, Tensor bias, DType dt) {
        int c = (int) mean.numel();
        double[] mu = mean.toDoubleArray(), inv = invstd.toDoubleArray();
        double[] w = weight == null ? null : weight.detach().to(dt).toDoubleArray();
        double[] b = bias == null ? null : bias.detach().to(dt).toDoubleArray();
        Tensor alphaT, betaT;
        if (dt == DType.FLOAT32) {
            float[] alpha = new float[c], beta = new float[c];
            for (int i = 0; i < c; i++) {
                alpha[i] = (float) inv[i] * (w == null ? 1f : (float) w[i]);
                beta[i] = Math.fma(-(float) mu[i], alpha[i], b == null ? 0f : (float) b[i]);
            }
            alphaT = dev.tessera.Torch.tensor(alpha);
            betaT = dev.tessera.Torch.tensor(beta);
        } else {
            double[] alpha = new double[c], beta = new double[c];
            for (int i = 0; i < c; i++) {
                alpha[i] = inv[i] * (w == null ? 1.0 : w[i]);
                beta[i] = Math.fma(-mu[i], alpha[i], b == null ? 0.0 : b[i]);
            }
            alphaT = dev.tessera.Torch.tensor(alpha);
            betaT = dev.tessera.Torch.tensor(beta);
        }
        return new Tensor[]{alphaT.to(mean.device()), betaT.to(mean.device())};
    }

    /** The backend's out = fma(x, alpha[c], beta[c]), with the per-channel factors moved to x's device. */
    private static void channelAffine(Tensor out, Tensor src, long c, long inner, Tensor alpha, Tensor beta) {
        Tensor a = alpha.to(src.device()), b = beta.to(src.device());
        Dispatcher.backend(src.device()).channelAffine(out.strided(), src.strided(), src.size(0), c, inner, a.strided(), b.strided());
    }

    /** The backend's per-channel {mean, sum of squared deviations} of contiguous x viewed as [outer, C, inner]. */
    private static Tensor[] channelMoments(Tensor x, long outer, long c, long inner) {
        Tensor mean = Dispatcher.output(new long[]{c}, x.dtype(), x.device()), varSum = Dispatcher.output(new long[]{c}, x.dtype(), x.device());
        Dispatcher.backend(x.device()).channelMoments(x.strided(), outer, c, inner, mean.strided(), varSum.strided());
        return new Tensor[]{mean, varSum};
    }

    /**
     * Batch mean and 1 / sqrt(biased var + eps) of contiguous float input, and the running-statistics
     * update, following PyTorch's batch_norm_cpu_update_stats_template step by step (which rounding
     * happens in float and which in double), so results match it bit for bit in float32.
     */
    private static Tensor[] batchStatistics(Tensor x, long c, long count, double momentum, double eps,
                                            Tensor runningMean, Tensor runningVar) {
        long outer = x.size(0), inner = count / Math.max(1, outer);
        Tensor[] moments = channelMoments(x, outer, c, inner);
        if (x.dtype() == DType.FLOAT32) {
            float[] mean = moments[0].toFloatArray(), varSum = moments[1].toFloatArray(), invstd = new float[(int) c];
            for (int i = 0; i < c; i++) invstd[i] = (float) (1 / Math.sqrt((double) (varSum[i] / (float) count) + eps));
            float m = (float) momentum;
            if (runningMean != null) {
                float[] rm = runningMean.detach().toFloatArray();
                for (int i = 0; i < c; i++) rm[i] = m * mean[i] + (1 - m) * rm[i];
                runningMean.detach().copy_(dev.tessera.Torch.tensor(rm));
            }
            if (runningVar != null) {
                float[] rv = runningVar.detach().toFloatArray();
                for (int i = 0; i < c; i++) rv[i] = (float) (m * (double) (varSum[i] / (float) (count - 1)) + (1 - m) * rv[i]);
                runningVar.detach().copy_(dev.tessera.Torch.tensor(rv));
            }
            return new Tensor[]{dev.tessera.Torch.tensor(mean).to(x.device()), dev.tessera.Torch.tensor(invstd).to(x.device())};
        }
        double[] mean = moments[0].toDoubleArray(), varSum = moments[1].toDoubleArray(), invstd = new double[(int) c];
        for (int i = 0; i < c; i++) invstd[i] = 1 / Math.sqrt(varSum[i] / count + eps);
        if (runningMean != null) {
            double[] rm = runningMean.detach().toDoubleArray();
            for (int i = 0; i < c; i++) rm[i] = momentum * mean[i] + (1 - momentum) * rm[i];
            runningMean.detach().copy_(dev.tessera.Torch.tensor(rm));
        }
        if (runningVar != null) {
            double[] rv = runningVar.detach().toDoubleArray();
            for (int i = 0; i < c; i++) rv[i] = momentum * (varSum[i] / (count - 1)) + (1 - momentum) * rv[i];
            runningVar.detach().copy_(dev.tessera.Torch.tensor(rv));
        }
        return new Tensor[]{dev.tessera.Torch.tensor(mean).to(x.device()), dev.tessera.Torch.tensor(invstd).to(x.device())};
    }

    /**
     * 1 / sqrt(var + eps) in the buffer's own precision, as PyTorch's eval-mode kernel: eps is
     * rounded to float first, and the square root and the division each round to float.
     */
    private static Tensor evalInvstd(Tensor var, double eps) {
        if (var.dtype() == DType.FLOAT32) {
            float[] v = var.toFloatArray();
            for (int i = 0; i < v.length; i++) v[i] = 1f / (float) Math.sqrt(v[i] + (float) eps);
            return dev.tessera.Torch.tensor(v).to(var.device());
        }
        if (var.dtype() == DType.FLOAT64) {
            double[] v = var.toDoubleArray();
            for (int i = 0; i < v.length; i++) v[i] = 1.0 / Math.sqrt(v[i] + eps);
            return dev.tessera.Torch.tensor(v).to(var.device());
        }
        return var.add(eps).rsqrt();
    }

    private static int[] reduceDims(int rank) {
        int[] dims = new int[rank - 1];
        dims[0] = 0;
        for (int i = 2; i < rank; i++) dims[i - 1] = i;
        return dims;
    }
}
