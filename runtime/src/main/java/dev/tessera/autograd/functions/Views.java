package dev.tessera.autograd.functions;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.ops.Dispatcher;
import dev.tessera.tensor.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Views share storage and differ only in sizes, strides and offset: stride arithmetic, never a
 * kernel. Each view records its backward node (named as PyTorch names it) and its view base.
 */
public final class Views {
    private Views() {}

    /** A raw view of {@code src}'s storage with new geometry, remembering src as its view base. */
    static Tensor alias(Tensor src, long[] shape, long[] strides, long offset) {
        Tensor v = Tensor.fromStorage(src.storage(), src.dtype(), shape, strides, offset);
        v.setViewBase(src);
        return v;
    }

    private static Tensor record(String name, Tensor src, Tensor out, java.util.function.Function<Tensor, Tensor> backward) {
        if (!Autograd.needsGrad(src)) return out;
        FunctionNode n = new FunctionNode(name, src);
        n.backward1(g -> new Tensor[]{backward.apply(g)});
        return Autograd.record(n, out);
    }

    public static Tensor view(Tensor t, long[] requested) {
        long[] shape = Shapes.inferSize(requested, t.numel());
        long[] strides = Shapes.viewStrides(t.shapeArray(), t.strideArray(), shape);
        if (strides == null) {
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at least one "
                    + "dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        }
        long[] in = t.shapeArray().clone();
        return record("ViewBackward0", t, alias(t, shape, strides, t.storageOffset()), g -> g.reshape(in));
    }

    public static Tensor reshape(Tensor t, long[] requested) {
        long[] shape = Shapes.inferSize(requested, t.numel());
        long[] strides = Shapes.viewStrides(t.shapeArray(), t.strideArray(), shape);
        long[] in = t.shapeArray().clone();
        if (strides != null) {
            return record("ReshapeAliasBackward0", t, alias(t, shape, strides, t.storageOffset()), g -> g.reshape(in));
        }
        // As PyTorch: clone to contiguous (CloneBackward0), then an unsafe view of the copy.
        return unsafeView(cloneContiguous(t), shape);
    }

    /** PyTorch's _unsafe_view: a view of a fresh contiguous tensor that nobody else aliases. */
    public static Tensor unsafeView(Tensor t, long[] shape) {
        long[] in = t.shapeArray().clone();
        Tensor out = Tensor.fromStorage(t.storage(), t.dtype(), shape.clone(), Shapes.contiguousStrides(shape), t.storageOffset());
        return record("UnsafeViewBackward0", t, out, g -> g.reshape(in));
    }

    public static Tensor flatten(Tensor t, int start, int end) {
        if (t.dim() == 0) return t.reshape(1);
        int s = Shapes.normalizeDim(start, t.dim()), e = Shapes.normalizeDim(end, t.dim());
        if (s > e) throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        if (s == e) return t;
        long[] shape = new long[t.dim() - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) shape[k++] = t.size(i);
        long m = 1;
        for (int i = s; i <= e; i++) m *= t.size(i);
        shape[k++] = m;
        for (int i = e + 1; i < t.dim(); i++) shape[k++] = t.size(i);
        return reshape(t, shape);
    }

    private static long[] swapped(long[] a, int i, int j) {
        long[] r = a.clone();
        r[i] = a[j];
        r[j] = a[i];
        return r;
    }

    public static Tensor transpose(Tensor t, int d0, int d1) {
        if (t.dim() == 0) return record("TransposeBackward0", t, alias(t, new long[0], new long[0], t.storageOffset()), g -> g);
        int a = Shapes.normalizeDim(d0, t.dim()), b = Shapes.normalizeDim(d1, t.dim());
        Tensor out = alias(t, swapped(t.shapeArray(), a, b), swapped(t.strideArray(), a, b), t.storageOffset());
        return record("TransposeBackward0", t, out, g -> g.transpose(a, b));
    }

    public static Tensor t(Tensor t) {
        if (t.dim() > 2) throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + t.dim() + "D");
        Tensor out = t.dim() < 2 ? alias(t, t.shapeArray().clone(), t.strideArray().clone(), t.storageOffset())
                : alias(t, swapped(t.shapeArray(), 0, 1), swapped(t.strideArray(), 0, 1), t.storageOffset());
        return record("TBackward0", t, out, Tensor::t);
    }

