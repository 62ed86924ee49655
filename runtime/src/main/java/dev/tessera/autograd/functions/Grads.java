package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.ReduceOp;
import java.util.Arrays;

/** Shared gradient plumbing: undoing broadcasting and dtype promotion. */
final class Grads {
    private Grads() {}

    /**
     * What {@link #reduceTo} needs of an input: backward formulas capture this instead of the tensor,
     * since a node stays reachable from the root after backward (while the caller holds the loss)
     * and a captured tensor would keep its memory until then; saved tensors are released instead.
     */
    record Meta(long[] shape, DType dtype) {
        static Meta of(Tensor t) { return new Meta(t.shapeArray(), t.dtype()); }
    }

    /** Sums a broadcast gradient back to {@code input}'s shape and casts it to input's dtype. */
    static Tensor reduceTo(Tensor g, Meta input) {
        Tensor r = sumToShape(g, input.shape());
        return r.dtype() == input.dtype() || !input.dtype().isFloatingPoint() ? r : r.to(input.dtype());
    }

    static Tensor sumToShape(Tensor g, long[] shape) {
        long[] gs = g.shapeArray();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        int[] dims = java.util.stream.IntStream.range(0, gs.length)
                .filter(i -> i < lead || (shape[i - lead] == 1 && gs[i] != 1)).toArray();
        Tensor r = dims.length == 0 ? g : Dispatcher.reduce(ReduceOp.SUM, g, dims, true, g.dtype());
        return r.reshape(shape);
    }

    /** Re-inserts reduced dims (size 1) into a gradient computed for a keepdim=false reduction. */
    static Tensor unsqueezeReduced(Tensor g, long[] inputShape, boolean[] reduced, boolean keepdim) {
        if (keepdim) return g;
        long[] kept = inputShape.clone();
        for (int d = 0; d < kept.length; d++) if (reduced[d]) kept[d] = 1;
        return g.reshape(kept);
    }
}
