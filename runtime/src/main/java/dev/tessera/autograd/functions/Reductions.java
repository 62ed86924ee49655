package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.SavedTensor;
import dev.tessera.memory.MemoryScope;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.ReduceOp;
import dev.tessera.tensor.Shapes;

/** sum, mean, prod, max/min, var/std, softmax: forward and backward together. */
public final class Reductions {
    private Reductions() {}

    private static boolean fullReduction(int[] dims) { return dims == null || dims.length == 0; }

    public static Tensor sum(Tensor a, int[] dims, boolean keepdim, DType dtype) {
        DType outType = dtype != null ? dtype : a.dtype().isFloatingPoint() ? a.dtype() : DType.INT64;
        Tensor src = dtype != null && dtype != a.dtype() ? a.to(dtype) : a;
        Tensor out = Dispatcher.reduce(ReduceOp.SUM, src.detach(), dims, keepdim, outType);
        if (!Autograd.needsGrad(src)) return out;
        boolean[] mask = Dispatcher.reducedMask(dims, a.dim());
        long[] inShape = a.shapeArray().clone();
        FunctionNode n = new FunctionNode(fullReduction(dims) ? "SumBackward0" : "SumBackward1", src);
        n.backward1(g -> new Tensor[]{Grads.unsqueezeReduced(g, inShape, mask, keepdim).expand(inShape.clone())});
        return Autograd.record(n, out);
    }