    public static Tensor tInPlace(Tensor t) {
        if (t.dim() > 2) throw new IllegalArgumentException("t_() expects a tensor with <= 2 dimensions, but self is " + t.dim() + "D");
        return t.dim() < 2 ? t : transposeInPlaceNamed(t, 0, 1, "TBackward1");
    }

    public static Tensor transposeInPlace(Tensor t, int d0, int d1) {
        return transposeInPlaceNamed(t, Shapes.normalizeDim(d0, t.dim()), Shapes.normalizeDim(d1, t.dim()), "TransposeBackward1");
    }

    private static Tensor transposeInPlaceNamed(Tensor t, int a, int b, String name) {
        InPlace.checkLeaf(t);
        boolean grad = Autograd.needsGrad(t);
        FunctionNode n = grad ? new FunctionNode(name, t) : null;
        t.setGeometry(swapped(t.shapeArray(), a, b), swapped(t.strideArray(), a, b));
        if (grad) {
            n.backward1(g -> new Tensor[]{g.transpose(a, b)});
            Autograd.record(n, t);
        }
        return t;
    }

    public static Tensor permute(Tensor t, int[] dims) {
        if (dims.length != t.dim()) {
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does not match the "
                    + "length of the desired ordering of dimensions i.e. input.dim() = " + t.dim() + " is not equal to len(dims) = " + dims.length);
        }
        int[] p = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        long[] shape = new long[dims.length], strides = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            p[i] = Shapes.normalizeDim(dims[i], t.dim());
            if (seen[p[i]]) throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            seen[p[i]] = true;
            shape[i] = t.size(p[i]);
            strides[i] = t.stride(p[i]);
        }
        int[] inverse = new int[p.length];
        for (int i = 0; i < p.length; i++) inverse[p[i]] = i;
        return record("PermuteBackward0", t, alias(t, shape, strides, t.storageOffset()), g -> g.permute(inverse));
    }

    /** The {@code .T} property: all dimensions reversed. */
    public static Tensor reverseDims(Tensor t) {
        int[] dims = new int[t.dim()];
        for (int i = 0; i < dims.length; i++) dims[i] = dims.length - 1 - i;
        return permute(t, dims);
    }

    public static Tensor expand(Tensor t, long[] sizes) {
        long[] target = sizes.clone();
        long[] strides = Shapes.expandStrides(t.shapeArray(), t.strideArray(), target);
        long[] in = t.shapeArray().clone();
        return record("ExpandBackward0", t, alias(t, target, strides, t.storageOffset()), g -> Grads.sumToShape(g, in));
    }

    public static Tensor squeeze(Tensor t, Integer dim) {
        long[] in = t.shapeArray().clone();
        List<Integer> keep = new ArrayList<>();
        int d = dim == null ? -1 : Shapes.normalizeDim(dim, t.dim());
        for (int i = 0; i < t.dim(); i++) {
            boolean drop = t.size(i) == 1 && (dim == null || i == d);
            if (!drop) keep.add(i);
        }
        long[] shape = keep.stream().mapToLong(t::size).toArray();
        long[] strides = keep.stream().mapToLong(t::stride).toArray();
        return record(dim == null ? "SqueezeBackward0" : "SqueezeBackward1", t, alias(t, shape, strides, t.storageOffset()),
                g -> g.reshape(in));
    }

    public static Tensor unsqueeze(Tensor t, int dim) {
        int d = Shapes.normalizeDim(dim, t.dim() + 1);
        long[] shape = new long[t.dim() + 1], strides = new long[t.dim() + 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i == d) {
                shape[i] = 1;
                strides[i] = j < t.dim() ? t.stride(j) * t.size(j) : 1;
            } else {
                shape[i] = t.size(j);
                strides[i] = t.stride(j);
                j++;
            }
        }
        return record("UnsqueezeBackward0", t, alias(t, shape, strides, t.storageOffset()), g -> g.squeeze(d));
    }

    public static Tensor select(Tensor t, int dim, long index) {
        if (t.dim() == 0) throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor.");
        int d = Shapes.normalizeDim(dim, t.dim());
        long size = t.size(d);
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size "
                    + Arrays.toString(t.shapeArray()) + " at dimension " + d);
        }
        long i = index < 0 ? index + size : index;
        long[] shape = remove(t.shapeArray(), d), strides = remove(t.strideArray(), d);
        long[] in = t.shapeArray().clone();
        Tensor out = alias(t, shape, strides, t.storageOffset() + i * t.stride(d));
        return record("SelectBackward0", t, out, g -> {
            Tensor z = Dispatcher.empty(in, g.dtype(), g.device());
            z.select(d, i).copy_(g);
            return z;
        });
    }

    private static long[] remove(long[] a, int i) {
        long[] r = new long[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    /** t[start:end:step] along dim, with Python's clamping of out-of-range and negative bounds. */
    public static Tensor slice(Tensor t, int dim, Long start, Long end, long step) {
        if (t.dim() == 0) throw new IndexOutOfBoundsException("slice() cannot be applied to a 0-dim tensor.");
        if (step <= 0) throw new IllegalArgumentException("slice step must be positive");
        int d = Shapes.normalizeDim(dim, t.dim());
        long size = t.size(d);
        long s = start == null ? 0 : start < 0 ? Math.max(start + size, 0) : Math.min(start, size);
        long e = end == null ? size : end < 0 ? Math.max(end + size, 0) : Math.min(end, size);
        long len = e > s ? (e - s + step - 1) / step : 0;
        long[] shape = t.shapeArray().clone(), strides = t.strideArray().clone();
        shape[d] = len;
        strides[d] = t.stride(d) * step;
        long[] in = t.shapeArray().clone();
        long s0 = s;
        Tensor out = alias(t, shape, strides, t.storageOffset() + s * t.stride(d));
        return record("SliceBackward0", t, out, g -> {
            Tensor z = Dispatcher.empty(in, g.dtype(), g.device());
            z.slice(d, s0, s0 + len * step, step).copy_(g);
            return z;
        });
    }

    public static Tensor narrow(Tensor t, int dim, long start, long length) {
        int d = Shapes.normalizeDim(dim, t.dim());
        long size = t.size(d);
        long s = start < 0 ? start + size : start;
        if (s < 0 || s > size || length < 0 || s + length > size) {
            throw new IndexOutOfBoundsException("start (" + start + ") + length (" + length + ") exceeds dimension size (" + size + ").");
        }
        return slice(t, d, s, s + length, 1);
    }

    public static Tensor unfold(Tensor t, int dim, long size, long step) {
        int d = t.dim() == 0 ? 0 : Shapes.normalizeDim(dim, t.dim());
        long len = t.dim() == 0 ? 1 : t.size(d);
        if (size > len) throw new IllegalArgumentException("maximum size for tensor at dimension " + d + " is " + len + " but size is " + size);
        if (step <= 0) throw new IllegalArgumentException("step is " + step + " but must be > 0");
        long windows = (len - size) / step + 1;
        long[] shape = Arrays.copyOf(t.shapeArray(), t.dim() + 1), strides = Arrays.copyOf(t.strideArray(), t.dim() + 1);
        shape[d] = windows;
        strides[d] = t.stride(d) * step;
        shape[t.dim()] = size;
        strides[t.dim()] = t.stride(d);
        long[] in = t.shapeArray().clone();
        int last = t.dim();
        return record("UnfoldBackward0", t, alias(t, shape, strides, t.storageOffset()), g -> {
            Tensor z = Dispatcher.empty(in, g.dtype(), g.device());
            for (long w = 0; w < windows; w++) {
                Tensor window = z.narrow(d, w * step, size);
                window.add_(g.select(d, w).movedim(last - 1, d));
            }
            return z;
        });
    }

    public static Tensor asStrided(Tensor t, long[] size, long[] stride, long storageOffset) {
        if (size.length != stride.length) throw new IllegalArgumentException("mismatch in length of strides and shape");
        long maxOffset = storageOffset;
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 0 || stride[i] < 0) throw new IllegalArgumentException("as_strided: negative size or stride");
            if (size[i] > 0) maxOffset += (size[i] - 1) * stride[i];
        }
        if ((maxOffset + 1) * t.dtype().byteSize() > t.storage().byteSize() && Shapes.numel(size) > 0) {
            throw new IllegalArgumentException("setStorage: sizes " + Arrays.toString(size) + ", strides " + Arrays.toString(stride)
                    + ", storage offset " + storageOffset + " require more storage than the tensor has");
        }
        long[] inShape = t.shapeArray().clone(), inStrides = t.strideArray().clone();
        long inOffset = t.storageOffset();
        Tensor out = alias(t, size.clone(), stride.clone(), storageOffset);
        return record("AsStridedBackward0", t, out, g -> {
            Tensor z = Torch.emptyStrided(inShape, inStrides, g.dtype(), g.device());
            z.zero_();
            // write g through the same geometry relative to z's own storage
            Tensor region = z.asStrided(size, stride, storageOffset - inOffset + z.storageOffset());
            region.add_(g);
            return z;
        });
    }

    /** The view's current value as a fresh view of its base, with AsStridedBackward0 history. */
    static Tensor regenerate(Tensor view) {
        Tensor base = view.viewBase();
        return asStrided(base, view.shapeArray().clone(), view.strideArray().clone(), view.storageOffset());
    }

    public static Tensor cloneContiguous(Tensor t) {
        Tensor out = Dispatcher.cast(t.detach(), t.dtype());
        return record("CloneBackward0", t, out, g -> g);
    }

    public static List<Tensor> split(Tensor t, long splitSize, int dim) {
        int d = Shapes.normalizeDim(dim, t.dim());
        if (splitSize <= 0 && t.size(d) > 0) throw new IllegalArgumentException("split_size can only be 0 if dimension size is 0, but got dimension size of " + t.size(d));
        long size = t.size(d);
        int parts = splitSize == 0 ? 1 : (int) Math.max(1, (size + splitSize - 1) / splitSize);
        long[] sizes = new long[parts];
        for (int i = 0; i < parts; i++) sizes[i] = Math.min(splitSize, size - i * splitSize);
        return splitNamed(t, sizes, d, "SplitBackward0");
    }

    public static List<Tensor> splitWithSizes(Tensor t, long[] sizes, int dim) {
        int d = Shapes.normalizeDim(dim, t.dim());
        long total = 0;
        for (long s : sizes) total += s;
        if (total != t.size(d)) {
            throw new IllegalArgumentException("split_with_sizes expects split_sizes to sum exactly to " + t.size(d)
                    + " (input tensor's size at dimension " + d + "), but got split_sizes=" + Arrays.toString(sizes));
        }
        return splitNamed(t, sizes, d, "SplitWithSizesBackward0");
    }

    public static List<Tensor> chunk(Tensor t, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        int d = Shapes.normalizeDim(dim, t.dim());
        long each = (t.size(d) + chunks - 1) / chunks;
        return split(t, Math.max(each, 1), d);
    }

    private static List<Tensor> splitNamed(Tensor t, long[] sizes, int d, String name) {
        List<Tensor> outs = new ArrayList<>();
        long start = 0;
        for (long s : sizes) {
            long[] shape = t.shapeArray().clone();
            shape[d] = s;
            outs.add(alias(t, shape, t.strideArray().clone(), t.storageOffset() + start * t.stride(d)));
            start += s;
        }
        if (Autograd.needsGrad(t)) {
            FunctionNode n = new FunctionNode(name, outs.size(), t);
            long[] in = t.shapeArray().clone();
            n.backward(gs -> {
                Tensor z = Dispatcher.empty(in, firstNonNull(gs).dtype(), firstNonNull(gs).device());
                long off = 0;
                for (int i = 0; i < gs.length; i++) {
                    if (gs[i] != null) z.narrow(d, off, sizes[i]).copy_(gs[i]);
                    off += sizes[i];
                }
                return new Tensor[]{z};
            });
            for (int i = 0; i < outs.size(); i++) Autograd.record(n, outs.get(i), i);
        }
        return outs;
    }

    private static Tensor firstNonNull(Tensor[] ts) {
        for (Tensor t : ts) if (t != null) return t;
        throw new IllegalStateException("no gradient");
    }

    public static List<Tensor> unbind(Tensor t, int dim) {
        int d = Shapes.normalizeDim(dim, t.dim());
        List<Tensor> outs = new ArrayList<>();
        long[] shape = remove(t.shapeArray(), d), strides = remove(t.strideArray(), d);
        for (long i = 0; i < t.size(d); i++) outs.add(alias(t, shape, strides, t.storageOffset() + i * t.stride(d)));
        if (Autograd.needsGrad(t)) {
            FunctionNode n = new FunctionNode("UnbindBackward0", outs.size(), t);
            long[] in = t.shapeArray().clone();
            n.backward(gs -> {
                Tensor z = Dispatcher.empty(in, firstNonNull(gs).dtype(), firstNonNull(gs).device());
                for (int i = 0; i < gs.length; i++) if (gs[i] != null) z.select(d, i).copy_(gs[i]);
                return new Tensor[]{z};
            });
            for (int i = 0; i < outs.size(); i++) Autograd.record(n, outs.get(i), i);
        }
        return outs;
    }
}
