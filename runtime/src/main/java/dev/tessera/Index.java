package dev.tessera;

import java.util.Objects;

/**
 * One component of a numpy-style index, as in {@code t[:, 1]} or {@code t[0:2, ..., None]}.
 * Basic indices ({@link #at}, {@link #slice}, {@link #all}, {@link #ellipsis}, {@link #newAxis})
 * produce views; tensor indices (bool masks, int64 positions) produce copies, as in PyTorch.
 */
public sealed interface Index {
    /** {@code t[i]}: selects one position and removes the dimension; negative counts from the end. */
    record At(long index) implements Index {}

    /** {@code t[start:stop:step]}; {@code null} bounds mean "from the start"/"to the end". */
    record Slice(Long start, Long stop, long step) implements Index {
        public Slice {
            if (step <= 0) throw new IllegalArgumentException("slice step must be positive, got " + step);
        }
    }

    /** {@code ...}: as many full slices as needed. */
    record Ellipsis() implements Index {}

    /** {@code None}: inserts a dimension of size 1. */
    record NewAxis() implements Index {}

    /** {@code t[mask]} or {@code t[indices]}: advanced indexing with a bool or integer tensor. */
    record TensorIndex(Tensor tensor) implements Index {
        public TensorIndex {
            Objects.requireNonNull(tensor, "index tensor");
        }
    }

    static Index at(long i) { return new At(i); }

    static Index all() { return new Slice(null, null, 1); }

    static Index slice(long start, long stop) { return new Slice(start, stop, 1); }

    static Index slice(long start, long stop, long step) { return new Slice(start, stop, step); }

    /** A slice with open ends: pass {@code null} for {@code t[:stop]} or {@code t[start:]}. */
    static Index slice(Long start, Long stop, long step) { return new Slice(start, stop, step); }

    static Index from(long start) { return new Slice(start, null, 1); }

    static Index to(long stop) { return new Slice(null, stop, 1); }

    static Index ellipsis() { return new Ellipsis(); }

    static Index newAxis() { return new NewAxis(); }

    static Index tensor(Tensor t) { return new TensorIndex(t); }
}
