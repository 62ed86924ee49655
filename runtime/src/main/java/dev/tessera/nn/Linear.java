package dev.tessera.nn;

import dev.tessera.Tensor;
import dev.tessera.Torch;

/** torch.nn.Linear: y = x W^T + b, weight [out, in], initialised as PyTorch (weight then bias). */
public class Linear extends Module {
    private final long inFeatures, outFeatures;

    public Linear(long inFeatures, long outFeatures) { this(inFeatures, outFeatures, true); }

    public Linear(long inFeatures, long outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", Torch.empty(outFeatures, inFeatures));
        registerParameter("bias", bias ? Torch.empty(outFeatures) : null);
        resetParameters();
    }

    /** kaiming_uniform_(weight, a=sqrt(5)); bias uniform in +-1/sqrt(fan_in). */
    public void resetParameters() {
        Init.kaimingUniform_(weight(), Math.sqrt(5));
        if (bias() != null) {
            long fanIn = Init.fans(weight())[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt((double) fanIn) : 0;
            Init.uniform_(bias(), -bound, bound);
        }
    }

    public Tensor weight() { return param("weight"); }

    public Tensor bias() { return param("bias"); }

    public long inFeatures() { return inFeatures; }

    public long outFeatures() { return outFeatures; }

    @Override
    public Tensor forward(Tensor input) { return Functional.linear(input, weight(), bias()); }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias() != null ? "True" : "False");
    }
}
