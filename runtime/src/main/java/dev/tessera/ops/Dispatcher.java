package dev.tessera.ops;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.tensor.Shapes;
import dev.tessera.tensor.Storage;
import java.util.Arrays;

/**
 * The one path from tensors to kernels: resolves broadcasting and type promotion, allocates
 * outputs, picks the backend of the operands' device, and bumps the version counter of every
 * tensor written in place. Knows nothing of autograd; differentiable ops in
 * {@code dev.tessera.autograd.functions} call it.
 */
public final class Dispatcher {
    private Dispatcher() {}

    /** The kernels of {@code device}, from the {@link Backends} registry. */
    public static Backend backend(Device device) {
        return Backends.of(device);
    }

    /**
     * The device an op on these operands runs on: that of the operands other than CPU scalars
     * (0-d CPU tensors and Python numbers may join tensors of any device, as in PyTorch); all of
     * those must agree.
     */
    private static Device commonDevice(Tensor... ts) {
        Device d = null;
        for (Tensor t : ts) {
            if (isCpuScalar(t)) continue;
            if (d == null) {
                d = t.device();
            } else if (!t.device().equals(d)) {
                throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least two devices, "
                        + d + " and " + t.device() + "!");
            }
        }
        return d != null ? d : ts[0].device();
    }

    private static boolean isCpuScalar(Tensor t) { return t.device().isCpu() && (t.isWrappedNumber() || t.dim() == 0); }

    private static Backend backendOf(Tensor... ts) { return backend(commonDevice(ts)); }

    /** A CPU scalar operand copied to the op's device (kernels read every operand from their own device's memory). */
    private static Tensor on(Tensor t, Device device) { return t.device().equals(device) ? t : transfer(t, device); }

    // ---- allocation -------------------------------------------------------------------------

    private static final ThreadLocal<Object> TRANSIENT_OWNER = new ThreadLocal<>();

    /**
     * Until restored, storages allocated on this thread carry {@code owner} as their
     * {@link Storage#transientOwner()} (null: none). Returns the previous owner, to restore.
     */
    public static Object ownNewStorages(Object owner) {
        Object previous = TRANSIENT_OWNER.get();
        if (owner == null) TRANSIENT_OWNER.remove(); else TRANSIENT_OWNER.set(owner);
        return previous;
    }

    /**
     * Hands {@code storage}'s memory back to its device now; the caller guarantees no tensor over it
     * is used again (see {@link Backend#recycle}). Returns whether the device took it.
     */
    public static boolean recycle(Storage storage) {
        java.util.Objects.requireNonNull(storage, "recycle: storage is null");
        return backend(storage.device()).recycle(storage.segment());
    }

    /** A new zero-filled contiguous tensor. */
    public static Tensor empty(long[] shape, DType dtype, Device device) {
        return allocate(shape, dtype, device, true);
    }

    /** A new contiguous tensor whose every element the caller's kernel is about to write. */
    public static Tensor output(long[] shape, DType dtype, Device device) {
        return allocate(shape, dtype, device, false);
    }

    private static Tensor allocate(long[] shape, DType dtype, Device device, boolean zeroed) {
        long n = Shapes.numel(shape);
        long bytes = Math.multiplyExact(n, (long) dtype.byteSize());
        Backend be = backend(device);
        Storage storage = new Storage(zeroed ? be.allocate(bytes) : be.allocateUninitialized(bytes), device, null);
        Object owner = TRANSIENT_OWNER.get();
        if (owner != null) storage.setTransientOwner(owner);
        return Tensor.fromStorage(storage, dtype, shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    public static Tensor full(long[] shape, DType dtype, Device device, Number value) {
        boolean zero = (value instanceof Double || value instanceof Float) ? Double.doubleToRawLongBits(value.doubleValue()) == 0
                : value.longValue() == 0;
        Tensor t = zero ? empty(shape, dtype, device) : output(shape, dtype, device);
        if (value instanceof Double || value instanceof Float) {
            double v = value.doubleValue();
            if (v != 0 || Double.doubleToRawLongBits(v) != 0) backend(device).fill(t.strided(), v);
        } else {
            long v = value.longValue();
            if (v != 0) backend(device).fillLong(t.strided(), v);
        }
        return t;
    }

    // ---- elementwise -------------------------------------------------------------------------

    /** A view of {@code t}'s layout stretched to {@code shape} (stride 0 on broadcast dims). */
    public static Strided expandedView(Tensor t, long[] shape) {
        long[] strides = Shapes.expandStrides(t.shapeArray(), t.strideArray(), shape.clone());
        return new Strided(t.storage().segment(), t.dtype(), t.storageOffset(), shape, strides);
    }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return binary(op, a, b, null);
    }

    /**
     * op(a, b) into {@code out} when given (PyTorch's {@code out=}: its shape must be the broadcast
     * shape and the result type must cast to its dtype), else into a new tensor.
     */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        DType compute = TypePromotion.resultType(a, b);
        if (op == BinaryOp.DIV && !compute.isFloatingPoint()) compute = DType.defaultFloat();
        if (op == BinaryOp.SUB && compute == DType.BOOL) {
            throw new IllegalArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. "
                    + "Use the `^` or `logical_xor()` operator instead.");
        }
        // As PyTorch's sub_check: one bool operand is enough to refuse (bool - 3, 3 - bool).
        if (op == BinaryOp.SUB && (a.dtype() == DType.BOOL || b.dtype() == DType.BOOL)) {
            throw new IllegalArgumentException("Subtraction, the `-` operator, with a bool tensor is not supported. "
                    + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        }
        DType outType = op.boolResult() ? DType.BOOL : compute;
        long[] shape = Shapes.broadcast(a.shapeArray(), b.shapeArray());
        Device device = commonDevice(a, b);
        Backend be = backend(device);
        a = on(scalarIn(a, compute), device);
        b = on(scalarIn(b, compute), device);
        if (out == null) {
            out = output(shape, outType, device);
        } else {
            checkOut(out, shape, outType);
        }
        be.binary(op, out.strided(), expandedView(a, shape), expandedView(b, shape), compute);
        return out;
    }

    /**
     * A Python-number operand converted to the op's computation type up front, as PyTorch converts
     * CPU scalars, so kernels see one dtype (and the SIMD paths apply to {@code t.mul(2)}).
     */
    private static Tensor scalarIn(Tensor t, DType compute) {
        if (t.dtype() == compute || t.dim() != 0 || !(t.isWrappedNumber() && compute.isFloatingPoint())) return t;
        return cast(t, compute);
    }

    /** Validates a caller-provided output and counts the write as an in-place change of it. */
    private static void checkOut(Tensor out, long[] shape, DType resultType) {
        if (!Arrays.equals(out.shapeArray(), shape)) {
            throw new IllegalArgumentException("out= tensor has shape " + Arrays.toString(out.shapeArray())
                    + " but the result has shape " + Arrays.toString(shape));
        }
        if (!TypePromotion.canCast(resultType, out.dtype())) {
            throw new IllegalArgumentException("result type " + typeName(resultType) + " can't be cast to the desired output type "
                    + typeName(out.dtype()));
        }
        if (out.requiresGrad()) {
            throw new IllegalStateException("functions with out=... arguments don't support automatic differentiation, but one "
                    + "of the arguments requires grad.");
        }
        out.storage().bumpVersion();
    }

    /** self = op(self, other), computed in the promoted type, which must be castable to self's dtype. */
    public static void binaryInPlace(BinaryOp op, Tensor self, Tensor other) {
        DType compute = TypePromotion.resultType(self, other);
        if (op == BinaryOp.DIV && !compute.isFloatingPoint()) compute = DType.defaultFloat();
        DType outType = op.boolResult() ? DType.BOOL : compute;
        if (!TypePromotion.canCast(outType, self.dtype())) {
            throw new IllegalArgumentException("result type " + typeName(outType) + " can't be cast to the desired output type "
                    + typeName(self.dtype()));
        }
        long[] shape = Shapes.broadcast(self.shapeArray(), other.shapeArray());
        if (!Arrays.equals(shape, self.shapeArray())) {
            throw new IllegalArgumentException("output with shape " + Arrays.toString(self.shapeArray())
                    + " doesn't match the broadcast shape " + Arrays.toString(shape));
        }
        Strided s = self.strided();
        Device device = commonDevice(self, other);
        if (!device.equals(self.device())) {
            throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least two devices, "
                    + self.device() + " and " + device + "!");
        }
        backend(device).binary(op, s, s, expandedView(on(scalarIn(other, compute), device), shape), compute);
        self.storage().bumpVersion();
    }

    /** c10's ScalarType names used in PyTorch's error messages ("Float", "Long", ...). */
    public static String typeName(DType t) {
        return switch (t) {
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
            case FLOAT16 -> "Half";
            case BFLOAT16 -> "BFloat16";
            case INT64 -> "Long";
            case INT32 -> "Int";
            case INT16 -> "Short";
            case INT8 -> "Char";
            case UINT8 -> "Byte";
            case BOOL -> "Bool";
        };
    }

    public static Tensor unary(UnaryOp op, Tensor a) {
        return unary(op, a, null);
    }

    /** op(a) into {@code out} when given (PyTorch's {@code out=}), else into a new tensor. */
    public static Tensor unary(UnaryOp op, Tensor a, Tensor out) {
        DType outType = op.keepsIntegers() ? a.dtype() : TypePromotion.floatingResult(a.dtype());
        if (op.keepsIntegers() && a.dtype() == DType.BOOL && op != UnaryOp.ABS) {
            throw new IllegalArgumentException(op.opName() + " is not supported for bool tensors");
        }
        if (out == null) out = output(a.shapeArray(), outType, a.device());
        else if (out.dtype() != outType) {
            Tensor tmp = unary(op, a, null);
            copyInto(out, tmp);
            return out;
        } else checkOut(out, a.shapeArray(), outType);
        Strided in = outType == a.dtype() ? a.strided() : cast(a, outType).strided();
        backend(a.device()).unary(op, out.strided(), in);
        return out;
    }

    /** ReLU's gradient: g where the forward output y is > 0 (or NaN), +0 elsewhere, in g's dtype. */
    public static Tensor reluBackward(Tensor g, Tensor y) {
        Device device = commonDevice(g, y);
        long[] shape = Shapes.broadcast(g.shapeArray(), y.shapeArray());
        Tensor out = output(shape, g.dtype(), device);
        Tensor yc = y.dtype() == g.dtype() ? y : cast(y, g.dtype());
        backend(device).reluBackward(out.strided(), expandedView(g, shape), expandedView(yc, shape));
        return out;
    }

    public static void unaryInPlace(UnaryOp op, Tensor self) {
        if (!op.keepsIntegers() && !self.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("result type Float can't be cast to the desired output type " + typeName(self.dtype()));
        }
        Strided s = self.strided();
        backend(self.device()).unary(op, s, s);
        self.storage().bumpVersion();
    }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL && cond.dtype() != DType.UINT8) {
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype "
                    + typeName(cond.dtype()));
        }
        DType outType = TypePromotion.resultType(a, b);
        long[] shape = Shapes.broadcast(cond.shapeArray(), Shapes.broadcast(a.shapeArray(), b.shapeArray()));
        Device device = commonDevice(cond, a, b);
        Tensor out = output(shape, outType, device);
        Tensor ac = on(a.dtype() == outType ? a : cast(a, outType), device), bc = on(b.dtype() == outType ? b : cast(b, outType), device);
        cond = on(cond, device);
        backend(device).where(out.strided(), expandedView(cond, shape), expandedView(ac, shape), expandedView(bc, shape));
        return out;
    }

    // ---- copies and casts --------------------------------------------------------------------

    /** A new contiguous tensor with {@code t}'s values converted to {@code dtype}. */
    public static Tensor cast(Tensor t, DType dtype) {
        Tensor out = output(t.shapeArray(), dtype, t.device());
        backend(t.device()).copy(out.strided(), t.strided());
        return out;
    }

    /** dst[...] = src, broadcasting src to dst's shape and converting dtype. */
    public static void copyInto(Tensor dst, Tensor src) {
        if (!dst.device().equals(src.device())) {
            copyInto(dst, transfer(src, dst.device()));
            return;
        }
        long[] shape = dst.shapeArray();
        Strided from = expandedView(src, shape);
        backend(dst.device()).copy(dst.strided(), from);
        dst.storage().bumpVersion();
    }

    /**
     * A contiguous copy of {@code t} on {@code target} (t itself when already there). Between host
     * and a device the device's backend copies; between two devices the data goes through the host.
     */
    public static Tensor transfer(Tensor t, Device target) {
        if (t.device().equals(target)) return t;
        Tensor src = t.contiguous();
        if (!src.device().isCpu() && !target.isCpu()) return transfer(transfer(src, Device.CPU), target);
        Tensor out = output(src.shapeArray(), src.dtype(), target);
        if (target.isCpu()) backend(src.device()).copyToHost(out.strided(), src.strided());
        else backend(target).copyFromHost(out.strided(), src.strided());
        return out;
    }

    /**
     * Moves elements between {@code base}'s storage (addressed by the int64 element offsets in
     * {@code offsets}, on base's device, one per element of {@code dense}) and the contiguous
     * {@code dense}: gather when {@code toDense}, else scatter (adding when {@code accumulate}).
     * Version counters are the caller's business.
     */
    public static void moveElements(Tensor base, Tensor offsets, Tensor dense, boolean accumulate, boolean toDense) {
        Backend be = backendOf(base, dense, offsets);
        Storage st = base.storage();
        Strided whole = new Strided(st.segment(), base.dtype(), 0, new long[]{st.byteSize() / base.dtype().byteSize()}, new long[]{1});
        if (toDense) be.gatherElements(dense.strided(), whole, offsets.strided());
        else be.scatterElements(whole, offsets.strided(), dense.strided(), accumulate);
    }

    /** torch.nonzero for a tensor of rank >= 1: [count, rank] int64 coordinates, on t's device (the count is read back). */
    public static Tensor nonzero(Tensor t) {
        if (t.dim() == 0) throw new IllegalArgumentException("nonzero scans a tensor of rank >= 1");
        long count = t.ne(0).sum().item().longValue();
        Tensor out = output(new long[]{count, t.dim()}, DType.INT64, t.device());
        backend(t.device()).nonzero(out.strided(), t.contiguous().strided());
        return out;
    }

    /**
     * Advanced indexing's element offsets into {@code target}'s storage, computed on its device
     * (see {@link Backend#indexOffsets}): the result has {@code shape}; result dim j walks the
     * target at {@code baseStrides[j]} (0 on the indexed dims), and index k (int64, on the
     * target's device) is read at {@code indexStrides[k]} (in result dims) and selects along the
     * target's dim {@code dims[k]}.
     */
    public static Tensor indexOffsets(Tensor target, long[] shape, long[] baseStrides, Tensor[] indices, long[][] indexStrides,
            int[] dims) {
        Tensor offsets = output(shape, DType.INT64, target.device());
        Strided base = new Strided(target.storage().segment(), target.dtype(), target.storageOffset(), shape, baseStrides);
        Strided[] idx = new Strided[indices.length];
        long[] sizes = new long[indices.length], strides = new long[indices.length];
        for (int k = 0; k < indices.length; k++) {
            Tensor t = indices[k];
            if (t.dtype() != DType.INT64 || !t.device().equals(target.device())) {
                throw new IllegalArgumentException("index " + k + " must be int64 on " + target.device() + ", got " + t.dtype()
                        + " on " + t.device());
            }
            idx[k] = new Strided(t.storage().segment(), DType.INT64, t.storageOffset(), shape, indexStrides[k]);
            sizes[k] = target.size(dims[k]);
            strides[k] = target.stride(dims[k]);
        }
        int[] ordinals = java.util.stream.IntStream.range(0, indices.length).toArray(); // what PyTorch's message names
        backend(target.device()).indexOffsets(offsets.strided(), base, idx, ordinals, sizes, strides);
        return offsets;
    }

    /**
     * out = {@code src} gathered along {@code dim} at {@code index} (int64, out's shape, on src's
     * device): out[..., i, ...] = src[..., index[..., i, ...], ...]; index.size(k) may not exceed
     * src.size(k) for k != dim.
     */
    public static Tensor gatherAlong(Tensor src, int dim, Tensor index) {
        checkAlong("gather", src, dim, index);
        long[] shape = index.shapeArray().clone();
        Tensor out = output(shape, src.dtype(), src.device());
        long[] strides = src.strideArray().clone();
        strides[dim] = 0;
        Strided s = new Strided(src.storage().segment(), src.dtype(), src.storageOffset(), shape, strides);
        backendOf(src, index).gatherAlong(out.strided(), s, index.strided(), dim, src.size(dim), src.stride(dim));
        return out;
    }

    /**
     * target[..., index[..., i, ...], ...] = values[..., i, ...] along {@code dim} (or += when
     * {@code accumulate}); values has index's shape. Returns target, its version bumped.
     */
    public static Tensor scatterAlong(Tensor target, int dim, Tensor index, Tensor values, boolean accumulate) {
        checkAlong("scatter", target, dim, index);
        if (!Arrays.equals(values.shapeArray(), index.shapeArray())) {
            throw new IllegalArgumentException("scatter: values of shape " + Arrays.toString(values.shapeArray())
                    + " do not match index of shape " + Arrays.toString(index.shapeArray()));
        }
        long[] shape = index.shapeArray();
        long[] strides = target.strideArray().clone();
        strides[dim] = 0;
        Strided d = new Strided(target.storage().segment(), target.dtype(), target.storageOffset(), shape, strides);
        Tensor v = values.dtype() == target.dtype() ? values : cast(values, target.dtype());
        backendOf(target, index, v).scatterAlong(d, v.strided(), index.strided(), dim, target.size(dim), target.stride(dim), accumulate);
        target.storage().bumpVersion();
        return target;
    }

    private static void checkAlong(String op, Tensor self, int dim, Tensor index) {
        if (dim < 0 || dim >= self.dim()) { // a 0-d tensor has no dim: callers view it as 1-element
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for a tensor of rank " + self.dim()
                    + " (normalize it and view 0-d tensors as 1-element ones first)");
        }
        if (index.dtype() != DType.INT64) throw new IllegalArgumentException(op + "(): Expected dtype int64 for index");
        if (index.dim() != self.dim()) {
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as " + op + " tensor");
        }
        for (int k = 0; k < self.dim(); k++) {
            if (k != dim && index.size(k) > self.size(k)) {
                throw new IllegalArgumentException("Size does not match at dimension " + k + " expected index "
                        + Arrays.toString(index.shapeArray()) + " to be smaller than self " + Arrays.toString(self.shapeArray())
                        + " apart from dimension " + dim);
            }
        }
    }

    public static void fillInPlace(Tensor self, Number value) {
        boolean floating = value instanceof Double || value instanceof Float;
        if (floating) backend(self.device()).fill(self.strided(), value.doubleValue());
        else backend(self.device()).fillLong(self.strided(), value.longValue());
        self.storage().bumpVersion();
        // +0 everywhere (not -0.0) over the whole storage: accumulations may skip reading it (see addZeroInto)
        boolean zeroBits = floating ? Double.doubleToRawLongBits(value.doubleValue()) == 0 : value.longValue() == 0;
        if (zeroBits && coversStorage(self)) self.storage().markAllZero();
    }

    /** Whether the tensor is its storage's every element, contiguous from the start. */
    public static boolean coversStorage(Tensor t) {
        return t.isContiguous() && t.storageOffset() == 0 && t.numel() * (long) t.dtype().byteSize() == t.storage().byteSize();
    }

    /**
     * dst = src + 0 in dst's dtype (same shape): the bits of {@code dst.add_(src)} where dst holds
     * only +0 (0 + x is x + 0: -0.0 becomes +0.0, NaN stays NaN), in one pass that does not read dst.
     */
    public static void addZeroInto(Tensor dst, Tensor src) {
        if (!Arrays.equals(dst.shapeArray(), src.shapeArray()) || dst.dtype() != src.dtype() || !dst.device().equals(src.device())) {
            throw new IllegalArgumentException("addZeroInto: " + src + " does not match the layout of " + dst);
        }
        Tensor zero = full(new long[0], dst.dtype(), dst.device(), 0);
        backend(dst.device()).binary(BinaryOp.ADD, dst.strided(), src.strided(), expandedView(zero, dst.shapeArray()), dst.dtype());
        dst.storage().bumpVersion();
    }

    // ---- reductions --------------------------------------------------------------------------

    /**
     * Reduces over {@code dims} (all dims when empty). The output keeps reduced dims as size 1 when
     * {@code keepdim}. {@code outType} is the accumulation/result dtype.
     */
    public static Tensor reduce(ReduceOp op, Tensor t, int[] dims, boolean keepdim, DType outType) {
        int rank = t.dim();
        boolean[] reduced = reducedMask(dims, rank);
        long[] kept = t.shapeArray().clone();
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                if (kept[d] == 0 && (op == ReduceOp.MAX || op == ReduceOp.MIN)) {
                    throw new IllegalArgumentException(op.name().toLowerCase() + "(): Expected reduction dim " + d
                            + " to have non-zero size.");
                }
                kept[d] = 1;
            }
        }
        if (rank == 0 && (op == ReduceOp.MAX || op == ReduceOp.MIN) && t.numel() == 0) {
            throw new IllegalArgumentException("max(): Expected reduction on a non-empty tensor");
        }
        Tensor out = output(kept, outType, t.device());
        backend(t.device()).reduce(op, out.strided(), t.strided(), reduced);
        return keepdim ? out : reshapedFresh(out, squeezedShape(kept, reduced));
    }

    public static boolean[] reducedMask(int[] dims, int rank) {
        boolean[] reduced = new boolean[rank];
        if (dims == null || dims.length == 0) {
            Arrays.fill(reduced, true);
        } else {
            for (int d : dims) {
                int nd = Shapes.normalizeDim(d, rank);
                if (rank == 0) continue;
                if (reduced[nd]) throw new IllegalArgumentException("dim " + nd + " appears multiple times in the list of dims");
                reduced[nd] = true;
            }
        }
        return reduced;
    }

    public static long[] squeezedShape(long[] shape, boolean[] reduced) {
        return java.util.stream.IntStream.range(0, shape.length).filter(i -> !reduced[i]).mapToLong(i -> shape[i]).toArray();
    }

    /** argmax/argmin along {@code dim}, or over the flattened tensor when dim is null. */
    public static Tensor argReduce(boolean max, Tensor t, Integer dim, boolean keepdim) {
        String name = max ? "argmax" : "argmin";
        if (t.numel() == 0) {
            throw new IllegalArgumentException(name + "(): Expected reduction dim to be specified for input.numel() == 0.");
        }
        Tensor src = dim == null ? t.reshape(-1) : t;
        int d = dim == null ? 0 : Shapes.normalizeDim(dim, t.dim());
        if (src.dim() == 0) src = src.reshape(1);
        long[] kept = src.shapeArray().clone();
        kept[d] = 1;
        Tensor out = empty(kept, DType.INT64, t.device());
        backend(t.device()).argReduce(max, out.strided(), src.strided(), d);
        if (dim == null) return reshapedFresh(out, keepdim ? onesLike(t.dim()) : new long[0]);
        if (keepdim || t.dim() == 0) return t.dim() == 0 ? reshapedFresh(out, new long[0]) : out;
        boolean[] mask = new boolean[kept.length];
        mask[d] = true;
        return reshapedFresh(out, squeezedShape(kept, mask));
    }

    /** A new shape over a fresh contiguous result: not a view in autograd's sense (no view base). */
    private static Tensor reshapedFresh(Tensor fresh, long[] shape) {
        return Tensor.fromStorage(fresh.storage(), fresh.dtype(), shape, Shapes.contiguousStrides(shape), fresh.storageOffset());
    }

    private static long[] onesLike(int rank) {
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        return s;
    }

    // ---- matmul ------------------------------------------------------------------------------

    /** a [B, M, K] @ b [B, K, N] (B may be broadcast with stride 0) into a new [B, M, N] tensor. */
    public static Tensor bmm(Tensor a, Tensor b, long[] outShape) {
        return bmm(a, b, outShape, null);
    }

    /** As {@link #bmm(Tensor, Tensor, long[])}, writing into {@code out} ([B, M, N] view) when given. */
    public static Tensor bmm(Tensor a, Tensor b, long[] outShape, Tensor out) {
        DType outType = TypePromotion.resultType(a, b);
        if (a.dtype() != b.dtype()) {
            // PyTorch 1.13's wording (addmm/bmm dtype check)
            throw new IllegalArgumentException("expected scalar type " + typeName(a.dtype()) + " but found " + typeName(b.dtype()));
        }
        if (outType == DType.BOOL) throw new UnsupportedOperationException("\"addmm_impl_cpu_\" not implemented for 'Bool'");
        if (out == null) out = output(outShape, outType, a.device());
        else if (out.dtype() != outType) {
            throw new IllegalArgumentException("expected out= tensor of dtype " + outType.pythonName() + ", got " + out.dtype().pythonName());
        } else checkOut(out, outShape, outType);
        backendOf(a, b).matmul(out.strided(), a.strided(), b.strided());
        return out;
    }
}
