package dev.tessera;

import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.GradMode;
import dev.tessera.autograd.functions.Indexing;
import dev.tessera.autograd.functions.LinearAlgebra;
import dev.tessera.autograd.functions.Pointwise;
import dev.tessera.memory.MemoryScope;
import dev.tessera.numpy.NDArray;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.TypePromotion;
import dev.tessera.ops.cpu.Parallel;
import dev.tessera.random.CpuGenerator;
import dev.tessera.tensor.ArrayData;
import dev.tessera.tensor.Elements;
import dev.tessera.tensor.Shapes;
import dev.tessera.tensor.Storage;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Static entry points mirroring {@code torch.*}. */
public final class Torch {
    private Torch() {}

    // ---- random state ---------------------------------------------------------------------

    /** torch.manual_seed: reseeds the default CPU generator (PyTorch's mt19937). */
    public static void manualSeed(long seed) {
        CpuGenerator.defaultGenerator().manualSeed(seed);
        DEVICE_RANDOM_OFFSET.set(0);
    }

    public static long initialSeed() { return CpuGenerator.defaultGenerator().initialSeed(); }

    // ---- memory, threads, grad mode ------------------------------------------------------------

    /** Opens an explicit memory scope: tensors created on this thread until it closes are freed with it. */
    public static MemoryScope scope() { return MemoryScope.open(); }

    public static void setNumThreads(int n) { Parallel.setNumThreads(n); }

    public static int getNumThreads() { return Parallel.getNumThreads(); }

    public static NoGrad noGrad() { return new NoGrad(false); }

    public static NoGrad enableGrad() { return new NoGrad(true); }

    public static boolean isGradEnabled() { return GradMode.isEnabled(); }

    // ---- creation from data --------------------------------------------------------------------

    /** torch.tensor(data): nested Java arrays (or a boxed number for a 0-d tensor), dtype inferred. */
    public static Tensor tensor(Object data) { return tensor(data, null); }

    public static Tensor tensor(Object data, DType dtype) {
        if (data == null) throw new IllegalArgumentException("Could not infer dtype of NoneType");
        if (data instanceof Number || data instanceof Boolean) {
            DType t = dtype != null ? dtype : data instanceof Boolean ? DType.BOOL
                    : data instanceof Double ? DType.FLOAT64 : data instanceof Float ? DType.FLOAT32 : DType.INT64;
            return full(new long[0], data instanceof Boolean b ? (Number) (b ? 1L : 0L) : (Number) data, t);
        }
        if (!data.getClass().isArray()) {
            throw new IllegalArgumentException("Could not infer dtype of " + data.getClass().getSimpleName());
        }
        DType inferred = ArrayData.inferDType(data);
        DType t = dtype != null ? dtype : inferred;
        long[] shape = ArrayData.shapeOf(data);
        Tensor out = Dispatcher.empty(shape, t, Device.CPU);
        MemorySegment seg = out.storage().segment();
        int size = t.byteSize();
        ArrayData.forEachLeaf(data, shape.length, (i, v) -> {
            if (v instanceof Boolean b) Elements.setLong(seg, t, i * size, b ? 1 : 0);
            else if (v instanceof Double || v instanceof Float) Elements.setDouble(seg, t, i * size, ((Number) v).doubleValue());
            else Elements.setLong(seg, t, i * size, ((Number) v).longValue());
        });
        return out;
    }

    // ---- factories -------------------------------------------------------------------------------

    public static Tensor empty(long... shape) { return empty(shape, DType.defaultFloat()); }

    public static Tensor empty(long[] shape, DType dtype) { return Dispatcher.empty(shape, dtype, Device.CPU); }

    public static Tensor empty(long[] shape, DType dtype, Device device) { return Dispatcher.empty(shape, dtype, device); }

    /** A tensor with explicit strides over fresh storage large enough for them. */
    public static Tensor emptyStrided(long[] shape, long[] strides, DType dtype, Device device) {
        long extent = 0;
        for (int i = 0; i < shape.length; i++) if (shape[i] > 0) extent += (shape[i] - 1) * strides[i];
        long elements = Shapes.numel(shape) == 0 ? 0 : extent + 1;
        Tensor flat = Dispatcher.empty(new long[]{elements}, dtype, device);
        return Tensor.fromStorage(flat.storage(), dtype, shape.clone(), strides.clone(), 0);
    }

