package dev.tessera.autograd;

import dev.tessera.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backward function in the autograd DAG (PyTorch's torch::autograd::Node). It receives the
 * gradients of its forward outputs and returns the gradients of its forward inputs, in the order
 * of {@link #nextFunctions()}; an entry is null where that input needs no gradient.
 */
public abstract class Node {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String name;
    private final Edge[] next;
    private final long sequenceNr = SEQUENCE.getAndIncrement();
    private final List<SavedTensor> saved = new ArrayList<>(2);
    private List<RetainedGrad> retained;

    record RetainedGrad(int outputNr, java.lang.ref.WeakReference<Tensor> tensor) {}

    /** @param inputs the forward inputs, in order; those that need no gradient get no edge */
    protected Node(String name, Tensor... inputs) {
        this.name = name;
        this.next = new Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) next[i] = inputs[i] == null ? null : Autograd.edgeOf(inputs[i]);
    }

    /** For nodes whose edges are known directly (AccumulateGrad has none). */
    protected Node(String name, Edge[] next) {
        this.name = name;
        this.next = next;
    }

    /** PyTorch's class name of this node, e.g. {@code MulBackward0}. */
    public String name() { return name; }

    /** The edges to the backward functions of this node's inputs (null entries where no gradient flows). */
    public List<Edge> nextFunctions() { return Collections.unmodifiableList(Arrays.asList(next)); }

    Edge[] edges() { return next; }

    long sequenceNr() { return sequenceNr; }

    /** Number of forward outputs (1 except for ops like split/unbind). */
    public int numOutputs() { return 1; }

    /** True when input {@code i} needs a gradient. */
    public boolean needsInputGrad(int i) { return next[i] != null; }

    /** Saves an input for backward, recording its version. */
    public SavedTensor save(Tensor t) {
        SavedTensor s = new SavedTensor(t, this, false);
        saved.add(s);
        return s;
    }

    /** Saves this node's own output (its version check names this node, as PyTorch does). */
    public SavedTensor saveOutput(Tensor t) {
        SavedTensor s = new SavedTensor(t.detach(), this, true);
        saved.add(s);
        return s;
    }

    /** Runs this node's backward formula directly (used by composite nodes such as CopySlices). */
    public final Tensor[] applyGradients(Tensor[] gradOutputs) { return apply(gradOutputs); }

    /** Computes input gradients from output gradients; runs with grad mode off. */
    protected abstract Tensor[] apply(Tensor[] gradOutputs);

    /** Frees saved tensors after a backward pass without retain_graph. */
    void release() {
        for (SavedTensor s : saved) s.release();
    }

    void retainGradFor(Tensor t, int outputNr) {
        if (retained == null) retained = new ArrayList<>(1);
        for (RetainedGrad r : retained) if (r.tensor().get() == t) return;
        retained.add(new RetainedGrad(outputNr, new java.lang.ref.WeakReference<>(t)));
    }

    List<RetainedGrad> retained() { return retained == null ? List.of() : retained; }

    @Override
    public String toString() { return "<" + name + " object>"; }
}
