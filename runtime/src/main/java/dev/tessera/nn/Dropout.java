package dev.tessera.nn;

import dev.tessera.Tensor;

/** torch.nn.Dropout: zeroes elements with probability p in training mode and scales the rest by 1/(1-p). */
public class Dropout extends Module {
    private final double p;
    private final boolean inplace;

    public Dropout() { this(0.5); }

    public Dropout(double p) { this(p, false); }

    public Dropout(double p, boolean inplace) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        this.p = p;
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor out = Functional.dropout(input, p, isTraining());
        return inplace && out != input ? input.copy_(out) : out;
    }

    @Override
    protected String extraRepr() { return "p=" + pyFloat(p) + ", inplace=" + (inplace ? "True" : "False"); }
}
