package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Index;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.Strided;
import dev.tessera.tensor.Elements;
import dev.tessera.tensor.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
                    } else if (idx.dtype().isIntegral()) {
                        adv.add(idx);
                        advDims.add(new int[]{dim});
                        dim++;
                    } else {
                        throw new IndexOutOfBoundsException("tensors used as indices must be long, int, byte or bool tensors");
                    }
                }
            }
        }
        return new Basic(v, advDims, adv);
    }

    /** For each dim of a bool mask, the int64 coordinates of its true elements (torch.nonzero transposed). */
    static List<Tensor> nonzeroColumns(Tensor mask) {
        long[] flat = mask.toLongArray();
        long[] shape = mask.shapeArray();
        int count = 0;
        for (long v : flat) if (v != 0) count++;
        List<long[]> cols = new ArrayList<>();
        for (int k = 0; k < shape.length; k++) cols.add(new long[count]);
        int j = 0;
        for (int i = 0; i < flat.length; i++) {
            if (flat[i] == 0) continue;
            long rem = i;
            for (int k = shape.length - 1; k >= 0; k--) {
                cols.get(k)[j] = rem % shape[k];
                rem /= shape[k];
            }
            j++;
        }
        List<Tensor> out = new ArrayList<>();
        for (long[] c : cols) out.add(Torch.tensor(c));
        return out;
    }

    /** torch.nonzero: [n, ndim] int64 coordinates of nonzero elements. */
    public static Tensor nonzero(Tensor t) {
        List<Tensor> cols = nonzeroColumns(t.ne(0));
        if (cols.isEmpty()) return Torch.zeros(new long[]{t.numel() != 0 && t.item().doubleValue() != 0 ? 1 : 0, 0}, DType.INT64);
        return Torch.stack(cols, 1);
    }

    /** Element offsets (in elements, into view's storage) selected by the advanced indices, and the result shape. */
    private record Gathered(long[] shape, long[] offsets) {}

    private static Gathered plan(Tensor view, List<int[]> advDims, List<Tensor> adv) {
        long[] idxShape = new long[0];
        for (Tensor a : adv) idxShape = Shapes.broadcast(idxShape, a.shapeArray());
        int rank = view.dim();
        boolean[] isAdv = new boolean[rank];
        int first = advDims.get(0)[0];
        boolean adjacent = true;
        for (int i = 0; i < advDims.size(); i++) {
            isAdv[advDims.get(i)[0]] = true;
            if (advDims.get(i)[0] != first + i) adjacent = false;
        }
        List<Long> restShape = new ArrayList<>();
        List<Integer> restDims = new ArrayList<>();
        for (int d = 0; d < rank; d++) if (!isAdv[d]) { restShape.add(view.size(d)); restDims.add(d); }
        int insertAt = adjacent ? (int) restDims.stream().filter(d -> d < first).count() : 0;
        long[] shape = new long[restShape.size() + idxShape.length];
        for (int i = 0, r = 0; i < shape.length; i++) {
            if (i >= insertAt && i < insertAt + idxShape.length) shape[i] = idxShape[i - insertAt];
            else shape[i] = restShape.get(r++);
        }
        long[][] idxValues = new long[adv.size()][];
        for (int i = 0; i < adv.size(); i++) {
            Tensor a = adv.get(i);
            long[] vals = a.expand(idxShape.clone()).contiguous().toLongArray();
            long size = view.size(advDims.get(i)[0]);
            for (int j = 0; j < vals.length; j++) {
                long v = vals[j];
                if (v < -size || v >= size) {
                    throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + advDims.get(i)[0] + " with size " + size);
                }
                vals[j] = v < 0 ? v + size : v;
            }
            idxValues[i] = vals;
        }
        long total = Shapes.numel(shape);
        long[] offsets = new long[Math.toIntExact(total)];
        long idxCount = Shapes.numel(idxShape);
        long[] outIndex = new long[shape.length];
        for (int flat = 0; flat < total; flat++) {
            long rem = flat;
            for (int k = shape.length - 1; k >= 0; k--) {
                outIndex[k] = rem % shape[k];
                rem /= shape[k];
            }
            long idxFlat = 0;
            for (int k = 0; k < idxShape.length; k++) idxFlat = idxFlat * idxShape[k] + outIndex[insertAt + k];
            long off = view.storageOffset();
            for (int i = 0; i < adv.size(); i++) off += idxValues[i][(int) (idxCount == 0 ? 0 : idxFlat)] * view.stride(advDims.get(i)[0]);
            for (int r = 0, k = 0; r < restDims.size(); r++, k++) {
                if (k == insertAt) k += idxShape.length;
                off += outIndex[k] * view.stride(restDims.get(r));
            }
            offsets[flat] = off;
        }
        return new Gathered(shape, offsets);
    }

    public static Tensor index(Tensor t, Index[] indices) {
        Basic b = applyBasic(t, indices);
        if (b.advanced().isEmpty()) return b.view() == t ? Views.alias(t, t.shapeArray().clone(), t.strideArray().clone(), t.storageOffset()) : b.view();
        Tensor view = b.view();
        Gathered g = plan(view, b.advancedDims(), b.advanced());
        Tensor out = Dispatcher.empty(g.shape(), view.dtype(), view.device());
        copyElements(view, g.offsets(), out, false, true);
        if (!Autograd.needsGrad(view)) return out;
        FunctionNode n = new FunctionNode("IndexBackward0", view);
        long[] inShape = view.shapeArray().clone(), inStrides = view.strideArray().clone();
        long inOffset = view.storageOffset();
        n.backward1(grad -> {
            Tensor z = Torch.emptyStrided(inShape, inStrides, grad.dtype(), grad.device());
            z.zero_();
            long shift = z.storageOffset() - inOffset;
            long[] offs = g.offsets().clone();
            for (int i = 0; i < offs.length; i++) offs[i] += shift;
            copyElements(z, offs, grad.contiguous(), true, false);
            return new Tensor[]{z};
        });
        return Autograd.record(n, out);
    }

    private static void copyElements(Tensor strided, long[] offsets, Tensor dense, boolean accumulate, boolean toDense) {
        Dispatcher.moveElements(strided, offsets, dense, accumulate, toDense);
    }

    /** {@code t[indices] = value}: basic indices write through a view; tensor indices scatter. */
    public static Tensor indexPut(Tensor t, Index[] indices, Tensor value) {
        Basic b = applyBasic(t, indices);
        if (b.advanced().isEmpty()) {
            b.view().copy_(value);
            return t;
        }
        Tensor view = b.view();
        Gathered g = plan(view, b.advancedDims(), b.advanced());
        Tensor src = Dispatcher.empty(g.shape(), view.dtype(), view.device());
        Dispatcher.copyInto(src, value.detach());
        if (!Autograd.needsGrad(view, value) && (view.viewBase() == null || !Autograd.needsGrad(view.viewBase()))) {
            copyElements(view, g.offsets(), src, false, false);
            view.storage().bumpVersion();
            return t;
        }
        // differentiable path: out-of-place put on a snapshot, committed in place
        InPlace.apply(view, () -> { }, s -> {
            Tensor out = Dispatcher.cast(s.detach(), s.dtype());
            // offsets address view's geometry; out is a contiguous copy with view's shape
            long[] remapped = remap(view, out, g.offsets());
            copyElements(out, remapped, src, false, false);
            FunctionNode n = new FunctionNode("IndexPutBackward0", s, value);
            n.backward1(grad -> {
                Tensor gSelf = Dispatcher.cast(grad, grad.dtype());
                Tensor zeros = Torch.zeros(g.shape(), grad.dtype());
                long[] gr = remap(view, gSelf, g.offsets());
                Tensor picked = Dispatcher.empty(g.shape(), grad.dtype(), grad.device());
                copyElements(gSelf, gr, picked, false, true);
                copyElements(gSelf, gr, zeros, false, false);
                return new Tensor[]{gSelf, n.needsInputGrad(1) ? Grads.sumToShape(picked, value.shapeArray()) : null};
            });
            return Autograd.record(n, out);
        }, value);
        return t;
    }

    /** Maps element offsets in {@code from}'s geometry to the same logical elements of contiguous {@code to}. */
    private static long[] remap(Tensor from, Tensor to, long[] offsets) {
        long[] out = new long[offsets.length];
        int rank = from.dim();
        Integer[] order = new Integer[rank];
        for (int i = 0; i < rank; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Long.compare(from.stride(y), from.stride(x)));
        for (int i = 0; i < offsets.length; i++) {
            long rem = offsets[i] - from.storageOffset();
            long target = to.storageOffset();
            for (int k : order) {
                long st = from.stride(k);
                long idx = st == 0 ? 0 : rem / st;
                rem -= idx * st;
                target += idx * to.stride(k);
            }
            out[i] = target;
        }
        return out;
    }

    /** gather along dim without autograd (used by max(dim)). */
    static Tensor gatherRaw(Tensor t, int dim, Tensor index) {
        int d = Shapes.normalizeDim(dim, t.dim());
        long[] shape = index.shapeArray().clone();
        Tensor out = Dispatcher.empty(shape, t.dtype(), t.device());
        long[] idx = index.contiguous().toLongArray();
        long[] offs = new long[idx.length];
        for (int flat = 0; flat < idx.length; flat++) {
            long rem = flat, off = t.storageOffset();
            for (int k = shape.length - 1; k >= 0; k--) {
                long i = rem % shape[k];
                rem /= shape[k];
                if (k == d) {
                    long v = idx[flat];
                    if (v < 0 || v >= t.size(d)) throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + d + " with size " + t.size(d));
                    off += v * t.stride(k);
                } else {
                    off += i * t.stride(k);
                }
            }
            offs[flat] = off;
        }
        copyElements(t, offs, out, false, true);
        return out;
    }

    public static Tensor gather(Tensor t, int dim, Tensor index) {
        if (index.dtype() != DType.INT64) throw new IllegalArgumentException("gather(): Expected dtype int64 for index");
        if (index.dim() != t.dim()) throw new IllegalArgumentException("Index tensor must have the same number of dimensions as input tensor");
        Tensor out = gatherRaw(t, dim, index);
        if (!Autograd.needsGrad(t)) return out;
        int d = Shapes.normalizeDim(dim, t.dim());
        FunctionNode n = new FunctionNode("GatherBackward0", t);
        long[] in = t.shapeArray().clone();
        n.backward1(g -> new Tensor[]{scatterInto(Torch.zeros(in, g.dtype()), d, index, g)});
        return Autograd.record(n, out);
    }

    /** target[..., index[i], ...] += src[i] along dim (scatter_add into a contiguous target); returns target. */
    static Tensor scatterInto(Tensor target, int d, Tensor index, Tensor src) {
        long[] shape = index.shapeArray();
        long[] idx = index.contiguous().toLongArray();
        long[] offs = new long[idx.length];
        for (int flat = 0; flat < idx.length; flat++) {
            long rem = flat, off = target.storageOffset();
            for (int k = shape.length - 1; k >= 0; k--) {
                long i = rem % shape[k];
                rem /= shape[k];
                off += (k == d ? idx[flat] : i) * target.stride(k);
            }
            offs[flat] = off;
        }
        copyElements(target, offs, src.contiguous(), true, false);
        return target;
    }

    public static Tensor indexSelect(Tensor t, int dim, Tensor index) {
        if (index.dim() > 1) throw new IllegalArgumentException("index_select(): Index is supposed to be a vector");
        if (!index.dtype().isIntegral()) throw new IllegalArgumentException("index_select(): Expected dtype int32/int64 for index");
        int d = Shapes.normalizeDim(dim, t.dim());
        Index[] ix = new Index[d + 1];
        for (int i = 0; i < d; i++) ix[i] = Index.all();
        ix[d] = Index.tensor(index.dim() == 0 ? index.reshape(1) : index);
        Tensor out;
        try (dev.tessera.NoGrad g = Torch.noGrad()) {
            out = index(t.detach(), ix);
        }
        if (index.dim() == 0) out = out.squeeze(d);
        if (!Autograd.needsGrad(t)) return out;
        FunctionNode n = new FunctionNode("IndexSelectBackward0", t);
        long[] in = t.shapeArray().clone();
        Tensor idx = index.dim() == 0 ? index.reshape(1) : index;
        n.backward1(g -> {
            Tensor z = Torch.zeros(in, g.dtype());
            Tensor gg = index.dim() == 0 ? g.unsqueeze(d) : g;
            long[] positions = idx.toLongArray();
            for (int i = 0; i < positions.length; i++) {
                long p = positions[i] < 0 ? positions[i] + in[d] : positions[i];
                z.select(d, p).add_(gg.select(d, i));
            }
            return new Tensor[]{z};
        });
        return Autograd.record(n, out);
    }
}
