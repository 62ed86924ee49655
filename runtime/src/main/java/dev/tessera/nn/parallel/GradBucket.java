package dev.tessera.nn.parallel;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.distributed.Work;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One flat buffer holding the gradients of a few parameters of one dtype, all-reduced as one
 * tensor once every one of them has been accumulated (as PyTorch's Reducer buckets).
 */
final class GradBucket {
    final int index;
    final DType dtype;
    final List<Tensor> params = new ArrayList<>();
    private final Map<Tensor, Tensor> slots = new IdentityHashMap<>();
    private Tensor flat;
    private long elements;
    private int ready;
    private final boolean[] filled;
    Work work;

    GradBucket(int index, DType dtype, List<Tensor> members) {
        this.index = index;
        this.dtype = dtype;
        this.params.addAll(members);
        for (Tensor p : members) elements += p.numel();
        flat = Torch.zeros(new long[] {elements}, dtype);
        long off = 0;
        for (Tensor p : members) {
            slots.put(p, flat.narrow(0, off, p.numel()).view(p.shapeArray()));
            off += p.numel();
        }
        filled = new boolean[members.size()];
    }

    long bytes() { return elements * dtype.byteSize(); }

    Tensor flat() { return flat; }

    /** Copies p's gradient into its slot; true when this made the bucket complete. */
    boolean markReady(Tensor p) {
        int i = indexOf(p);
        if (filled[i]) return false; // a second accumulation in the same backward: the slot is refreshed below
        filled[i] = true;
        slots.get(p).copy_(p.grad());
        return ++ready == params.size();
    }

    /** Refreshes a slot whose parameter accumulated again before the bucket was launched. */
    void refresh(Tensor p) { slots.get(p).copy_(p.grad()); }

    boolean isFilled(Tensor p) { return filled[indexOf(p)]; }

    boolean complete() { return ready == params.size(); }

    /** Zeros for parameters that got no gradient in this pass (unused on this rank), so the collective can run. */
    void fillMissing() {
        for (int i = 0; i < params.size(); i++) {
            if (!filled[i]) {
                slots.get(params.get(i)).zero_();
                filled[i] = true;
                ready++;
            }
        }
    }

    /** Writes the reduced values back into every parameter's .grad and resets for the next pass. */
    void writeBack() {
        for (Tensor p : params) {
            Tensor s = slots.get(p);
            if (p.grad() == null) p.setGrad(s.clone());
            else p.grad().copy_(s);
        }
        java.util.Arrays.fill(filled, false);
        ready = 0;
        work = null;
    }

    private int indexOf(Tensor p) {
        for (int i = 0; i < params.size(); i++) if (params.get(i) == p) return i;
        throw new IllegalArgumentException("parameter not in bucket " + index);
    }
}
