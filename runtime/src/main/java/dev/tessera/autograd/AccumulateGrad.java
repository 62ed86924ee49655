package dev.tessera.autograd;

import dev.tessera.Tensor;
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
        for (Consumer<Tensor> h : postHooks) h.accept(variable);
        return new Tensor[0];
    }
}
