package dev.tessera.autograd;

import dev.tessera.Tensor;

/** The sink for a leaf tensor: adds incoming gradient into {@code leaf.grad()}. */
public final class AccumulateGrad extends Node {
    private final Tensor variable;

    AccumulateGrad(Tensor variable) {
        super("AccumulateGrad", new Edge[0]);
        this.variable = variable;
    }

    public Tensor variable() { return variable; }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        Tensor g = gradOutputs[0];
        if (g == null) return new Tensor[0];
        Tensor current = variable.grad();
        if (current == null) {
            // Own a copy: the incoming buffer may be shared with other nodes' gradients.
            variable.setGrad(g.detach().clone());
        } else if (GradMode.isEnabled()) {
            variable.setGrad(current.add(g));
        } else {
            current.add_(g);
        }
        return new Tensor[0];
    }
}
