package dev.tessera.nn;

import dev.tessera.Tensor;

/** torch.nn.ReLU; with inplace the input is overwritten (relu_). */
public class ReLU extends Module {
    private final boolean inplace;

    public ReLU() { this(false); }

    public ReLU(boolean inplace) { this.inplace = inplace; }

    @Override
    public Tensor forward(Tensor input) { return Functional.relu(input, inplace); }

    @Override
    protected String extraRepr() { return inplace ? "inplace=True" : ""; }
}
