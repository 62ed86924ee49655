package dev.tessera.nn;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.Autograd;
import java.util.List;
import java.util.Map;

/**
 * torch.nn.BatchNorm2d: per-channel normalization of [N, C, H, W]. Training normalizes with batch
 * statistics and updates running_mean/running_var (unbiased) and num_batches_tracked; eval uses
 * the running statistics.
 */
public class BatchNorm2d extends Module {
    private final long numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine, trackRunningStats;

    public BatchNorm2d(long numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    /** momentum null means a cumulative moving average (1 / num_batches_tracked), as momentum=None. */
    public BatchNorm2d(long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        registerParameter("weight", affine ? Init.ones_(Torch.empty(numFeatures)) : null);
        registerParameter("bias", affine ? Torch.empty(numFeatures) : null);
        registerBuffer("running_mean", trackRunningStats ? Torch.zeros(numFeatures) : null);
        registerBuffer("running_var", trackRunningStats ? Torch.ones(numFeatures) : null);
        registerBuffer("num_batches_tracked", trackRunningStats ? Torch.zeros(new long[0], DType.INT64) : null);
    }

    public Tensor weight() { return param("weight"); }

    public Tensor bias() { return param("bias"); }

    public Tensor runningMean() { return buffer("running_mean"); }

    public Tensor runningVar() { return buffer("running_var"); }

    public Tensor numBatchesTracked() { return buffer("num_batches_tracked"); }

    public double eps() { return eps; }

    public long numFeatures() { return numFeatures; }

    /** null for a cumulative moving average. */
    public Double momentum() { return momentum; }

    public boolean affine() { return affine; }

    public boolean trackRunningStats() { return trackRunningStats; }

    @Override
    public Tensor forward(Tensor input) {
        double factor = step(input);
        boolean bnTraining = isTraining() || (runningMean() == null && runningVar() == null);
        boolean useRunning = !isTraining() || trackRunningStats;
        return Functional.batchNorm(input, useRunning ? runningMean() : null, useRunning ? runningVar() : null, weight(), bias(),
                bnTraining, factor, eps);
    }

    /**
     * relu(forward(input) + residual) (residual null: relu(forward(input))), what a ResNet computes
     * with this module followed by its ReLU, as one fused op ({@link Functional#batchNormRelu}).
     * A subclass (SyncBatchNorm) keeps its own forward: it gets forward, add and ReLU in sequence,
     * as does every module while the system property {@code tessera.fuseBatchNorm} is "false".
     */
    public Tensor forwardRelu(Tensor input, Tensor residual) {
        if (getClass() != BatchNorm2d.class || !fusionEnabled()) {
            Tensor out = forward(input);
            return (residual == null ? out : out.add_(residual)).relu_();
        }
        double factor = step(input);
        boolean bnTraining = isTraining() || (runningMean() == null && runningVar() == null);
        boolean useRunning = !isTraining() || trackRunningStats;
        return Functional.batchNormRelu(input, residual, useRunning ? runningMean() : null, useRunning ? runningVar() : null, weight(),
                bias(), bnTraining, factor, eps);
    }

    /**
     * This module applied to {@code conv}'s output, then (when {@code relu}) + residual and a ReLU:
     * what a ResNet computes with a convolution, this batch norm and its ReLU. In eval mode with
     * running statistics and nothing to record for autograd, the convolution applies the
     * normalization as it writes its output ({@link Functional#convBatchNorm}: the same values bit
     * for bit, one pass less over memory); otherwise the modules run in sequence. A residual needs
     * the ReLU. Subclasses of either module, a convolution with a bias, and
     * {@code -Dtessera.fuseBatchNorm=false} also run in sequence.
     */
    public Tensor forwardAfter(Conv2d conv, Tensor input, Tensor residual, boolean relu) {
        java.util.Objects.requireNonNull(conv, "forwardAfter: conv is null");
        if (residual != null && !relu) throw new IllegalArgumentException("a residual is added only before the ReLU");
        boolean fusable = getClass() == BatchNorm2d.class && conv.getClass() == Conv2d.class && fusionEnabled() && !isTraining()
                && runningMean() != null && runningVar() != null && conv.bias() == null
                && !Autograd.needsGrad(input, conv.weight(), weight(), bias(), residual);
        if (!fusable) {
            Tensor y = conv.forward(input);
            return relu ? forwardRelu(y, residual) : forward(y);
        }
        return Functional.convBatchNorm(input, conv.weight(), conv.stride(), conv.padding(), conv.dilation(), conv.groups(),
                runningMean(), runningVar(), weight(), bias(), eps, residual, relu);
    }

    /** Read on every call, so one process can compare fused and unfused runs. */
    static boolean fusionEnabled() { return !"false".equals(System.getProperty("tessera.fuseBatchNorm")); }

    /** Checks the input and counts the batch; returns the momentum factor for this call. */
    private double step(Tensor input) {
        if (input.dim() != 4) throw new IllegalArgumentException("expected 4D input (got " + input.dim() + "D input)");
        double factor = momentum == null ? 0.0 : momentum;
        if (isTraining() && trackRunningStats && numBatchesTracked() != null) {
            try (var g = Torch.noGrad()) {
                numBatchesTracked().add_(1L);
            }
            if (momentum == null) factor = 1.0 / numBatchesTracked().item().doubleValue();
        }
        return factor;
    }

    /** A state dict without num_batches_tracked (PyTorch before 0.4.1, or a safetensors export) loads it as 0. */
    @Override
    protected void loadOwn(String prefix, Map<String, Tensor> state, List<String> missing, List<String> unexpected, List<String> errors) {
        String key = prefix + "num_batches_tracked";
        if (trackRunningStats && !state.containsKey(key)) state.put(key, Torch.zeros(new long[0], DType.INT64));
        super.loadOwn(prefix, state, missing, unexpected, errors);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : pyFloat(momentum)) + ", affine="
                + (affine ? "True" : "False") + ", track_running_stats=" + (trackRunningStats ? "True" : "False");
    }
}
