package dev.tessera.autograd;

import dev.tessera.Tensor;
import dev.tessera.memory.Allocator;

/** Recording helpers used by differentiable ops. */
public final class Autograd {
    private Autograd() {}

    /** True when grad mode is on and some input requires grad: the op must record a node. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /** Where gradient for {@code t} must flow: its grad_fn, its leaf accumulator, or nowhere. */
    public static Edge edgeOf(Tensor t) {
        if (t.gradFn() != null) return new Edge(t.gradFn(), t.outputNr());
        if (t.requiresGrad()) return new Edge(t.gradAccumulator(), 0);
        return null;
    }

    public static AccumulateGrad newAccumulator(Tensor leaf) { return new AccumulateGrad(leaf); }

    /** Makes {@code out} the output {@code outputNr} of {@code node}; returns out. */
    public static Tensor record(Node node, Tensor out, int outputNr) {
        out.setHistory(node, outputNr);
        return out;
    }

    public static Tensor record(Node node, Tensor out) { return record(node, out, 0); }

    public static void retainGrad(Tensor t) {
        if (t.gradFn() != null) t.gradFn().retainGradFor(t, t.outputNr());
    }

    /**
     * zero_grad of {@code params} (Module's and Optimizer's): drops each gradient
     * ({@code setToNone}) or detaches and zeroes it in place, as PyTorch. Dropped gradients are
     * reported to the allocator, which may collect for them now, between steps (see
     * {@link Allocator#gradientsDropped}).
     */
    public static void zeroGrad(Iterable<Tensor> params, boolean setToNone) {
        java.util.Objects.requireNonNull(params, "zeroGrad: params is null");
        long dropped = 0;
        for (Tensor p : params) {
            if (p == null) throw new IllegalArgumentException("zeroGrad: a parameter is null");
            Tensor g = p.grad();
            if (g == null) continue;
            if (setToNone) {
                p.setGrad(null);
                dropped += g.numel() * g.elementSize();
                continue;
            }
            Tensor d = g.gradFn() != null ? g.detach_() : g.requiresGrad_(false);
            boolean prev = GradMode.set(false);
            try {
                d.zero_();
            } finally {
                GradMode.set(prev);
            }
        }
        if (dropped > 0) Allocator.gradientsDropped(dropped);
    }
}