    public static Tensor zeros(long... shape) { return zeros(shape, DType.defaultFloat()); }

    public static Tensor zeros(long[] shape, DType dtype) { return Dispatcher.empty(shape, dtype, Device.CPU); }

    public static Tensor zeros(long[] shape, DType dtype, Device device) { return Dispatcher.empty(shape, dtype, device); }

    public static Tensor ones(long... shape) { return ones(shape, DType.defaultFloat()); }

    public static Tensor ones(long[] shape, DType dtype) { return full(shape, 1L, dtype); }

    /** torch.full: dtype inferred from the value (float32 for doubles, int64 for integers, bool for booleans). */
    public static Tensor full(long[] shape, Number value) {
        DType t = value instanceof Double || value instanceof Float ? DType.defaultFloat() : DType.INT64;
        return full(shape, value, t);
    }

    public static Tensor full(long[] shape, boolean value) { return full(shape, value ? 1L : 0L, DType.BOOL); }

    public static Tensor full(long[] shape, Number value, DType dtype) {
        checkShape(shape);
        return Dispatcher.full(shape, dtype, Device.CPU, value);
    }

    private static void checkShape(long[] shape) {
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("Trying to create tensor with negative dimension " + d + ": " + Arrays.toString(shape));
        }
    }

    public static Tensor eye(long n) { return eye(n, n); }

    public static Tensor eye(long n, long m) {
        Tensor t = zeros(n, m);
        Tensor diag = t.asStrided(new long[]{Math.min(n, m)}, new long[]{m + 1}, 0);
        diag.fill_(1L);
        return t;
    }

    public static Tensor arange(long end) { return arange(0, end, 1); }

    public static Tensor arange(long start, long end) { return arange(start, end, 1); }

    public static Tensor arange(long start, long end, long step) {
        if (step == 0) throw new IllegalArgumentException("step must be nonzero");
        long n = Math.max(0, (end - start + step - (step > 0 ? 1 : -1)) / step);
        long[] v = new long[Math.toIntExact(n)];
        for (int i = 0; i < n; i++) v[i] = start + i * step;
        return tensor(v);
    }

    /** Floating arange: float32 values start + i*step computed in double, as PyTorch does. */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0) throw new IllegalArgumentException("step must be nonzero");
        long n = (long) Math.ceil((end - start) / step);
        if (n < 0) throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < n; i++) v[i] = start + i * step;
        return tensor(v, DType.defaultFloat());
    }

    /** torch.linspace (float32), with PyTorch's symmetric two-sided evaluation. */
    public static Tensor linspace(double start, double end, long steps) {
        if (steps < 0) throw new IllegalArgumentException("number of steps must be non-negative");
        float[] v = new float[Math.toIntExact(steps)];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        long half = steps / 2;
        for (int i = 0; i < steps; i++) v[i] = (float) (i < half ? start + step * i : end - step * (steps - i - 1));
        return tensor(v);
    }

    public static Tensor zerosLike(Tensor t) { return Dispatcher.empty(t.shapeArray(), t.dtype(), t.device()); }

    public static Tensor zerosLike(Tensor t, DType dtype) { return Dispatcher.empty(t.shapeArray(), dtype, t.device()); }

    public static Tensor onesLike(Tensor t) { return Dispatcher.full(t.shapeArray(), t.dtype(), t.device(), 1L); }

    public static Tensor onesLike(Tensor t, DType dtype) { return Dispatcher.full(t.shapeArray(), dtype, t.device(), 1L); }

    public static Tensor emptyLike(Tensor t) { return zerosLike(t); }

    public static Tensor fullLike(Tensor t, Number value) { return Dispatcher.full(t.shapeArray(), t.dtype(), t.device(), value); }

    public static Tensor randLike(Tensor t) { return randLike(t, t.dtype()); }

    public static Tensor randLike(Tensor t, DType dtype) { return rand(t.shapeArray(), dtype); }

    public static Tensor randnLike(Tensor t) { return randnLike(t, t.dtype()); }

    /** torch.randint_like: integers in [low, high) with t's shape and dtype. */
    public static Tensor randintLike(Tensor t, long low, long high) { return randint(low, high, t.shapeArray(), t.dtype()); }

    public static Tensor randnLike(Tensor t, DType dtype) { return randn(t.shapeArray(), dtype); }

    // ---- random factories --------------------------------------------------------------------

    public static Tensor rand(long... shape) { return rand(shape, DType.defaultFloat()); }

    public static Tensor rand(long[] shape, DType dtype) {
        checkFloating("rand", dtype);
        return fillRandom(empty(shape, dtype), uniformFill(0, 1));
    }

    public static Tensor randn(long... shape) { return randn(shape, DType.defaultFloat()); }

    public static Tensor randn(long[] shape, DType dtype) {
        checkFloating("randn", dtype);
        return fillRandom(empty(shape, dtype), normalFill(0, 1));
    }

    public static Tensor randint(long low, long high, long... shape) { return randint(low, high, shape, DType.INT64); }

    public static Tensor randint(long low, long high, long[] shape, DType dtype) {
        if (low >= high) throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
        return fillRandom(empty(shape, dtype), randintFill(low, high));
    }

    public static Tensor randperm(long n) { return tensor(CpuGenerator.defaultGenerator().randperm(n)); }

    private static void checkFloating(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new UnsupportedOperationException("\"" + op + "\" not implemented for '" + Dispatcher.typeName(dtype) + "'");
        }
    }

    /** One draw over a contiguous run of {@code n} elements at byte offset {@code off}. */
    @FunctionalInterface
    interface RandomFill {
        void fill(CpuGenerator gen, MemorySegment seg, long off, long n, DType dtype, boolean contiguousTensor);
    }

    /** uniform_ / normal_ keep their parameters visible: devices with their own generators draw them there. */
    record DistributionFill(boolean normal, double a, double b) implements RandomFill {
        @Override
        public void fill(CpuGenerator g, MemorySegment seg, long off, long n, DType dt, boolean contiguous) {
            if (normal) g.normal(seg, off, n, dt, a, b, contiguous);
            else g.uniform(seg, off, n, dt, a, b);
        }
    }

    static RandomFill uniformFill(double from, double to) { return new DistributionFill(false, from, to); }

    static RandomFill normalFill(double mean, double std) { return new DistributionFill(true, mean, std); }

    /**
     * The position in the device generators' streams: (seed, offset) as PyTorch's Philox state. The
     * seed is the default generator's; manualSeed restarts the offset. Each fill advances it by its
     * element count rounded up to a multiple of 4 (one Philox block), so fills draw disjoint values.
     */
    private static final java.util.concurrent.atomic.AtomicLong DEVICE_RANDOM_OFFSET = new java.util.concurrent.atomic.AtomicLong();

    /** random_(from, to): integers uniform in [from, to), in the tensor's dtype. Checked here, for every device. */
    record RandintFill(long low, long high) implements RandomFill {
        RandintFill {
            if (low >= high) throw new IllegalArgumentException("randint: expects low < high, got low=" + low + " high=" + high);
        }

        @Override
        public void fill(CpuGenerator g, MemorySegment seg, long off, long n, DType dt, boolean contiguous) {
            g.randint(seg, off, n, dt, low, high);
        }
    }

    /** bernoulli_(p): 1 with probability p, else 0, in the tensor's dtype. Checked here, for every device. */
    record BernoulliFill(double p) implements RandomFill {
        BernoulliFill {
            if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli: expects 0 <= p <= 1, got " + p);
        }

        @Override
        public void fill(CpuGenerator g, MemorySegment seg, long off, long n, DType dt, boolean contiguous) {
            g.bernoulli(seg, off, n, dt, p);
        }
    }

    static RandomFill randintFill(long low, long high) { return new RandintFill(low, high); }

    static RandomFill bernoulliFill(double p) { return new BernoulliFill(p); }

    /**
     * Fills {@code t} in place from the default generator. Elements are drawn in memory order, as
     * PyTorch's TensorIterator visits them, so non-contiguous tensors match PyTorch too.
     */
    static Tensor fillRandom(Tensor t, RandomFill draw) {
        if (GradMode.isEnabled() && t.isLeaf() && t.requiresGrad()) {
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation.");
        }
        if (!t.device().isCpu()) return fillOnDevice(t, draw);
        Tensor target = t.isContiguous() ? t : memoryOrdered(t);
        Tensor dense = target.isContiguous() ? target : empty(target.shapeArray(), t.dtype());
        draw.fill(CpuGenerator.defaultGenerator(), dense.storage().segment(), dense.storageOffset() * t.dtype().byteSize(),
                dense.numel(), t.dtype(), t.isContiguous());
        if (dense != target) Dispatcher.copyInto(target.detach(), dense);
        t.storage().bumpVersion();
        return t;
    }

    /**
     * Device tensors draw from the device's generator (cuRAND's Philox on CUDA), positioned by
     * (seed, offset): uniform_ and normal_ directly; bernoulli_ and random_ from a float64 uniform
     * draw in [0, 1) of the same shape, as {@code u < p} and {@code from + floor(u * (to - from))}
     * (exact for bounds within +-2^53, which random_ checks), so every device that can fill uniforms
     * has them. The values differ from PyTorch's CUDA stream, as the uniform ones already do.
     */
    private static Tensor fillOnDevice(Tensor t, RandomFill draw) {
        var backend = Dispatcher.backend(t.device()); // names what is missing when the device is unusable here
        if (draw instanceof DistributionFill d) {
            drawOnDevice(backend, t, d.normal(), d.a(), d.b());
        } else {
            Tensor u = empty(t.shapeArray(), DType.FLOAT64, t.device());
            drawOnDevice(backend, u, false, 0, 1);
            Tensor values;
            try (NoGrad g = noGrad()) {
                if (draw instanceof BernoulliFill b) {
                    values = u.lt(b.p());
                } else if (draw instanceof RandintFill r) {
                    if (Math.abs(r.low()) > (1L << 53) || Math.abs(r.high()) > (1L << 53)) {
                        throw new UnsupportedOperationException("random_ on " + t.device() + " draws integers within +-2^53, got ["
                                + r.low() + ", " + r.high() + ")");
                    }
                    double range = (double) r.high() - (double) r.low();
                    values = u.mul(range).floor().add((double) r.low());
                } else {
                    throw new UnsupportedOperationException("this random fill has no device form on " + t.device());
                }
                t.detach().copy_(values);
            }
        }
        t.storage().bumpVersion();
        return t;
    }

    private static void drawOnDevice(dev.tessera.ops.Backend backend, Tensor t, boolean normal, double a, double b) {
        long offset = DEVICE_RANDOM_OFFSET.getAndAdd((t.numel() + 3) & ~3L);
        backend.fillRandom(t.strided(), normal, a, b, CpuGenerator.defaultGenerator().initialSeed(), offset);
    }

    /** A view of t with dims ordered by decreasing stride: its row-major order is t's memory order. */
    private static Tensor memoryOrdered(Tensor t) {
        Integer[] order = new Integer[t.dim()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Long.compare(t.stride(y), t.stride(x)));
        long[] shape = new long[order.length], strides = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            shape[i] = t.size(order[i]);
            strides[i] = t.stride(order[i]);
        }
        return Tensor.fromStorage(t.storage(), t.dtype(), shape, strides, t.storageOffset());
    }

    // ---- joining ----------------------------------------------------------------------------

    /** torch.cat along dim; 1-D empty tensors are skipped as PyTorch's legacy rule allows. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : tensors) if (!(t.dim() == 1 && t.numel() == 0)) parts.add(t);
        if (parts.isEmpty()) return tensors.get(0).clone();
        Tensor ref = parts.get(0);
        if (ref.dim() == 0) throw new IllegalArgumentException("zero-dimensional tensor (at position 0) cannot be concatenated");
        int d = Shapes.normalizeDim(dim, ref.dim());
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            if (t.dim() != ref.dim()) {
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + ref.dim() + " and " + t.dim());
            }
            for (int k = 0; k < ref.dim(); k++) {
                if (k != d && t.size(k) != ref.size(k)) {
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d + ". Expected size "
                            + ref.size(k) + " but got size " + t.size(k) + " for tensor number " + i + " in the list.");
                }
            }
            total += t.size(d);
        }
        DType type = TypePromotion.resultType(parts.toArray(new Tensor[0]));
        long[] shape = ref.shapeArray().clone();
        shape[d] = total;
        Tensor out = Dispatcher.output(shape, type, ref.device());
        long offset = 0;
        long[] sizes = new long[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            sizes[i] = t.size(d);
            Tensor region = Tensor.fromStorage(out.storage(), type, t.shapeArray().clone(), out.strideArray().clone(),
                    offset * out.stride(d));
            Dispatcher.copyInto(region, t.detach());
            offset += sizes[i];
        }
        if (!Autograd.needsGrad(parts.toArray(new Tensor[0]))) return out;
        FunctionNode n = new FunctionNode("CatBackward0", parts.toArray(new Tensor[0]));
        DType[] types = parts.stream().map(Tensor::dtype).toArray(DType[]::new); // not the parts: the graph outlives backward
        n.backward1(g -> {
            Tensor[] grads = new Tensor[sizes.length];
            long off = 0;
            for (int i = 0; i < sizes.length; i++) {
                if (n.needsInputGrad(i)) grads[i] = g.narrow(d, off, sizes[i]).to(types[i]);
                off += sizes[i];
            }
            return grads;
        });
        return Autograd.record(n, out);
    }

    /** torch.stack: inserts a new dim and concatenates. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack expects a non-empty TensorList");
        Tensor ref = tensors.get(0);
        for (int i = 1; i < tensors.size(); i++) {
            if (!Arrays.equals(tensors.get(i).shapeArray(), ref.shapeArray())) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got " + Arrays.toString(ref.shapeArray())
                        + " at entry 0 and " + Arrays.toString(tensors.get(i).shapeArray()) + " at entry " + i);
            }
        }
        int d = Shapes.normalizeDim(dim, ref.dim() + 1);
        List<Tensor> raw = new ArrayList<>();
        for (Tensor t : tensors) raw.add(t.detach().unsqueeze(d));
        Tensor out = cat(raw, d);
        if (!Autograd.needsGrad(tensors.toArray(new Tensor[0]))) return out;
        FunctionNode n = new FunctionNode("StackBackward0", tensors.toArray(new Tensor[0]));
        int count = tensors.size(); // not the tensors: the graph outlives backward
        n.backward1(g -> {
            Tensor[] grads = new Tensor[count];
            for (int i = 0; i < grads.length; i++) if (n.needsInputGrad(i)) grads[i] = g.select(d, i);
            return grads;
        });
        return Autograd.record(n, out);
    }

    // ---- out= forms: write into an existing tensor, no allocation, no autograd -------------------

    private static void checkNoGradForOut(Tensor... inputs) {
        if (Autograd.needsGrad(inputs)) {
            throw new IllegalStateException("functions with out=... arguments don't support automatic differentiation, but one "
                    + "of the arguments requires grad.");
        }
    }

    /** torch.add(a, b, out=out). */
    public static Tensor add(Tensor a, Tensor b, Tensor out) {
        checkNoGradForOut(a, b);
        return Dispatcher.binary(dev.tessera.ops.BinaryOp.ADD, a, b, out);
    }

    public static Tensor sub(Tensor a, Tensor b, Tensor out) {
        checkNoGradForOut(a, b);
        return Dispatcher.binary(dev.tessera.ops.BinaryOp.SUB, a, b, out);
    }

    public static Tensor mul(Tensor a, Tensor b, Tensor out) {
        checkNoGradForOut(a, b);
        return Dispatcher.binary(dev.tessera.ops.BinaryOp.MUL, a, b, out);
    }

    public static Tensor div(Tensor a, Tensor b, Tensor out) {
        checkNoGradForOut(a, b);
        return Dispatcher.binary(dev.tessera.ops.BinaryOp.DIV, a, b, out);
    }

    public static Tensor relu(Tensor a, Tensor out) {
        checkNoGradForOut(a);
        return Dispatcher.unary(dev.tessera.ops.UnaryOp.RELU, a, out);
    }

    public static Tensor exp(Tensor a, Tensor out) {
        checkNoGradForOut(a);
        return Dispatcher.unary(dev.tessera.ops.UnaryOp.EXP, a, out);
    }

    /** torch.mm(a, b, out=out) for 2-D operands: the product is written straight into out's memory. */
    public static Tensor mm(Tensor a, Tensor b, Tensor out) {
        checkNoGradForOut(a, b);
        if (a.dim() != 2 || b.dim() != 2 || out.dim() != 2) {
            throw new IllegalArgumentException("mm(out=): expected 2-D tensors, got " + a.dim() + "-D, " + b.dim() + "-D and "
                    + out.dim() + "-D");
        }
        if (a.size(1) != b.size(0)) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + a.size(0) + "x" + a.size(1) + " and "
                    + b.size(0) + "x" + b.size(1) + ")");
        }
        Dispatcher.bmm(batchOfOne(a), batchOfOne(b), new long[]{1, a.size(0), b.size(1)}, batchOfOne(out));
        return out;
    }

    /** torch.matmul(a, b, out=out): 2-D products go straight into out; other ranks are copied in. */
    public static Tensor matmul(Tensor a, Tensor b, Tensor out) {
        if (a.dim() == 2 && b.dim() == 2) return mm(a, b, out);
        checkNoGradForOut(a, b);
        Tensor r = matmul(a, b);
        if (!Arrays.equals(r.shapeArray(), out.shapeArray())) {
            throw new IllegalArgumentException("out= tensor has shape " + Arrays.toString(out.shapeArray())
                    + " but the result has shape " + Arrays.toString(r.shapeArray()));
        }
        Dispatcher.copyInto(out, r);
        return out;
    }

    private static Tensor batchOfOne(Tensor m) {
        return Tensor.fromStorage(m.storage(), m.dtype(), new long[]{1, m.size(0), m.size(1)},
                new long[]{0, m.stride(0), m.stride(1)}, m.storageOffset());
    }

    // ---- functional forms ----------------------------------------------------------------------

    public static Tensor matmul(Tensor a, Tensor b) { return LinearAlgebra.matmul(a, b); }

    public static Tensor mm(Tensor a, Tensor b) { return LinearAlgebra.mm(a, b); }

    public static Tensor where(Tensor condition, Tensor a, Tensor b) { return Pointwise.where(condition, a, b); }

    public static Tensor where(Tensor condition, Number a, Number b) {
        return Pointwise.where(condition, Tensor.wrapNumber(a), Tensor.wrapNumber(b));
    }

    public static Tensor nonzero(Tensor t) { return Indexing.nonzero(t); }

    public static boolean allclose(Tensor a, Tensor b) { return a.allclose(b); }
    public static boolean allclose(Tensor a, Tensor b, double rtol, double atol) { return a.allclose(b, rtol, atol); }

    public static Tensor exp(Tensor t) { return t.exp(); }

    public static Tensor log(Tensor t) { return t.log(); }

    public static Tensor sum(Tensor t) { return t.sum(); }

    public static Tensor relu(Tensor t) { return t.relu(); }

    // ---- NumPy bridge ---------------------------------------------------------------------------

    /** torch.from_numpy: a tensor over the same memory as the array (no copy). */
    public static Tensor fromNumpy(NDArray array) {
        if (!array.isLittleEndian() && array.dtype().byteSize() > 1) {
            throw new IllegalArgumentException("given numpy array has byte order different from the native byte order. "
                    + "Conversion between byte orders is currently not supported.");
        }
        long size = array.dtype().byteSize();
        long[] byteStrides = array.strides();
        long[] strides = new long[byteStrides.length];
        for (int i = 0; i < strides.length; i++) {
            if (byteStrides[i] % size != 0) {
                throw new IllegalArgumentException("given numpy array strides not a multiple of the element byte size. "
                        + "Copy the numpy array to reallocate the memory.");
            }
            strides[i] = byteStrides[i] / size;
        }
        Storage storage = new Storage(array.data(), Device.CPU, array);
        return Tensor.fromStorage(storage, array.dtype(), array.shape().clone(), strides, 0);
    }

    /**
     * Maps a {@code .npy} file read-write and returns a tensor over the mapping: writes go to the file
     * (sharing with another process is the point). The mapping is released once no view of the
     * tensor's storage is reachable, and at once if the file is refused. The file must not be
     * truncated by anyone while mapped: reading lost pages kills the JVM with SIGBUS, as with
     * NumPy's memmap. To load a file you do not control, use {@code StateDicts.load}, which copies.
     */
    public static Tensor fromNumpy(Path npyFile) {
        NDArray mapped = NDArray.open(npyFile, NDArray.Mode.READ_WRITE);
        try {
            // The storage keeps the array reachable; the array unmaps itself once it is not.
            return fromNumpy(mapped);
        } catch (IllegalArgumentException e) {
            mapped.close();
            throw new IllegalArgumentException(npyFile + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            mapped.close();
            throw e;
        }
    }
}
