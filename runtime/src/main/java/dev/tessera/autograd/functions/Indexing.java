package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Index;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.SavedTensor;
import dev.tessera.ops.Dispatcher;
import dev.tessera.tensor.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * numpy-style indexing. Basic indices (integers, slices, ellipsis, new axes) become views through
 * select/slice/unsqueeze; tensor indices (bool masks, int64 positions) gather into a copy, and
 * the gradient scatters back with accumulation.
 */
public final class Indexing {
    private Indexing() {}

    /** The result of applying basic indices, and the advanced ones still to apply (by dim of the view). */
    private record Basic(Tensor view, List<int[]> advancedDims, List<Tensor> advanced) {}

    private static Basic applyBasic(Tensor t, Index[] indices) {
        int consumed = 0;
        int ellipses = 0;
        for (Index ix : indices) {
            if (ix instanceof Index.Ellipsis) ellipses++;
            else if (ix instanceof Index.TensorIndex ti && ti.tensor().dtype() == DType.BOOL) consumed += Math.max(ti.tensor().dim(), 1) - (ti.tensor().dim() == 0 ? 1 : 0);
            else if (!(ix instanceof Index.NewAxis)) consumed++;
        }
        if (ellipses > 1) throw new IllegalArgumentException("an index can only have a single ellipsis ('...')");
        if (consumed > t.dim()) {
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + t.dim());
        }
        Tensor v = t;
        int dim = 0;
        List<int[]> advDims = new ArrayList<>();
        List<Tensor> adv = new ArrayList<>();
        for (Index ix : indices) {
            switch (ix) {
                case Index.At at -> {
                    if (v.dim() == 0) throw new IndexOutOfBoundsException("invalid index of a 0-dim tensor. Use `tensor.item()` "
                            + "to convert a 0-dim tensor to a number");
                    long size = v.size(dim);
                    if (at.index() < -size || at.index() >= size) {
                        throw new IndexOutOfBoundsException("index " + at.index() + " is out of bounds for dimension " + dim
                                + " with size " + size);
                    }
                    v = v.select(dim, at.index());
                }
                case Index.Slice s -> {
                    if (!(s.start() == null && s.stop() == null && s.step() == 1)) v = v.slice(dim, s.start(), s.stop(), s.step());
                    dim++;
                }
                case Index.Ellipsis e -> dim += t.dim() - consumed;
                case Index.NewAxis n -> v = v.unsqueeze(dim++);
                case Index.TensorIndex ti -> {
                    Tensor idx = ti.tensor();
                    if (idx.dtype() == DType.BOOL || idx.dtype() == DType.UINT8) {
                        int nd = idx.dim();
                        if (nd == 0) {
                            // a 0-d bool adds a dim of size 1 (true) or 0 (false)
                            v = v.unsqueeze(dim);
                            adv.add(idx.item().longValue() != 0 ? Torch.zeros(new long[]{1}, DType.INT64) : Torch.zeros(new long[]{0}, DType.INT64));
                            advDims.add(new int[]{dim});
                            dim++;
                            continue;
                        }
                        for (int k = 0; k < nd; k++) {
                            if (idx.size(k) != v.size(dim + k)) {
                                throw new IndexOutOfBoundsException("The shape of the mask " + java.util.Arrays.toString(idx.shapeArray())
                                        + " at index " + k + " does not match the shape of the indexed tensor "
                                        + java.util.Arrays.toString(v.shapeArray()) + " at index " + (dim + k));
                            }
                        }
                        List<Tensor> coords = nonzeroColumns(idx);
                        for (int k = 0; k < nd; k++) {
                            adv.add(coords.get(k));
                            advDims.add(new int[]{dim + k});
                        }
                        dim += nd;
                    } else if (idx.dtype() == DType.INT64) {
                        adv.add(idx);
                        advDims.add(new int[]{dim});
                        dim++;
                    } else { // PyTorch 1.13 takes no int32 indices either
                        throw new IndexOutOfBoundsException("tensors used as indices must be long, byte or bool tensors");
                    }
                }
            }
        }
        return new Basic(v, advDims, adv);
    }

    /** For each dim of a bool mask, the int64 coordinates of its true elements (torch.nonzero transposed). */
    static List<Tensor> nonzeroColumns(Tensor mask) {
        Tensor coords = Dispatcher.nonzero(mask);
        List<Tensor> out = new ArrayList<>();
        for (int k = 0; k < mask.dim(); k++) out.add(coords.select(1, k));
        return out;
    }

    /** torch.nonzero: [n, ndim] int64 coordinates of nonzero elements. */
    public static Tensor nonzero(Tensor t) {
        if (t.dim() == 0) return Torch.zeros(new long[]{t.item().doubleValue() != 0 ? 1 : 0, 0}, DType.INT64, t.device());
        return Dispatcher.nonzero(t);
    }

    /**
     * Where the advanced indices put each result element, as shape bookkeeping only: the result's
     * {@code shape} (the broadcast index shape inserted at {@code insertAt} among the view's
     * remaining dims {@code restDims}, or in front when the indexed dims are not adjacent), and
     * the int64 index tensors on the view's device, broadcast to the index shape. The offsets
     * themselves are computed by the device's backend ({@link #offsets}).
     */
    private record Plan(long[] shape, int insertAt, int[] restDims, int[] advDims, Tensor[] indices) {
        /**
         * This plan's index tensors as saved tensors of {@code n}, and the plan rebuilt from them at
         * backward time: a captured plan would keep them (a boolean mask's coordinates can be as
         * large as the input) alive for as long as the graph, after backward too.
         */
        Supplier<Plan> saveIn(FunctionNode n) {
            SavedTensor[] saved = new SavedTensor[indices.length];
            for (int k = 0; k < indices.length; k++) saved[k] = n.save(indices[k]);
            long[] sh = shape;
            int at = insertAt;
            int[] rest = restDims, adv = advDims;
            return () -> {
                Tensor[] idx = new Tensor[saved.length];
                for (int k = 0; k < saved.length; k++) idx[k] = saved[k].get();
                return new Plan(sh, at, rest, adv, idx);
            };
        }

        /** Element offsets into {@code target}'s storage (target has the indexed view's shape). */
        Tensor offsets(Tensor target) {
            long[] base = new long[shape.length];
            int idxRank = indices.length == 0 ? 0 : indices[0].dim();
            for (int r = 0, j = 0; r < restDims.length; r++, j++) {
                if (j == insertAt) j += idxRank;
                base[j] = target.stride(restDims[r]);
            }
            long[][] idxStrides = new long[indices.length][shape.length];
            for (int k = 0; k < indices.length; k++) {
                for (int q = 0; q < idxRank; q++) idxStrides[k][insertAt + q] = indices[k].stride(q);
            }
            return Dispatcher.indexOffsets(target, shape, base, indices, idxStrides, advDims);
        }
    }

    private static Plan plan(Tensor view, List<int[]> advDimList, List<Tensor> adv) {
        long[] idxShape = new long[0];
        for (Tensor a : adv) idxShape = Shapes.broadcast(idxShape, a.shapeArray());
        int rank = view.dim();
        boolean[] isAdv = new boolean[rank];
        int[] advDims = new int[advDimList.size()];
        boolean adjacent = true;
        for (int i = 0; i < advDims.length; i++) {
            advDims[i] = advDimList.get(i)[0];
            isAdv[advDims[i]] = true;
            if (advDims[i] != advDims[0] + i) adjacent = false;
        }
        int first = advDims[0];
        int[] restDims = java.util.stream.IntStream.range(0, rank).filter(d -> !isAdv[d]).toArray();
        int insertAt = adjacent ? (int) Arrays.stream(restDims).filter(d -> d < first).count() : 0;
        long[] shape = new long[restDims.length + idxShape.length];
        for (int i = 0, r = 0; i < shape.length; i++) {
            if (i >= insertAt && i < insertAt + idxShape.length) shape[i] = idxShape[i - insertAt];
            else shape[i] = view.size(restDims[r++]);
        }
        Tensor[] indices = new Tensor[adv.size()];
        for (int k = 0; k < indices.length; k++) {
            Tensor a = adv.get(k);
            if (!a.device().equals(view.device())) a = Dispatcher.transfer(a, view.device()); // CPU indices for a device tensor
            indices[k] = a.expand(idxShape.clone());
        }
        return new Plan(shape, insertAt, restDims, advDims, indices);
    }

    public static Tensor index(Tensor t, Index[] indices) {
        Basic b = applyBasic(t, indices);
        if (b.advanced().isEmpty()) return b.view() == t ? Views.alias(t, t.shapeArray().clone(), t.strideArray().clone(), t.storageOffset()) : b.view();
        Tensor view = b.view();
        Plan p = plan(view, b.advancedDims(), b.advanced());
        Tensor offsets = p.offsets(view);
        Tensor out = Dispatcher.empty(p.shape(), view.dtype(), view.device());
        Dispatcher.moveElements(view, offsets, out, false, true);
        if (!Autograd.needsGrad(view)) return out;
        FunctionNode n = new FunctionNode("IndexBackward0", view);
        long[] inShape = view.shapeArray().clone(), inStrides = view.strideArray().clone();
        Supplier<Plan> saved = p.saveIn(n);
        n.backward1(grad -> {
            Tensor z = Torch.emptyStrided(inShape, inStrides, grad.dtype(), grad.device());
            z.zero_();
            Dispatcher.moveElements(z, saved.get().offsets(z), grad.contiguous(), true, false);
            return new Tensor[]{z};
        });
        return Autograd.record(n, out);
    }

    /** {@code t[indices] = value}: basic indices write through a view; tensor indices scatter. */
    public static Tensor indexPut(Tensor t, Index[] indices, Tensor value) {
        Basic b = applyBasic(t, indices);
        if (b.advanced().isEmpty()) {
            b.view().copy_(value);
            return t;
        }
        Tensor view = b.view();
        Plan p = plan(view, b.advancedDims(), b.advanced());
        Tensor offsets = p.offsets(view);
        Tensor src = Dispatcher.empty(p.shape(), view.dtype(), view.device());
        Dispatcher.copyInto(src, value.detach());
        if (!Autograd.needsGrad(view, value) && (view.viewBase() == null || !Autograd.needsGrad(view.viewBase()))) {
            Dispatcher.moveElements(view, offsets, src, false, false);
            view.storage().bumpVersion();
            return t;
        }
        // differentiable path: out-of-place put on a snapshot, committed in place
        long[] valueShape = value.shapeArray();
        InPlace.apply(view, () -> { }, s -> {
            Tensor out = Dispatcher.cast(s.detach(), s.dtype());
            // out is a contiguous copy with view's shape: the same indices, its own offsets
            Dispatcher.moveElements(out, p.offsets(out), src, false, false);
            FunctionNode n = new FunctionNode("IndexPutBackward0", s, value);
            Supplier<Plan> saved = p.saveIn(n);
            long[] putShape = p.shape();
            n.backward1(grad -> {
                Tensor gSelf = Dispatcher.cast(grad, grad.dtype());
                Tensor zeros = Torch.zeros(putShape, grad.dtype(), grad.device());
                Tensor gr = saved.get().offsets(gSelf);
                Tensor picked = Dispatcher.empty(putShape, grad.dtype(), grad.device());
                Dispatcher.moveElements(gSelf, gr, picked, false, true);
                Dispatcher.moveElements(gSelf, gr, zeros, false, false);
                return new Tensor[]{gSelf, n.needsInputGrad(1) ? Grads.sumToShape(picked, valueShape) : null};
            });
            return Autograd.record(n, out);
        }, value);
        return t;
    }

    /** gather along dim without autograd (used by max(dim)); a 0-d tensor is its own only element. */
    static Tensor gatherRaw(Tensor t, int dim, Tensor index) {
        int d = Shapes.normalizeDim(dim, t.dim());
        if (t.dim() == 0) return Dispatcher.gatherAlong(t.reshape(1), 0, index.reshape(1)).reshape(index.shapeArray());
        return Dispatcher.gatherAlong(t, d, index);
    }

    public static Tensor gather(Tensor t, int dim, Tensor index) {
        if (index.dtype() != DType.INT64) throw new IllegalArgumentException("gather(): Expected dtype int64 for index");
        if (index.dim() != t.dim()) throw new IllegalArgumentException("Index tensor must have the same number of dimensions as input tensor");
        Tensor out = gatherRaw(t, dim, index);
        if (!Autograd.needsGrad(t)) return out;
        int d = Shapes.normalizeDim(dim, t.dim());
        FunctionNode n = new FunctionNode("GatherBackward0", t);
        long[] in = t.shapeArray().clone();
        SavedTensor si = n.save(index);
        n.backward1(g -> new Tensor[]{scatterInto(Torch.zeros(in, g.dtype(), g.device()), d, si.get(), g)});
        return Autograd.record(n, out);
    }

    /** target[..., index[i], ...] += src[i] along dim (scatter_add into target); returns target. */
    static Tensor scatterInto(Tensor target, int d, Tensor index, Tensor src) {
        if (target.dim() == 0) {
            Dispatcher.scatterAlong(target.reshape(1), 0, index.reshape(1), src.reshape(1), true);
            return target;
        }
        return Dispatcher.scatterAlong(target, d, index, src, true);
    }

    public static Tensor indexSelect(Tensor t, int dim, Tensor index) {
        if (index.dim() > 1) throw new IllegalArgumentException("index_select(): Index is supposed to be a vector");
        if (!index.dtype().isIntegral()) throw new IllegalArgumentException("index_select(): Expected dtype int32/int64 for index");
        int d = Shapes.normalizeDim(dim, t.dim());
        if (t.dim() == 0) return indexSelectScalar(t, index);
        Tensor idx = index.dtype() == DType.INT64 ? index : Dispatcher.cast(index, DType.INT64);
        if (!idx.device().equals(t.device())) idx = Dispatcher.transfer(idx, t.device());
        // the 1-D index read along dim d of the result, broadcast over the other dims
        long[] outShape = t.shapeArray().clone();
        outShape[d] = idx.numel();
        long[] along = new long[t.dim()];
        Arrays.fill(along, 1);
        along[d] = idx.numel();
        Tensor spread = idx.reshape(along).expand(outShape);
        // a 0-d index selects a dim of size 1, as PyTorch's index_select (unlike indexing with it)
        Tensor out = Dispatcher.gatherAlong(t.detach(), d, spread);
        if (!Autograd.needsGrad(t)) return out;
        FunctionNode n = new FunctionNode("IndexSelectBackward0", t);
        long[] in = t.shapeArray().clone();
        SavedTensor ss = n.save(spread); // as PyTorch saves index; released after backward
        n.backward1(g -> new Tensor[]{Dispatcher.scatterAlong(Torch.zeros(in, g.dtype(), g.device()), d, ss.get(), g, true)});
        return Autograd.record(n, out);
    }

    /** index_select on a 0-d tensor: a one-element index (0) picks the value itself, 0-d as in PyTorch. */
    private static Tensor indexSelectScalar(Tensor t, Tensor index) {
        if (index.numel() != 1) {
            throw new IllegalArgumentException("index_select(): Index to scalar can have only 1 value, got " + index.numel() + " value(s)");
        }
        return gather(t, 0, index.reshape().to(DType.INT64));
    }
}
