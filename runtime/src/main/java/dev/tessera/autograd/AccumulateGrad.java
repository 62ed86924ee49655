package dev.tessera.autograd;

import dev.tessera.Tensor;
import dev.tessera.ops.Dispatcher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The sink for a leaf tensor: adds incoming gradient into {@code leaf.grad()}. */
public final class AccumulateGrad extends Node {
    private final Tensor variable;
    private final List<Consumer<Tensor>> postHooks = new CopyOnWriteArrayList<>();

    /** Removes a registered hook (PyTorch's RemovableHandle). */
    public interface HookHandle {
        void remove();
    }

    AccumulateGrad(Tensor variable) {
        super("AccumulateGrad", new Edge[0]);
        this.variable = variable;
    }

    public Tensor variable() { return variable; }

    /** Registers a hook run with the leaf after each accumulation into its {@code .grad}. */
    public HookHandle addPostHook(Consumer<Tensor> hook) {
        postHooks.add(java.util.Objects.requireNonNull(hook, "hook"));
        return () -> postHooks.remove(hook);
    }

    /** Whether user code sees the leaf (and so its gradient) after each accumulation. */
    boolean hasPostHooks() { return !postHooks.isEmpty(); }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        return accumulate(gradOutputs[0], false);
    }

    /**
     * Adds {@code g} into the leaf's {@code .grad}. The first gradient is copied, unless the engine
     * says no one else holds it ({@code adoptable}) and it is laid out as the leaf: then the leaf
     * takes it as it is, as PyTorch steals a gradient nothing else references.
     */
    Tensor[] accumulate(Tensor g, boolean adoptable) {
        if (g == null) return new Tensor[0];
        Tensor current = variable.grad();
        if (current == null) {
            variable.setGrad(adoptable && laidOutAsVariable(g) ? g.detach() : g.detach().clone());
        } else if (GradMode.isEnabled()) {
            variable.setGrad(current.add(g));
        } else if (current.storage().isAllZero() && Dispatcher.coversStorage(current) && sameKind(current, g)) {
            // zeroGrad's fill and nothing written since: 0 + g without reading the zeros (a pass over
            // the parameters' size fewer per step; the same bits as add_)
            Dispatcher.addZeroInto(current, g);
        } else {
            current.add_(g);
        }
        for (Consumer<Tensor> h : postHooks) h.accept(variable);
        return new Tensor[0];
    }

    /** A dense gradient covering its whole storage, with the leaf's dtype, device and (contiguous) strides. */
    private boolean laidOutAsVariable(Tensor g) {
        return sameKind(variable, g) && variable.isContiguous() && Dispatcher.coversStorage(g) && !g.requiresGrad();
    }

    /** Same dtype, device and shape. */
    private static boolean sameKind(Tensor a, Tensor b) {
        return a.dtype() == b.dtype() && a.device().equals(b.device()) && java.util.Arrays.equals(a.shapeArray(), b.shapeArray());
    }
}
