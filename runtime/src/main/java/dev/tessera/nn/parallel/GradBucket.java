package dev.tessera.nn.parallel;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.distributed.Work;
import java.util.ArrayList;
import java.util.List;

/**
 * One flat buffer holding the gradients of a few parameters of one dtype and device, all-reduced
 * as one tensor once every one of them has been accumulated (as PyTorch's Reducer buckets).
 *
 * <p>Each parameter's {@code .grad} becomes a view of its slot in the flat buffer (PyTorch's
 * {@code gradient_as_bucket_view=True}): backward accumulates straight into the bucket, the
 * all-reduce works on it in place and the averaged values are the gradients, so a step copies no
 * gradient in and none back. A gradient that is not the slot view (the first backward, after
 * {@code zeroGrad(true)}, or one a user replaced) is copied in once and replaced by the view.
 */
final class GradBucket {
    final int index;
    final DType dtype;
    final List<Tensor> params = new ArrayList<>();
    private final Tensor[] slots;
    private final Tensor flat;
    private final boolean[] filled;
    private int ready;
    Work work;

    GradBucket(int index, List<Tensor> members) {
        this.index = index;
        Tensor first = members.get(0);
        this.dtype = first.dtype();
        Device device = first.device();
        this.params.addAll(members);
        long elements = 0;
        for (Tensor p : members) elements += p.numel();
        flat = Torch.zeros(new long[] {elements}, dtype, device);
        slots = new Tensor[members.size()];
        long off = 0;
        for (int i = 0; i < slots.length; i++) {
            Tensor p = members.get(i);
            slots[i] = flat.narrow(0, off, p.numel()).view(p.shapeArray());
            off += p.numel();
        }
        filled = new boolean[members.size()];
    }

    long bytes() { return flat.numel() * dtype.byteSize(); }

    Tensor flat() { return flat; }

    /**
     * After p's gradient was accumulated: makes sure it lives in its slot; true when this made
     * the bucket complete (false for a second accumulation of the same parameter).
     */
    boolean markReady(Tensor p) {
        int i = indexOf(p);
        adopt(i);
        if (filled[i]) return false;
        filled[i] = true;
        return ++ready == params.size();
    }

    boolean complete() { return ready == params.size(); }

    /**
     * Before launching a bucket whose parameters did not all get a gradient in this pass: their
     * local contribution is what their .grad holds (zeros after zeroGrad, or what noSync passes
     * accumulated), or zeros when they have none.
     */
    void fillMissing() {
        for (int i = 0; i < params.size(); i++) {
            if (filled[i]) continue;
            if (params.get(i).grad() == null) slots[i].zero_();
            adopt(i);
            filled[i] = true;
            ready++;
        }
    }

    /** After the all-reduce: every parameter's .grad is its slot (already averaged); reset for the next pass. */
    void finish() {
        for (int i = 0; i < params.size(); i++) if (params.get(i).grad() != slots[i]) params.get(i).setGrad(slots[i]);
        java.util.Arrays.fill(filled, false);
        ready = 0;
        work = null;
    }

    /** Copies a gradient that is not the slot view into the slot and makes the view the gradient. */
    private void adopt(int i) {
        Tensor p = params.get(i), g = p.grad();
        if (g == slots[i] || g == null) return;
        slots[i].copy_(g);
        p.setGrad(slots[i]);
    }

    private int indexOf(Tensor p) {
        for (int i = 0; i < params.size(); i++) if (params.get(i) == p) return i;
        throw new IllegalArgumentException("parameter not in bucket " + index);
    }
}
