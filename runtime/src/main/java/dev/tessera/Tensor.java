package dev.tessera;

import dev.tessera.autograd.AccumulateGrad;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.Engine;
import dev.tessera.autograd.Node;
import dev.tessera.autograd.functions.Arithmetic;
import dev.tessera.autograd.functions.Indexing;
import dev.tessera.autograd.functions.LinearAlgebra;
import dev.tessera.autograd.functions.Pointwise;
import dev.tessera.autograd.functions.Reductions;
import dev.tessera.autograd.functions.Views;
import dev.tessera.numpy.NDArray;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.Strided;
import dev.tessera.ops.UnaryOp;
import dev.tessera.tensor.Elements;
import dev.tessera.tensor.Shapes;
import dev.tessera.tensor.Storage;
import dev.tessera.tensor.TensorFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A strided view of a {@link Storage}: sizes, strides and an offset, all in elements, so views
 * share memory (PyTorch's TensorImpl). Methods mirror {@code torch.Tensor} in camelCase and
 * delegate to the differentiable ops in {@code dev.tessera.autograd.functions}.
 */
public final class Tensor {
    private final Storage storage;
    private final DType dtype;
    private long[] shape;
    private long[] strides;
    private final long offset;
    private boolean wrappedNumber;

    // autograd state
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private int outputNr;
    private AccumulateGrad accumulator;
    private Tensor viewBase;

    private Tensor(Storage storage, DType dtype, long[] shape, long[] strides, long offset) {
        this.storage = storage;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    /** Low-level: a tensor over existing storage (used by the dispatcher, views and the NumPy bridge). */
    public static Tensor fromStorage(Storage storage, DType dtype, long[] shape, long[] strides, long offset) {
        if (shape.length != strides.length) throw new IllegalArgumentException("shape and strides differ in rank");
        return new Tensor(storage, dtype, shape, strides, offset);
    }

    /** A 0-d tensor standing for a Python number in an op (PyTorch's wrapped number). */
    public static Tensor wrapNumber(Number n) {
        Tensor t;
        if (n instanceof Double || n instanceof Float) t = Dispatcher.full(new long[0], DType.FLOAT64, Device.CPU, n.doubleValue());
        else t = Dispatcher.full(new long[0], DType.INT64, Device.CPU, n.longValue());
        t.wrappedNumber = true;
        return t;
    }

    // ---- metadata -------------------------------------------------------------------------

    public Size shape() { return new Size(shape); }

    /** Same as {@link #shape()}, as torch's size(). */
    public Size size() { return shape(); }

    public long size(int dim) { return shape[Shapes.normalizeDim(dim, shape.length)]; }

    public int dim() { return shape.length; }

    public long numel() { return Shapes.numel(shape); }

    public DType dtype() { return dtype; }

    public Device device() { return storage.device(); }

    public long[] stride() { return strides.clone(); }

    public long stride(int dim) { return strides[Shapes.normalizeDim(dim, shape.length)]; }

    public long storageOffset() { return offset; }

    public boolean isContiguous() { return Shapes.isContiguous(shape, strides); }

    public Storage storage() { return storage; }

    public boolean isWrappedNumber() { return wrappedNumber; }

    public int elementSize() { return dtype.byteSize(); }

    public boolean isFloatingPoint() { return dtype.isFloatingPoint(); }

    public boolean isCuda() { return device().isCuda(); }

    /** The shape array itself (no copy): callers must not modify it. */
    public long[] shapeArray() { return shape; }

    /** The strides array itself (no copy): callers must not modify it. */
    public long[] strideArray() { return strides; }

    /** This tensor as a backend operand. */
    public Strided strided() { return new Strided(storage.segment(), dtype, offset, shape, strides); }

    /** In-place metadata change for t_(), squeeze_(), ... (bumps the version like any in-place op). */
    public void setGeometry(long[] newShape, long[] newStrides) {
        this.shape = newShape;
        this.strides = newStrides;
        storage.bumpVersion();
    }

    // ---- autograd -------------------------------------------------------------------------

    public boolean requiresGrad() { return requiresGrad || gradFn != null; }

    public Tensor requiresGrad_(boolean flag) {
        if (gradFn != null) {
            if (!flag) throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to use "
                    + "a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
            return this;
        }
        if (flag && !dtype.isFloatingPoint()) {
            throw new IllegalStateException("only Tensors of floating point dtype can require gradients");
        }
        requiresGrad = flag;
        return this;
    }

    public Tensor requiresGrad_() { return requiresGrad_(true); }

    public boolean isLeaf() { return gradFn == null; }

    public Tensor grad() { return grad; }

    /** Sets or clears {@code .grad} (as assigning {@code t.grad = ...}). */
    public void setGrad(Tensor g) {
        if (g != null && !java.util.Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("assigned grad has data of a different size");
        }
        this.grad = g;
    }

    public Node gradFn() { return gradFn; }

    public int outputNr() { return outputNr; }

    /** Attaches this tensor to the graph as output {@code nr} of {@code node} (used by ops). */
    public void setHistory(Node node, int nr) {
        this.gradFn = node;
        this.outputNr = nr;
        if (node != null) this.requiresGrad = true;
    }

    /** The AccumulateGrad node of a leaf, created once and reused so gradients accumulate in one place. */
    public AccumulateGrad gradAccumulator() {
        if (accumulator == null) accumulator = Autograd.newAccumulator(this);
        return accumulator;
    }

    /**
     * PyTorch's register_post_accumulate_grad_hook: {@code hook} gets this leaf after backward has
     * accumulated a gradient into its {@code .grad} (hooks run in registration order).
     */
    public AccumulateGrad.HookHandle registerPostAccumulateGradHook(java.util.function.Consumer<Tensor> hook) {
        if (!requiresGrad()) throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        if (!isLeaf()) throw new IllegalStateException("post accumulate grad hooks cannot be registered on non-leaf tensors");
        return gradAccumulator().addPostHook(hook);
    }

    /** Keeps {@code .grad} for a non-leaf tensor after backward. */
    public Tensor retainGrad() {
        if (!requiresGrad()) throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        Autograd.retainGrad(this);
        return this;
    }

    /** The tensor this one is a view of (autograd's view base), or null. */
    public Tensor viewBase() { return viewBase; }

    public void setViewBase(Tensor base) { this.viewBase = base.viewBase != null ? base.viewBase : base; }

    public boolean isView() { return viewBase != null; }

    /** A tensor sharing storage with no autograd history. */
    public Tensor detach() {
        Tensor t = new Tensor(storage, dtype, shape, strides, offset);
        return t;
    }

    public Tensor detach_() {
        if (isView()) throw new IllegalStateException("Can't detach views in-place. Use detach() instead.");
        gradFn = null;
        requiresGrad = false;
        return this;
    }

    public void backward() { backward(null, false); }

    public void backward(Tensor gradient) { backward(gradient, false); }

    public void backward(Tensor gradient, boolean retainGraph) {
        Tensor g = gradient;
        if (g == null) {
            if (numel() != 1) throw new IllegalStateException("grad can be implicitly created only for scalar outputs");
            g = Torch.onesLike(this);
        } else {
            Engine.checkGradShape(this, g);
        }
        Engine.backward(List.of(this), List.of(g.detach()), retainGraph);
    }

    // ---- arithmetic (broadcasting; Number operands act as Python scalars) --------------------

    public Tensor add(Tensor o) { return Arithmetic.add(this, o); }
    public Tensor add(Number o) { return Arithmetic.add(this, wrapNumber(o)); }
    /** this + alpha * o. */
    public Tensor add(Tensor o, Number alpha) { return Arithmetic.add(this, Arithmetic.mul(o, wrapNumber(alpha))); }
    public Tensor sub(Tensor o) { return Arithmetic.sub(this, o); }
    public Tensor sub(Number o) { return Arithmetic.sub(this, wrapNumber(o)); }
    public Tensor mul(Tensor o) { return Arithmetic.mul(this, o); }
    public Tensor mul(Number o) { return Arithmetic.mul(this, wrapNumber(o)); }
    public Tensor div(Tensor o) { return Arithmetic.div(this, o); }
    public Tensor div(Number o) { return Arithmetic.div(this, wrapNumber(o)); }
    public Tensor pow(Number e) { return Arithmetic.pow(this, wrapNumber(e)); }
    public Tensor pow(Tensor e) { return Arithmetic.pow(this, e); }
    /** number - this (Python's {@code n - t}). */
    public Tensor rsub(Number n) { return Arithmetic.sub(wrapNumber(n), this); }
    public Tensor neg() { return Arithmetic.neg(this); }
    public Tensor maximum(Tensor o) { return Arithmetic.maximum(this, o); }
    public Tensor minimum(Tensor o) { return Arithmetic.minimum(this, o); }
    public Tensor remainder(Number o) { return Arithmetic.remainder(this, wrapNumber(o)); }
    public Tensor remainder(Tensor o) { return Arithmetic.remainder(this, o); }
    public Tensor floorDivide(Number o) { return Arithmetic.floorDivide(this, wrapNumber(o)); }
    public Tensor floorDivide(Tensor o) { return Arithmetic.floorDivide(this, o); }

    public Tensor add_(Tensor o) { return Arithmetic.addInPlace(this, o); }
    public Tensor add_(Number o) { return Arithmetic.addInPlace(this, wrapNumber(o)); }
    public Tensor add_(Tensor o, Number alpha) { return Arithmetic.addInPlace(this, o.mul(alpha)); }
    public Tensor sub_(Tensor o) { return Arithmetic.subInPlace(this, o); }
    public Tensor sub_(Number o) { return Arithmetic.subInPlace(this, wrapNumber(o)); }
    public Tensor mul_(Tensor o) { return Arithmetic.mulInPlace(this, o); }
    public Tensor mul_(Number o) { return Arithmetic.mulInPlace(this, wrapNumber(o)); }
    public Tensor div_(Tensor o) { return Arithmetic.divInPlace(this, o); }
    public Tensor div_(Number o) { return Arithmetic.divInPlace(this, wrapNumber(o)); }
    public Tensor pow_(Number e) { return Arithmetic.powInPlace(this, wrapNumber(e)); }
    public Tensor neg_() { return Pointwise.unaryInPlace(UnaryOp.NEG, this); }

    // ---- comparisons (bool results, no gradient) ---------------------------------------------

    public Tensor eq(Tensor o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.EQ, this, o); }
    public Tensor eq(Number o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.EQ, this, wrapNumber(o)); }
    public Tensor ne(Tensor o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.NE, this, o); }
    public Tensor ne(Number o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.NE, this, wrapNumber(o)); }
    public Tensor lt(Tensor o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.LT, this, o); }
    public Tensor lt(Number o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.LT, this, wrapNumber(o)); }
    public Tensor le(Tensor o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.LE, this, o); }
    public Tensor le(Number o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.LE, this, wrapNumber(o)); }
    public Tensor gt(Tensor o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.GT, this, o); }
    public Tensor gt(Number o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.GT, this, wrapNumber(o)); }
    public Tensor ge(Tensor o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.GE, this, o); }
    public Tensor ge(Number o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.GE, this, wrapNumber(o)); }
    public Tensor logicalAnd(Tensor o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.LOGICAL_AND, this, o); }
    public Tensor logicalOr(Tensor o) { return Pointwise.compare(dev.tessera.ops.BinaryOp.LOGICAL_OR, this, o); }
    public Tensor logicalNot() { return eq(0); }

    /** torch.allclose: {@code |a - b| <= atol + rtol * |b|} elementwise, NaNs unequal. */
    public boolean allclose(Tensor o) { return allclose(o, 1e-5, 1e-8); }

    public boolean allclose(Tensor o, double rtol, double atol) { return Pointwise.allclose(this, o, rtol, atol); }

    /** torch.equal: same shape and same values. */
    public boolean equal(Tensor o) {
        return java.util.Arrays.equals(shape, o.shape) && (numel() == 0 || eq(o).all().item().longValue() == 1);
    }

    // ---- pointwise math ----------------------------------------------------------------------

    public Tensor exp() { return Pointwise.unary(UnaryOp.EXP, this); }
    public Tensor log() { return Pointwise.unary(UnaryOp.LOG, this); }
    public Tensor log1p() { return Pointwise.unary(UnaryOp.LOG1P, this); }
    public Tensor expm1() { return Pointwise.unary(UnaryOp.EXPM1, this); }
    public Tensor sqrt() { return Pointwise.unary(UnaryOp.SQRT, this); }
    public Tensor rsqrt() { return Pointwise.unary(UnaryOp.RSQRT, this); }
    public Tensor abs() { return Pointwise.unary(UnaryOp.ABS, this); }
    public Tensor relu() { return Pointwise.unary(UnaryOp.RELU, this); }
    public Tensor sigmoid() { return Pointwise.unary(UnaryOp.SIGMOID, this); }
    public Tensor tanh() { return Pointwise.unary(UnaryOp.TANH, this); }
    public Tensor sin() { return Pointwise.unary(UnaryOp.SIN, this); }
    public Tensor cos() { return Pointwise.unary(UnaryOp.COS, this); }
    public Tensor reciprocal() { return Pointwise.unary(UnaryOp.RECIPROCAL, this); }
    public Tensor square() { return Pointwise.unary(UnaryOp.SQUARE, this); }
    public Tensor sign() { return Pointwise.unary(UnaryOp.SIGN, this); }
    public Tensor floor() { return Pointwise.unary(UnaryOp.FLOOR, this); }
    public Tensor ceil() { return Pointwise.unary(UnaryOp.CEIL, this); }
    public Tensor round() { return Pointwise.unary(UnaryOp.ROUND, this); }
    public Tensor trunc() { return Pointwise.unary(UnaryOp.TRUNC, this); }
    public Tensor silu() { return Pointwise.unary(UnaryOp.SILU, this); }
    public Tensor gelu() { return Pointwise.unary(UnaryOp.GELU, this); }
    public Tensor erf() { return Pointwise.unary(UnaryOp.ERF, this); }
    public Tensor relu_() { return Pointwise.unaryInPlace(UnaryOp.RELU, this); }
    public Tensor exp_() { return Pointwise.unaryInPlace(UnaryOp.EXP, this); }
    public Tensor sqrt_() { return Pointwise.unaryInPlace(UnaryOp.SQRT, this); }
    public Tensor abs_() { return Pointwise.unaryInPlace(UnaryOp.ABS, this); }
    public Tensor sigmoid_() { return Pointwise.unaryInPlace(UnaryOp.SIGMOID, this); }
    public Tensor tanh_() { return Pointwise.unaryInPlace(UnaryOp.TANH, this); }
    /** Clamps into [min, max]; either bound may be null. */
    public Tensor clamp(Number min, Number max) { return Pointwise.clamp(this, min, max); }
    public Tensor clampMin(Number min) { return Pointwise.clamp(this, min, null); }
    public Tensor clampMax(Number max) { return Pointwise.clamp(this, null, max); }
    public Tensor clamp_(Number min, Number max) { return Pointwise.clampInPlace(this, min, max); }
    public Tensor where(Tensor condition, Tensor other) { return Pointwise.where(condition, this, other); }
    public Tensor softmax(int dim) { return Reductions.softmax(this, dim); }
    public Tensor logSoftmax(int dim) { return Reductions.logSoftmax(this, dim); }

    // ---- reductions --------------------------------------------------------------------------

    public Tensor sum() { return Reductions.sum(this, new int[0], false, null); }
    public Tensor sum(int dim) { return Reductions.sum(this, new int[]{dim}, false, null); }
    public Tensor sum(int dim, boolean keepdim) { return Reductions.sum(this, new int[]{dim}, keepdim, null); }
    public Tensor sum(int[] dims, boolean keepdim) { return Reductions.sum(this, dims, keepdim, null); }
    public Tensor sum(DType dtype) { return Reductions.sum(this, new int[0], false, dtype); }
    public Tensor mean() { return Reductions.mean(this, new int[0], false); }
    public Tensor mean(int dim) { return Reductions.mean(this, new int[]{dim}, false); }
    public Tensor mean(int dim, boolean keepdim) { return Reductions.mean(this, new int[]{dim}, keepdim); }
    public Tensor mean(int[] dims, boolean keepdim) { return Reductions.mean(this, dims, keepdim); }
    public Tensor prod() { return Reductions.prod(this, null, false); }
    public Tensor prod(int dim) { return Reductions.prod(this, dim, false); }
    public Tensor prod(int dim, boolean keepdim) { return Reductions.prod(this, dim, keepdim); }
    /** Variance with Bessel's correction (unbiased), as torch.var. */
    public Tensor var() { return Reductions.var(this, new int[0], 1, false); }
    public Tensor var(int dim) { return Reductions.var(this, new int[]{dim}, 1, false); }
    public Tensor var(int[] dims, int correction, boolean keepdim) { return Reductions.var(this, dims, correction, keepdim); }
    public Tensor std() { return Reductions.std(this, new int[0], 1, false); }
    public Tensor std(int dim) { return Reductions.std(this, new int[]{dim}, 1, false); }
    public Tensor std(int[] dims, int correction, boolean keepdim) { return Reductions.std(this, dims, correction, keepdim); }
    public Tensor max() { return Reductions.extreme(this, true); }
    public Tensor min() { return Reductions.extreme(this, false); }
    public ValuesIndices max(int dim) { return Reductions.extremeDim(this, true, dim, false); }
    public ValuesIndices max(int dim, boolean keepdim) { return Reductions.extremeDim(this, true, dim, keepdim); }
    public ValuesIndices min(int dim) { return Reductions.extremeDim(this, false, dim, false); }
    public ValuesIndices min(int dim, boolean keepdim) { return Reductions.extremeDim(this, false, dim, keepdim); }
    public Tensor amax(int... dims) { return Reductions.amax(this, true, dims, false); }
    public Tensor amin(int... dims) { return Reductions.amax(this, false, dims, false); }
    public Tensor argmax() { return Dispatcher.argReduce(true, this, null, false); }
    public Tensor argmax(int dim) { return Dispatcher.argReduce(true, this, dim, false); }
    public Tensor argmax(int dim, boolean keepdim) { return Dispatcher.argReduce(true, this, dim, keepdim); }
    public Tensor argmin() { return Dispatcher.argReduce(false, this, null, false); }
    public Tensor argmin(int dim) { return Dispatcher.argReduce(false, this, dim, false); }
    public Tensor argmin(int dim, boolean keepdim) { return Dispatcher.argReduce(false, this, dim, keepdim); }
    public Tensor all() { return Dispatcher.reduce(dev.tessera.ops.ReduceOp.MIN, ne(0), new int[0], false, DType.BOOL); }
    public Tensor any() { return Dispatcher.reduce(dev.tessera.ops.ReduceOp.MAX, ne(0), new int[0], false, DType.BOOL); }

    /** (values, indices) of max/min along a dimension, like PyTorch's named tuple. */
    public record ValuesIndices(Tensor values, Tensor indices) {}

    // ---- linear algebra ----------------------------------------------------------------------

    public Tensor matmul(Tensor o) { return LinearAlgebra.matmul(this, o); }
    public Tensor mm(Tensor o) { return LinearAlgebra.mm(this, o); }
    public Tensor bmm(Tensor o) { return LinearAlgebra.bmm(this, o); }
    public Tensor mv(Tensor v) { return LinearAlgebra.mv(this, v); }
    public Tensor dot(Tensor o) { return LinearAlgebra.dot(this, o); }

    // ---- views and shape ---------------------------------------------------------------------

    public Tensor view(long... shape) { return Views.view(this, shape); }
    public Tensor reshape(long... shape) { return Views.reshape(this, shape); }
    public Tensor viewAs(Tensor other) { return view(other.shape); }
    public Tensor reshapeAs(Tensor other) { return reshape(other.shape); }
    public Tensor flatten() { return Views.flatten(this, 0, -1); }
    public Tensor flatten(int startDim, int endDim) { return Views.flatten(this, startDim, endDim); }
    public Tensor transpose(int d0, int d1) { return Views.transpose(this, d0, d1); }
    public Tensor permute(int... dims) { return Views.permute(this, dims); }
    /** 2-D transpose (0-D and 1-D returned as is), as torch.t. */
    public Tensor t() { return Views.t(this); }
    /** Reversed dimensions, as the {@code .T} property. */
    public Tensor T() { return Views.reverseDims(this); }
    public Tensor mT() { return transpose(-2, -1); }
    public Tensor t_() { return Views.tInPlace(this); }
    public Tensor transpose_(int d0, int d1) { return Views.transposeInPlace(this, d0, d1); }
    public Tensor expand(long... sizes) { return Views.expand(this, sizes); }
    public Tensor expandAs(Tensor other) { return expand(other.shape.clone()); }
    public Tensor squeeze() { return Views.squeeze(this, null); }
    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }
    public Tensor narrow(int dim, long start, long length) { return Views.narrow(this, dim, start, length); }
    public Tensor select(int dim, long index) { return Views.select(this, dim, index); }
    public Tensor slice(int dim, Long start, Long end, long step) { return Views.slice(this, dim, start, end, step); }
    public Tensor unfold(int dim, long size, long step) { return Views.unfold(this, dim, size, step); }
    public Tensor asStrided(long[] size, long[] stride, long storageOffset) { return Views.asStrided(this, size, stride, storageOffset); }
    /** Moves dimension {@code source} to position {@code destination} (a view). */
    public Tensor movedim(int source, int destination) {
        int s = Shapes.normalizeDim(source, dim()), d = Shapes.normalizeDim(destination, dim());
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int i = 0; i < dim(); i++) if (i != s) order.add(i);
        order.add(d, s);
        return permute(order.stream().mapToInt(Integer::intValue).toArray());
    }

    /** torch.isnan: a bool tensor, true where the value is NaN (never for integer dtypes). */
    public Tensor isnan() { return ne(this); }

    public Tensor contiguous() { return isContiguous() ? this : cloneTensor(); }
    public Tensor clone() { return cloneTensor(); }
    private Tensor cloneTensor() { return Views.cloneContiguous(this); }
    public List<Tensor> split(long splitSize, int dim) { return Views.split(this, splitSize, dim); }
    public List<Tensor> split(long splitSize) { return split(splitSize, 0); }
    public List<Tensor> splitWithSizes(long[] sizes, int dim) { return Views.splitWithSizes(this, sizes, dim); }
    public List<Tensor> chunk(int chunks, int dim) { return Views.chunk(this, chunks, dim); }
    public List<Tensor> chunk(int chunks) { return chunk(chunks, 0); }
    public List<Tensor> unbind(int dim) { return Views.unbind(this, dim); }

    // ---- indexing ----------------------------------------------------------------------------

    /** numpy-style {@code t[...]}: views for basic indices, copies for tensor indices. */
    public Tensor index(Index... indices) { return Indexing.index(this, indices); }

    /** {@code t[indices] = value}. */
    public Tensor indexPut_(Index[] indices, Number value) { return Indexing.indexPut(this, indices, wrapNumber(value)); }

    public Tensor indexPut_(Index[] indices, Tensor value) { return Indexing.indexPut(this, indices, value); }

    /** {@code t[mask]} with a bool mask, as a 1-D copy. */
    public Tensor maskedSelect(Tensor mask) { return index(Index.tensor(mask)); }

    public Tensor maskedFill(Tensor mask, Number value) { return Pointwise.where(mask, Torch.fullLike(this, value), this); }

    public Tensor maskedFill_(Tensor mask, Number value) { return indexPut_(new Index[]{Index.tensor(mask)}, value); }

    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }

    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }

    // ---- in-place fills and copies ------------------------------------------------------------

    public Tensor copy_(Tensor src) { return Arithmetic.copyInPlace(this, src); }
    public Tensor fill_(Number value) { return Arithmetic.fillInPlace(this, value); }
    public Tensor zero_() { return fill_(0L); }
    /** Fills with U[from, to) from the default generator, bit-identical to PyTorch's CPU uniform_. */
    public Tensor uniform_(double from, double to) { return Torch.fillRandom(this, Torch.uniformFill(from, to)); }
    public Tensor uniform_() { return uniform_(0, 1); }
    public Tensor normal_(double mean, double std) { return Torch.fillRandom(this, Torch.normalFill(mean, std)); }
    public Tensor normal_() { return normal_(0, 1); }
    public Tensor bernoulli_(double p) { return Torch.fillRandom(this, Torch.bernoulliFill(p)); }
    public Tensor random_(long from, long to) { return Torch.fillRandom(this, Torch.randintFill(from, to)); }

    // ---- conversion ---------------------------------------------------------------------------

    public Tensor to(DType dtype) { return dtype == this.dtype ? this : Arithmetic.toType(this, dtype); }
    public Tensor to(Device device) { return device.equals(device()) ? this : Arithmetic.toDevice(this, device); }
    public Tensor to(String device) { return to(Device.of(device)); }
    public Tensor to(Device device, DType dtype) { return to(device).to(dtype); }
    public Tensor cpu() { return to(Device.CPU); }
    public Tensor cuda() { return to(Device.CUDA); }
    public Tensor float_() { return to(DType.FLOAT32); }
    public Tensor double_() { return to(DType.FLOAT64); }
    public Tensor long_() { return to(DType.INT64); }
    public Tensor int_() { return to(DType.INT32); }
    public Tensor bool_() { return to(DType.BOOL); }
    public Tensor half() { return to(DType.FLOAT16); }

    /** The single value: Double for floating dtypes, Long for integers and bool (0/1). */
    public Number item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        }
        Tensor c = cpu();
        long byteOff = c.offset * dtype.byteSize();
        return dtype.isFloatingPoint() ? (Number) Elements.getDouble(c.storage.segment(), dtype, byteOff)
                : (Number) Elements.getLong(c.storage.segment(), dtype, byteOff);
    }

    /** The longest Java array the JVM allocates (a few below Integer.MAX_VALUE). */
    private static final long MAX_JAVA_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * Row-major copy of the values as doubles.
     *
     * @throws IllegalStateException if the tensor has more elements than a Java array holds
     *         (2^31 - 9), e.g. a stride-0 {@code expand} to 2^62 elements; the message gives the count
     */
    public double[] toDoubleArray() {
        int n = javaArrayLength("toDoubleArray");
        Strided s = cpu().strided();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = Elements.getDouble(s.segment(), dtype, s.byteOffsetOf(i));
        return out;
    }

    /**
     * Row-major copy of the values as floats (rounded from the stored type).
     *
     * @throws IllegalStateException if the tensor has more elements than a Java array holds
     */
    public float[] toFloatArray() {
        int n = javaArrayLength("toFloatArray");
        Strided s = cpu().strided();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) Elements.getDouble(s.segment(), dtype, s.byteOffsetOf(i));
        return out;
    }

    /**
     * Row-major copy of the values as longs.
     *
     * @throws IllegalStateException if the tensor has more elements than a Java array holds
     */
    public long[] toLongArray() {
        int n = javaArrayLength("toLongArray");
        Strided s = cpu().strided();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = Elements.getLong(s.segment(), dtype, s.byteOffsetOf(i));
        return out;
    }

    /** numel() as an array length, checked before anything is copied. */
    private int javaArrayLength(String what) {
        long n = numel();
        if (n > MAX_JAVA_ARRAY) {
            throw new IllegalStateException(what + "(): tensor of shape " + shape() + " has " + n
                    + " elements, too large for a Java array (at most " + MAX_JAVA_ARRAY
                    + "); copy a slice (index/narrow) or read it through numpy()");
        }
        return (int) n;
    }

    /** A NumPy-compatible array sharing this tensor's memory (CPU only; not for tensors requiring grad). */
    public NDArray numpy() {
        if (!device().isCpu()) {
            throw new IllegalStateException("can't convert " + device() + " device type tensor to numpy. Use Tensor.cpu() to copy "
                    + "the tensor to host memory first.");
        }
        if (requiresGrad()) {
            throw new IllegalStateException("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
        }
        if (dtype == DType.BFLOAT16) {
            throw new UnsupportedOperationException("Got unsupported ScalarType BFloat16");
        }
        long size = dtype.byteSize();
        long[] byteStrides = new long[strides.length];
        for (int i = 0; i < strides.length; i++) byteStrides[i] = strides[i] * size;
        long extent = 0;
        for (int i = 0; i < shape.length; i++) if (shape[i] > 0) extent += (shape[i] - 1) * strides[i];
        long bytes = numel() == 0 ? 0 : (extent + 1) * size;
        storage.markExposed(); // NumPy writes it without bumping the version
        return NDArray.wrap(storage.segment().asSlice(offset * size, bytes), dtype, shape.clone(), byteStrides, this);
    }

    /** PyTorch's legacy type name used in autograd errors, e.g. {@code torch.FloatTensor}. */
    public static String legacyTypeName(Tensor t) {
        String base = switch (t.dtype) {
            case FLOAT32 -> "FloatTensor";
            case FLOAT64 -> "DoubleTensor";
            case FLOAT16 -> "HalfTensor";
            case BFLOAT16 -> "BFloat16Tensor";
            case INT64 -> "LongTensor";
            case INT32 -> "IntTensor";
            case INT16 -> "ShortTensor";
            case INT8 -> "CharTensor";
            case UINT8 -> "ByteTensor";
            case BOOL -> "BoolTensor";
        };
        return (t.device().isCuda() ? "torch.cuda." : "torch.") + base;
    }

    /** PyTorch's {@code repr()}: values, then device, dtype and autograd suffixes. */
    @Override
    public String toString() {
        Strided s = cpu().strided();
        TensorFormatter.Reader reader = new TensorFormatter.Reader() {
            public double getDouble(long i) { return Elements.getDouble(s.segment(), dtype, s.byteOffsetOf(i)); }
            public long getLong(long i) { return Elements.getLong(s.segment(), dtype, s.byteOffsetOf(i)); }
        };
        List<String> suffixes = new ArrayList<>(1);
        if (gradFn != null) suffixes.add("grad_fn=<" + gradFn.name() + ">");
        else if (requiresGrad) suffixes.add("requires_grad=True");
        return TensorFormatter.repr(shape, dtype, reader, device().isCpu() ? null : device().toString(), suffixes);
    }
}