    public static Tensor mean(Tensor a, int[] dims, boolean keepdim) {
        if (!a.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a floating point "
                    + "or complex dtype. Got: " + Dispatcher.typeName(a.dtype()));
        }
        boolean[] mask = Dispatcher.reducedMask(dims, a.dim());
        long count = 1;
        for (int d = 0; d < a.dim(); d++) if (mask[d]) count *= a.size(d);
        Tensor out = Dispatcher.reduce(ReduceOp.SUM, a.detach(), dims, keepdim, a.dtype());
        out = Dispatcher.binary(dev.tessera.ops.BinaryOp.DIV, out, Tensor.wrapNumber((double) count));
        if (!Autograd.needsGrad(a)) return out;
        long[] inShape = a.shapeArray().clone();
        long n0 = count;
        FunctionNode n = new FunctionNode(fullReduction(dims) ? "MeanBackward0" : "MeanBackward1", a);
        n.backward1(g -> new Tensor[]{Grads.unsqueezeReduced(g, inShape, mask, keepdim).expand(inShape.clone()).div((double) n0)});
        return Autograd.record(n, out);
    }

    /** Product over all elements (dim == null) or one dim. Gradient handles zeros exactly. */
    public static Tensor prod(Tensor a, Integer dim, boolean keepdim) {
        int[] dims = dim == null ? new int[0] : new int[]{dim};
        DType outType = a.dtype().isFloatingPoint() ? a.dtype() : DType.INT64;
        Tensor out = Dispatcher.reduce(ReduceOp.PROD, a.detach(), dims, keepdim, outType);
        if (!Autograd.needsGrad(a)) return out;
        boolean[] mask = Dispatcher.reducedMask(dims, a.dim());
        long[] inShape = a.shapeArray().clone();
        FunctionNode n = new FunctionNode(dim == null ? "ProdBackward0" : "ProdBackward1", a);
        SavedTensor sx = n.save(a);
        n.backward1(g -> {
            Tensor x = sx.get();
            Tensor zero = x.eq(0);
            Tensor ones = Torch.onesLike(x);
            // product of the other elements = prod(nonzero) / x where x != 0; where x == 0 it is prod(nonzero)
            // if x is the only zero, else 0.
            Tensor safe = Dispatcher.where(zero, ones, x);
            Tensor prodNonZero = Dispatcher.reduce(ReduceOp.PROD, safe, dims, true, x.dtype());
            Tensor zeros = Dispatcher.reduce(ReduceOp.SUM, zero.to(DType.INT64), dims, true, DType.INT64);
            Tensor others = Dispatcher.where(zero, prodNonZero.mul(zeros.eq(1).to(x.dtype())),
                    prodNonZero.mul(zeros.eq(0).to(x.dtype())).div(safe));
            return new Tensor[]{Grads.unsqueezeReduced(g, inShape, mask, keepdim).expand(inShape.clone()).mul(others)};
        });
        return Autograd.record(n, out);
    }

    /** Full max()/min(): gradient shared evenly among tied maxima (PyTorch's evenly_distribute_backward). */
    public static Tensor extreme(Tensor a, boolean max) {
        if (a.numel() == 0) {
            throw new IllegalArgumentException((max ? "max" : "min") + "(): Expected reduction dim to be specified for "
                    + "input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        }
        Tensor out = Dispatcher.reduce(max ? ReduceOp.MAX : ReduceOp.MIN, a.detach(), new int[0], false, a.dtype());
        if (!Autograd.needsGrad(a)) return out;
        FunctionNode n = new FunctionNode(max ? "MaxBackward1" : "MinBackward1", a);
        SavedTensor sx = n.save(a), sy = n.saveOutput(out);
        n.backward1(g -> new Tensor[]{evenly(g, sx.get(), sy.get())});
        return Autograd.record(n, out);
    }

    private static Tensor evenly(Tensor g, Tensor x, Tensor value) {
        boolean nanMax = Double.isNaN(value.item().doubleValue());
        Tensor hit = nanMax ? x.isnan() : x.eq(value);
        Tensor count = Dispatcher.reduce(ReduceOp.SUM, hit.to(DType.INT64), new int[0], false, DType.INT64);
        return Dispatcher.where(hit, g.div(count), Torch.zerosLike(x));
    }

    /** amax/amin over dims: gradient shared evenly among ties within each reduced slice. */
    public static Tensor amax(Tensor a, boolean max, int[] dims, boolean keepdim) {
        Tensor out = Dispatcher.reduce(max ? ReduceOp.MAX : ReduceOp.MIN, a.detach(), dims, keepdim, a.dtype());
        if (!Autograd.needsGrad(a)) return out;
        boolean[] mask = Dispatcher.reducedMask(dims, a.dim());
        long[] inShape = a.shapeArray().clone();
        FunctionNode n = new FunctionNode(max ? "AmaxBackward0" : "AminBackward0", a);
        SavedTensor sx = n.save(a), sy = n.saveOutput(out);
        n.backward1(g -> {
            Tensor y = Grads.unsqueezeReduced(sy.get(), inShape, mask, keepdim);
            Tensor hit = sx.get().eq(y);
            Tensor count = Dispatcher.reduce(ReduceOp.SUM, hit.to(g.dtype()), dims, true, g.dtype());
            Tensor gg = Grads.unsqueezeReduced(g, inShape, mask, keepdim);
            return new Tensor[]{Dispatcher.where(hit, gg.div(count), Torch.zerosLike(sx.get()))};
        });
        return Autograd.record(n, out);
    }

    /** max(dim)/min(dim): values and int64 indices; gradient flows to the selected index. */
    public static Tensor.ValuesIndices extremeDim(Tensor a, boolean max, int dim, boolean keepdim) {
        int d = Shapes.normalizeDim(dim, a.dim());
        Tensor indices = Dispatcher.argReduce(max, a, dim, true);
        Tensor values = Indexing.gatherRaw(a.detach(), d, indices);
        if (!keepdim && a.dim() > 0) {
            // fresh results, not views: re-shape without giving them a view base
            values = dropDim(values, d);
            indices = dropDim(indices, d);
        }
        if (Autograd.needsGrad(a)) {
            FunctionNode n = new FunctionNode(max ? "MaxBackward0" : "MinBackward0", a);
            long[] inShape = a.shapeArray().clone();
            SavedTensor si = n.save(indices); // as PyTorch saves result1; released after backward
            n.backward1(g -> {
                Tensor gg = keepdim || inShape.length == 0 ? g : g.unsqueeze(d);
                Tensor idx = si.get(), ii = keepdim || inShape.length == 0 ? idx : idx.unsqueeze(d);
                return new Tensor[]{Indexing.scatterInto(Torch.zeros(inShape, g.dtype(), g.device()), d, ii, gg)};
            });
            Autograd.record(n, values);
        }
        return new Tensor.ValuesIndices(values, indices);
    }

    private static Tensor dropDim(Tensor fresh, int d) {
        long[] shape = new long[fresh.dim() - 1];
        for (int i = 0, j = 0; i < fresh.dim(); i++) if (i != d) shape[j++] = fresh.size(i);
        return Tensor.fromStorage(fresh.storage(), fresh.dtype(), shape, Shapes.contiguousStrides(shape), fresh.storageOffset());
    }

    public static Tensor var(Tensor a, int[] dims, int correction, boolean keepdim) {
        return varStd(a, dims, correction, keepdim, false);
    }

    public static Tensor std(Tensor a, int[] dims, int correction, boolean keepdim) {
        return varStd(a, dims, correction, keepdim, true);
    }

    private static Tensor varStd(Tensor a, int[] dims, int correction, boolean keepdim, boolean sqrt) {
        if (!a.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException((sqrt ? "std" : "var") + "(): input dtype should be floating point, got "
                    + Dispatcher.typeName(a.dtype()));
        }
        boolean[] mask = Dispatcher.reducedMask(dims, a.dim());
        long count = 1;
        for (int d = 0; d < a.dim(); d++) if (mask[d]) count *= a.size(d);
        Tensor x = a.detach();
        // Two passes in float64 for accuracy, rounded to the input dtype at the end.
        Tensor xd = Dispatcher.cast(x, DType.FLOAT64);
        Tensor mean = Dispatcher.reduce(ReduceOp.SUM, xd, dims, true, DType.FLOAT64).div((double) count);
        Tensor centered = xd.sub(mean);
        Tensor ss = Dispatcher.reduce(ReduceOp.SUM, centered.mul(centered), dims, keepdim, DType.FLOAT64);
        Tensor v = ss.div((double) Math.max(count - correction, 0));
        Tensor out = Dispatcher.cast(sqrt ? v.sqrt() : v, a.dtype());
        if (!Autograd.needsGrad(a)) return out;
        long[] inShape = a.shapeArray().clone();
        long denom = Math.max(count - correction, 0), n0 = count;
        FunctionNode n = new FunctionNode(sqrt ? "StdBackward0" : "VarBackward0", a);
        SavedTensor sx = n.save(a), sy = sqrt ? n.saveOutput(out) : null;
        n.backward1(g -> {
            Tensor xx = sx.get();
            Tensor m = Dispatcher.reduce(ReduceOp.SUM, xx, dims, true, xx.dtype()).div((double) n0);
            Tensor gg = Grads.unsqueezeReduced(g, inShape, mask, keepdim);
            Tensor gv = gg.mul(xx.sub(m)).mul(2.0 / denom);
            if (sqrt) gv = gv.div(Grads.unsqueezeReduced(sy.get(), inShape, mask, keepdim).mul(2.0));
            return new Tensor[]{gv};
        });
        return Autograd.record(n, out);
    }

    public static Tensor softmax(Tensor a, int dim) {
        Tensor x = a.dtype().isFloatingPoint() ? a.detach() : a.detach().to(DType.defaultFloat());
        int d = Shapes.normalizeDim(dim, x.dim());
        Tensor out = Dispatcher.output(x.shapeArray(), x.dtype(), x.device());
        // Other layouts and dtypes: the shifted and exponentiated temporaries never escape, so free
        // them (back to the block pool) as soon as the output is written, not at a collection.
        if (!rowKernel(x, d, out, false)) {
            try (MemoryScope temporaries = MemoryScope.open()) {
                Tensor shifted = x.sub(Dispatcher.reduce(ReduceOp.MAX, x, new int[]{d}, true, x.dtype()));
                Tensor e = shifted.exp();
                Dispatcher.binary(dev.tessera.ops.BinaryOp.DIV, e, Dispatcher.reduce(ReduceOp.SUM, e, new int[]{d}, true, e.dtype()), out);
            }
        }
        if (!Autograd.needsGrad(a)) return out;
        FunctionNode n = new FunctionNode("SoftmaxBackward0", a);
        SavedTensor sy = n.saveOutput(out);
        n.backward1(g -> {
            Tensor y = sy.get();
            Tensor dot = Dispatcher.reduce(ReduceOp.SUM, g.mul(y), new int[]{d}, true, y.dtype());
            return new Tensor[]{y.mul(g.sub(dot))};
        });
        return Autograd.record(n, out);
    }

    /** Contiguous input over the last dimension: the backend's fused row kernel, if it has one for the dtype. */
    private static boolean rowKernel(Tensor x, int d, Tensor out, boolean log) {
        if (d != x.dim() - 1 || !x.isContiguous() || x.dim() == 0) return false;
        long cols = x.size(d);
        if (cols == 0) return true;
        return Dispatcher.backend(x.device()).softmaxLastDim(out.strided(), x.strided(), x.numel() / cols, cols, log);
    }

    public static Tensor logSoftmax(Tensor a, int dim) {
        Tensor x = a.dtype().isFloatingPoint() ? a.detach() : a.detach().to(DType.defaultFloat());
        int d = Shapes.normalizeDim(dim, x.dim());
        Tensor out = Dispatcher.output(x.shapeArray(), x.dtype(), x.device());
        if (!rowKernel(x, d, out, true)) {
            try (MemoryScope temporaries = MemoryScope.open()) {
                Tensor shifted = x.sub(Dispatcher.reduce(ReduceOp.MAX, x, new int[]{d}, true, x.dtype()));
                Tensor lse = Dispatcher.reduce(ReduceOp.SUM, shifted.exp(), new int[]{d}, true, x.dtype()).log();
                Dispatcher.binary(dev.tessera.ops.BinaryOp.SUB, shifted, lse, out);
            }
        }
        if (!Autograd.needsGrad(a)) return out;
        FunctionNode n = new FunctionNode("LogSoftmaxBackward0", a);
        SavedTensor sy = n.saveOutput(out);
        n.backward1(g -> {
            Tensor gsum = Dispatcher.reduce(ReduceOp.SUM, g, new int[]{d}, true, g.dtype());
            return new Tensor[]{g.sub(sy.get().exp().mul(gsum))};
        });
        return Autograd.record(n, out);
    }
}
