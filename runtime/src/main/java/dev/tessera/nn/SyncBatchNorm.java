package dev.tessera.nn;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.functions.SyncBatchNormFunction;
import dev.tessera.distributed.Distributed;
import dev.tessera.distributed.ReduceOp;
import java.util.Map;

/**
 * torch.nn.SyncBatchNorm: batch normalization whose training statistics (mean, variance, and in
 * backward the gradient sums) are reduced over every rank of the default process group, so that
 * N ranks with local batch B normalize as one process with batch N*B. Outside training, or with
 * no process group / one rank, it is an ordinary batch norm.
 */
public class SyncBatchNorm extends BatchNorm2d {
    public SyncBatchNorm(long numFeatures) { super(numFeatures); }

    public SyncBatchNorm(long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    /**
     * Returns {@code module} with every BatchNorm2d replaced by a SyncBatchNorm holding the same
     * parameter and buffer values (and device, requires-grad flags and training mode); a
     * BatchNorm2d passed directly is returned converted. Convert before creating the optimizer.
     */
    public static Module convertSyncBatchnorm(Module module) {
        if (module instanceof BatchNorm2d bn && !(module instanceof SyncBatchNorm)) return convert(bn);
        for (Map.Entry<String, Module> e : module.namedChildren().entrySet()) {
            Module converted = convertSyncBatchnorm(e.getValue());
            if (converted != e.getValue()) module.setSubmodule(e.getKey(), converted);
        }
        return module;
    }

    private static SyncBatchNorm convert(BatchNorm2d bn) {
        SyncBatchNorm s = new SyncBatchNorm(bn.numFeatures(), bn.eps(), bn.momentum(), bn.affine(), bn.trackRunningStats());
        Map<String, Tensor> state = bn.stateDict();
        if (!state.isEmpty()) s.to(state.values().iterator().next().device()); // PyTorch's conversion keeps the tensors, so their device
        s.loadStateDict(state);
        if (bn.weight() != null) s.weight().requiresGrad_(bn.weight().requiresGrad());
        if (bn.bias() != null) s.bias().requiresGrad_(bn.bias().requiresGrad());
        s.train(bn.isTraining());
        return s;
    }

    @Override
    public Tensor forward(Tensor input) {
        boolean sync = isTraining() && Distributed.isInitialized() && Distributed.worldSize() > 1;
        if (!sync) return super.forward(input);
        if (input.dim() != 4) throw new IllegalArgumentException("expected 4D input (got " + input.dim() + "D input)");
        double factor = momentum() == null ? 0.0 : momentum();
        if (trackRunningStats() && numBatchesTracked() != null) {
            try (var g = Torch.noGrad()) {
                numBatchesTracked().add_(1L);
            }
            if (momentum() == null) factor = 1.0 / numBatchesTracked().item().doubleValue();
        }
        return SyncBatchNormFunction.forward(input, runningMean(), runningVar(), weight(), bias(), factor, eps(),
                t -> Distributed.allReduce(t, ReduceOp.SUM));
    }
}
