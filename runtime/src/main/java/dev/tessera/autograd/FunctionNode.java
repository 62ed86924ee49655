package dev.tessera.autograd;

import dev.tessera.Tensor;

/**
 * A node whose backward formula is a lambda written next to the op's forward code, so one op's
 * forward and backward read together (see dev.tessera.autograd.functions).
 */
public final class FunctionNode extends Node {
    /** Gradient formula: output gradients in, input gradients out (null where not needed). */
    @FunctionalInterface
    public interface Formula { Tensor[] apply(Tensor[] gradOutputs); }

    private final int outputs;
    private Formula formula;
    private Object formulaSource; // the lambda as written, for OwnedGradients.isBuiltin

    public FunctionNode(String name, Tensor... inputs) {
        this(name, 1, inputs);
    }

    public FunctionNode(String name, int outputs, Tensor... inputs) {
        super(name, inputs);
        this.outputs = outputs;
    }

    /** Sets the backward formula; saved tensors are captured through {@link SavedTensor}s made by {@link #save}. */
    public FunctionNode backward(Formula f) {
        this.formula = f;
        this.formulaSource = f;
        return this;
    }

    /** Convenience for single-output ops: the formula receives the one output gradient. */
    public FunctionNode backward1(java.util.function.Function<Tensor, Tensor[]> f) {
        this.formula = g -> f.apply(g[0]);
        this.formulaSource = f;
        return this;
    }

    /** The formula as its author wrote it (see OwnedGradients.isBuiltin). */
    Object formulaSource() { return formulaSource; }

    @Override
    public int numOutputs() { return outputs; }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) { return formula.apply(gradOutputs); }
}
