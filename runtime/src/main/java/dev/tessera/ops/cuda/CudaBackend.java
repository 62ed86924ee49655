package dev.tessera.ops.cuda;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.ops.Backend;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.ConvGeometry;
import dev.tessera.ops.PoolGeometry;
import dev.tessera.ops.ReduceOp;
import dev.tessera.ops.Strided;
import dev.tessera.ops.UnaryOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.Set;

/**
 * The kernels of one CUDA device: Tessera's own CUDA kernels (KernelAbi) for elementwise ops,
 * casts, reductions, indexing and the network kernels, cuBLAS for products ({@link CudaMatmul}),
 * and the device's generator for random fills, all through a {@link DeviceRuntime}. Memory comes
 * from a {@link CachingAllocator}; a tensor's segment is {@code MemorySegment.ofAddress(ptr)}
 * sized to its bytes, never dereferenced on the host, and returns its block to the cache when it
 * becomes unreachable. Dtypes the kernels lack (int32, uint8, bool arithmetic) are widened to
 * int64 on the device and narrowed back, which gives the same wrap-around results.
 */
public final class CudaBackend implements Backend {
    private static final Set<DType> ARITHMETIC = EnumSet.of(DType.FLOAT32, DType.FLOAT64, DType.INT64);
    private static final int THREADS = 256;

    private final Device device;
    final DeviceRuntime rt;
    private final CachingAllocator allocator;
    private final int maxBlocks;
    private final CudaMatmul matmul;
    private final CudaNetworkKernels network;

    public CudaBackend(Device device, DeviceRuntime runtime) {
        this.device = device;
        this.rt = runtime;
        this.allocator = new CachingAllocator(runtime, device.toString());
        this.maxBlocks = Math.max(1, 32 * runtime.multiprocessorCount());
        this.matmul = new CudaMatmul(this);
        this.network = new CudaNetworkKernels(this);
    }

    @Override
    public Device device() { return device; }

    /**
     * The driver stream (CUstream) this device's ops are queued on, with the device's context made
     * current on the calling thread, for libraries that enqueue work in the same order (NCCL); null
     * when the runtime is not the CUDA driver (the host-emulated tests).
     */
    public MemorySegment streamOnCallingThread() {
        return rt instanceof CudaDriverRuntime d ? d.streamOnCallingThread() : null;
    }

    /** The caching allocator's counters and cache, for torch.cuda's memory calls. */
    public CachingAllocator allocator() { return allocator; }

    // ---- memory ------------------------------------------------------------------------------

    @Override
    public MemorySegment allocate(long bytes) {
        MemorySegment s = allocateUninitialized(bytes);
        if (bytes > 0) rt.memset(s.address(), (byte) 0, bytes);
        return s;
    }

    @Override
    public MemorySegment allocateUninitialized(long bytes) {
        long ptr = allocateBlock(bytes);
        CachingAllocator owner = allocator;
        // an automatic arena: the block goes back to the cache once no tensor holds the segment
        return MemorySegment.ofAddress(ptr).reinterpret(bytes, Arena.ofAuto(), s -> owner.free(ptr));
    }

    /**
     * A block from the caching allocator. Tensors give their blocks back when the JVM collects them,
     * and the collector cannot see device memory: when the device is full, collect, let the cleaner
     * return unreachable tensors' blocks, and retry (a few times) before reporting out of memory.
     */
    private long allocateBlock(long bytes) {
        for (int attempt = 0; ; attempt++) {
            try {
                return allocator.allocate(Math.max(bytes, 1));
            } catch (DeviceOutOfMemoryException e) {
                if (attempt == 3) throw e;
                System.gc();
                try {
                    Thread.sleep(20L << attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Device scratch memory of one op, returned to the cache at close (stream order keeps pending kernels safe). */
    final class Scratch implements AutoCloseable {
        private final java.util.ArrayList<Long> blocks = new java.util.ArrayList<>();

        long alloc(long bytes) {
            long p = allocateBlock(bytes);
            blocks.add(p);
            return p;
        }

        /** A contiguous scratch tensor of {@code shape}. */
        Strided tensor(DType t, long[] shape) {
            long n = 1;
            for (long d : shape) n *= d;
            long p = alloc(n * t.byteSize());
            return new Strided(MemorySegment.ofAddress(p).reinterpret(n * t.byteSize()), t, 0, shape.clone(), contiguous(shape));
        }

        /** A contiguous copy of s converted to t (s itself when it already is one). */
        Strided as(Strided s, DType t) {
            if (s.dtype() == t && s.isContiguous()) return s;
            Strided d = tensor(t, s.shape());
            copy(d, s);
            return d;
        }

        /** int64 values uploaded to the device. */
        long upload(long[] values) {
            long p = alloc(values.length * 8L);
            if (values.length > 0) {
                try (Arena a = Arena.ofConfined()) {
                    rt.copyHostToDevice(p, a.allocateFrom(ValueLayout.JAVA_LONG, values), values.length * 8L);
                }
            }
            return p;
        }

        /** One value of type t uploaded to the device, as a rank-0 tensor. */
        Strided scalar(DType t, double v) {
            Strided s = tensor(t, new long[0]);
            fill(s, v);
            return s;
        }

        @Override
        public void close() {
            for (long p : blocks) allocator.free(p);
            blocks.clear();
        }
    }

    static long[] contiguous(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    // ---- launching ---------------------------------------------------------------------------

    /** Device address of element 0 of the storage (kernels with a TensorDesc add the offset themselves). */
    static long base(Strided s) { return s.segment().address(); }

    /** Device address of s's first element (kernels without a TensorDesc take contiguous data here). */
    static long at(Strided s) { return s.segment().address() + s.offset() * s.dtype().byteSize(); }

    MemorySegment desc(Arena a, Strided s) { return KernelArgs.tensorDesc(a, s.shape(), s.strides(), s.offset()); }

    MemorySegment desc(Arena a, long[] sizes, long[] strides, long offset) { return KernelArgs.tensorDesc(a, sizes, strides, offset); }

    /** A grid-stride kernel over n elements. */
    void grid(String kernel, long n, Object... args) {
        if (n <= 0) return;
        int blocks = (int) Math.min((n + THREADS - 1) / THREADS, maxBlocks);
        launch(kernel, blocks, THREADS, 1, args);
    }

    /** A row kernel: {@code outputs} independent reductions of {@code length} elements each. */
    void rows(String kernel, long outputs, long length, Object... args) {
        if (outputs <= 0) return;
        int bx = (int) Math.min(256, Long.highestOneBit(Math.max(1, length - 1)) << 1);
        if (length <= 1) bx = 1;
        int by = Math.max(1, THREADS / bx);
        int blocks = (int) Math.max(1, Math.min((outputs + by - 1) / by, 65535));
        launch(kernel, blocks, bx, by, args);
    }

    void launch(String kernel, int grid, int bx, int by, Object... args) {
        rt.launch(kernel, grid, bx, by, args);
    }

    /** A fresh, zeroed int32 error word on the device, read back by {@link #checkError}. */
    long errorWord(Scratch s) {
        long p = s.alloc(4);
        rt.memset(p, (byte) 0, 4);
        return p;
    }

    void checkError(long word, String op) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ValueLayout.JAVA_INT);
            rt.copyDeviceToHost(h, word, 4);
            int code = h.get(ValueLayout.JAVA_INT, 0);
            if (code == KernelAbi.ERR_ZERO_DIV) throw new ArithmeticException("ZeroDivisionError");
            if (code == KernelAbi.ERR_INDEX) throw new IndexOutOfBoundsException(op + ": index out of range on " + device);
            if (code != 0) throw new IllegalStateException(op + ": kernel reported error code " + code + " on " + device);
        }
    }

    // ---- fills and copies --------------------------------------------------------------------

    @Override
    public void fill(Strided out, double value) {
        if (out.dtype().isFloatingPoint()) fillKernel(out, value);
        else fillKernel(out, out.dtype() == DType.BOOL ? (value != 0 ? 1L : 0L) : (long) value);
    }

    @Override
    public void fillLong(Strided out, long value) {
        if (out.dtype().isFloatingPoint()) fillKernel(out, (double) value);
        else fillKernel(out, out.dtype() == DType.BOOL ? (value != 0 ? 1L : 0L) : value);
    }

    private void fillKernel(Strided out, Object value) {
        try (Arena a = Arena.ofConfined()) {
            grid(KernelAbi.of("fill", out.dtype()), out.numel(), base(out), desc(a, out), out.numel(), value);
        }
    }

    @Override
    public void copy(Strided dst, Strided src) {
        try (Arena a = Arena.ofConfined()) {
            grid(KernelAbi.cast(src.dtype(), dst.dtype()), dst.numel(), base(dst), desc(a, dst), base(src), desc(a, src), dst.numel());
        }
    }

    @Override
    public void copyFromHost(Strided dst, Strided hostSrc) {
        long bytes = dst.numel() * dst.dtype().byteSize();
        if (bytes == 0) return;
        rt.copyHostToDevice(at(dst), hostSrc.segment().asSlice(hostSrc.offset() * hostSrc.dtype().byteSize(), bytes), bytes);
    }

    @Override
    public void copyToHost(Strided hostDst, Strided src) {
        long bytes = src.numel() * src.dtype().byteSize();
        if (bytes == 0) return;
        rt.copyDeviceToHost(hostDst.segment().asSlice(hostDst.offset() * hostDst.dtype().byteSize(), bytes), at(src), bytes);
    }

    @Override
    public void synchronize() { rt.synchronize(); }

    // ---- elementwise -------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, Strided out, Strided in) {
        DType t = out.dtype();
        if (t == DType.BOOL && op == UnaryOp.ABS) {
            copy(out, in);
            return;
        }
        if (ARITHMETIC.contains(t)) {
            try (Arena a = Arena.ofConfined()) {
                grid(KernelAbi.unary(op, t), out.numel(), base(out), desc(a, out), base(in), desc(a, in), out.numel());
            }
            return;
        }
        try (Scratch s = new Scratch()) { // narrow integers: evaluate in int64 (same wrap-around once narrowed)
            Strided wide = s.as(in, DType.INT64);
            Strided res = s.tensor(DType.INT64, out.shape());
            unary(op, res, wide);
            copy(out, res);
        }
    }

    @Override
    public void binary(BinaryOp op, Strided out, Strided a, Strided b, DType compute) {
        DType kt = ARITHMETIC.contains(compute) ? compute : wideInteger(compute);
        DType resultType = op.boolResult() ? DType.BOOL : kt;
        try (Scratch s = new Scratch(); Arena ar = Arena.ofConfined()) {
            Strided x = a.dtype() == kt ? a : s.as(a, kt), y = b.dtype() == kt ? b : s.as(b, kt);
            Strided dst = out.dtype() == resultType ? out : s.tensor(resultType, out.shape());
            boolean checked = kt == DType.INT64 && (op == BinaryOp.FLOOR_DIVIDE || op == BinaryOp.REMAINDER);
            long err = checked ? errorWord(s) : 0L;
            grid(KernelAbi.binary(op, kt), out.numel(), base(dst), desc(ar, dst), base(x), desc(ar, x), base(y), desc(ar, y),
                    out.numel(), err);
            if (checked) checkError(err, op.name().toLowerCase());
            if (dst != out) copy(out, dst);
        }
    }

    private static DType wideInteger(DType t) {
        if (t.isFloatingPoint()) throw new IllegalArgumentException("CUDA kernels do not support dtype " + t);
        return DType.INT64;
    }

    @Override
    public void where(Strided out, Strided cond, Strided a, Strided b) {
        try (Scratch s = new Scratch(); Arena ar = Arena.ofConfined()) {
            Strided c = cond.dtype() == DType.BOOL ? cond : s.as(cond, DType.BOOL);
            grid(KernelAbi.of("where", out.dtype()), out.numel(), base(out), desc(ar, out), base(c), desc(ar, c), base(a), desc(ar, a),
                    base(b), desc(ar, b), out.numel());
        }
    }

    // ---- reductions --------------------------------------------------------------------------

    @Override
    public void reduce(ReduceOp op, Strided out, Strided in, boolean[] reduced) {
        DType t = out.dtype(), kt = ARITHMETIC.contains(t) ? t : wideInteger(t);
        try (Scratch s = new Scratch(); Arena ar = Arena.ofConfined()) {
            Strided src = in.dtype() == kt ? in : s.as(in, kt);
            Strided dst = t == kt ? out : s.tensor(kt, out.shape());
            int rank = in.rank(), kept = 0;
            long[] sizes = new long[rank], strides = new long[rank];
            for (int d = 0; d < rank; d++) if (!reduced[d]) { sizes[kept] = in.shape()[d]; strides[kept++] = src.strides()[d]; }
            long[] oSizes = java.util.Arrays.copyOf(sizes, kept), oStrides = new long[kept];
            for (int d = 0, k = 0; d < rank; d++) if (!reduced[d]) oStrides[k++] = dst.strides()[d];
            int r = kept;
            long outN = 1, redN = 1;
            for (int d = 0; d < kept; d++) outN *= sizes[d];
            for (int d = 0; d < rank; d++) if (reduced[d]) { sizes[r] = in.shape()[d]; strides[r++] = src.strides()[d]; redN *= in.shape()[d]; }
            rows(KernelAbi.reduce(op, kt), outN, redN, base(dst), desc(ar, oSizes, oStrides, dst.offset()), base(src),
                    desc(ar, sizes, strides, src.offset()), kept);
            if (dst != out) copy(out, dst);
        }
    }

    @Override
    public void argReduce(boolean max, Strided outIndices, Strided in, int dim) {
        try (Scratch s = new Scratch(); Arena ar = Arena.ofConfined()) {
            Strided src = ARITHMETIC.contains(in.dtype()) ? in : s.as(in, DType.INT64);
            int rank = in.rank();
            long[] sizes = new long[rank], strides = new long[rank], oSizes = new long[rank - 1], oStrides = new long[rank - 1];
            long outN = 1;
            for (int d = 0, k = 0; d < rank; d++) {
                if (d == dim) continue;
                sizes[k] = oSizes[k] = in.shape()[d];
                strides[k] = src.strides()[d];
                oStrides[k++] = outIndices.strides()[d];
                outN *= in.shape()[d];
            }
            sizes[rank - 1] = in.shape()[dim];
            strides[rank - 1] = src.strides()[dim];
            rows(KernelAbi.of(max ? "argmax" : "argmin", src.dtype()), outN, in.shape()[dim], base(outIndices),
                    desc(ar, oSizes, oStrides, outIndices.offset()), base(src), desc(ar, sizes, strides, src.offset()));
        }
    }

    // ---- products ----------------------------------------------------------------------------

    @Override
    public void matmul(Strided out, Strided a, Strided b) { matmul.bmm(out, a, b); }

    // ---- indexing ----------------------------------------------------------------------------

    /** tessera_index_offsets takes up to this many index tensors (IndexSpec's arrays). */
    private static final int MAX_INDEX_TENSORS = 4;

    @Override
    public void indexOffsets(Strided offsets, Strided base, Strided[] indices, int[] names, long[] dimSizes, long[] dimStrides) {
        int k = indices.length;
        if (k > MAX_INDEX_TENSORS) {
            throw new UnsupportedOperationException("advanced indexing on " + device + " takes at most " + MAX_INDEX_TENSORS
                    + " index tensors, got " + k);
        }
        long n = offsets.numel();
        if (n == 0) return;
        if (!offsets.isContiguous()) throw new IllegalArgumentException("index offsets must be contiguous");
        try (Scratch s = new Scratch(); Arena ar = Arena.ofConfined()) {
            // offsets, base's desc, 4 x (index, desc), spec, n, err (see index.cu)
            Object[] args = new Object[2 + 2 * MAX_INDEX_TENSORS + 3];
            int a = 0;
            args[a++] = at(offsets);
            args[a++] = desc(ar, base);
            MemorySegment spec = ar.allocate(KernelAbi.INDEX_SPEC);
            spec.fill((byte) 0);
            for (int i = 0; i < MAX_INDEX_TENSORS; i++) {
                if (i < k) {
                    Strided x = indices[i]; // int64, as Backend.indexOffsets promises
                    args[a++] = base(x);
                    args[a++] = desc(ar, x);
                    spec.setAtIndex(ValueLayout.JAVA_LONG, i, dimSizes[i]);
                    spec.setAtIndex(ValueLayout.JAVA_LONG, MAX_INDEX_TENSORS + i, dimStrides[i]);
                } else {
                    args[a++] = 0L;
                    args[a++] = desc(ar, offsets.shape(), new long[offsets.rank()], 0);
                }
            }
            spec.set(ValueLayout.JAVA_INT, 2L * MAX_INDEX_TENSORS * Long.BYTES, k);
            args[a++] = spec;
            args[a++] = n;
            long err = errorWord(s);
            args[a] = err;
            grid("tessera_index_offsets", n, args);
            checkError(err, "index");
        }
    }

    @Override
    public void gatherElements(Strided dense, Strided base, Strided offsets) {
        try (Scratch s = new Scratch(); Arena ar = Arena.ofConfined()) {
            Strided dst = dense.dtype() == base.dtype() ? dense : s.tensor(base.dtype(), dense.shape());
            Strided off = s.as(offsets, DType.INT64);
            grid(KernelAbi.of("take", base.dtype()), dense.numel(), base(dst), desc(ar, dst), at(base), at(off), dense.numel());
            if (dst != dense) copy(dense, dst);
        }
    }

    @Override
    public void scatterElements(Strided base, Strided offsets, Strided dense, boolean accumulate) {
        try (Scratch s = new Scratch(); Arena ar = Arena.ofConfined()) {
            Strided src = dense.dtype() == base.dtype() ? dense : s.as(dense, base.dtype());
            Strided off = s.as(offsets, DType.INT64);
            grid(KernelAbi.of("put", base.dtype()), dense.numel(), at(base), at(off), base(src), desc(ar, src), dense.numel(),
                    accumulate ? 1 : 0);
        }
    }

    @Override
    public void gatherAlong(Strided out, Strided src, Strided index, int dim, long dimSize, long dimStride) {
        long n = out.numel();
        if (n == 0) return;
        try (Scratch s = new Scratch(); Arena ar = Arena.ofConfined()) {
            rejectNegative(s, index, dim, dimSize); // index is int64, as Backend.gatherAlong/scatterAlong promise
            long err = errorWord(s);
            grid(KernelAbi.of("gather", out.dtype()), n, base(out), desc(ar, out), base(src), desc(ar, src), base(index), desc(ar, index),
                    dimSize, dimStride, n, err);
            checkError(err, "gather");
        }
    }

    @Override
    public void scatterAlong(Strided dst, Strided src, Strided index, int dim, long dimSize, long dimStride, boolean accumulate) {
        long n = src.numel();
        if (n == 0) return;
        try (Scratch s = new Scratch(); Arena ar = Arena.ofConfined()) {
            rejectNegative(s, index, dim, dimSize); // index is int64, as Backend.gatherAlong/scatterAlong promise
            long err = errorWord(s);
            grid(KernelAbi.of("scatter", dst.dtype()), n, base(dst), desc(ar, dst), base(src), desc(ar, src), base(index), desc(ar, index),
                    dimSize, dimStride, n, accumulate ? 1 : 0, err);
            checkError(err, "scatter");
        }
    }

    /**
     * The gather/scatter kernels wrap a negative index as advanced indexing does; gather and
     * scatter reject one (as PyTorch): their smallest index is read back first.
     */
    private void rejectNegative(Scratch s, Strided idx, int dim, long dimSize) {
        Strided min = s.tensor(DType.INT64, new long[0]);
        boolean[] all = new boolean[idx.rank()];
        java.util.Arrays.fill(all, true);
        reduce(ReduceOp.MIN, min, idx, all);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ValueLayout.JAVA_LONG);
            rt.copyDeviceToHost(h, at(min), 8);
            long v = h.get(ValueLayout.JAVA_LONG, 0);
            if (v < 0) {
                throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + dim + " with size " + dimSize);
            }
        }
    }

    // ---- network kernels ---------------------------------------------------------------------

    @Override
    public void conv2d(ConvGeometry g, Strided out, Strided x, Strided w) { network.conv2d(g, out, x, w); }

    @Override
    public void conv2dBackward(ConvGeometry g, Strided gout, Strided x, Strided w, Strided gx, Strided gw) {
        network.conv2dBackward(g, gout, x, w, gx, gw);
    }

    @Override
    public void maxPool2d(PoolGeometry g, Strided out, Strided indices, Strided x) { network.maxPool2d(g, out, indices, x); }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Strided gx, Strided gout, Strided indices) {
        network.maxPool2dBackward(g, gx, gout, indices);
    }

    @Override
    public void adaptiveAvgPool2d(Strided out, Strided x) { network.adaptiveAvgPool2d(out, x, false); }

    @Override
    public void adaptiveAvgPool2dBackward(Strided gx, Strided gout) { network.adaptiveAvgPool2d(gx, gout, true); }

    @Override
    public void channelMoments(Strided x, long outer, long channels, long inner, Strided mean, Strided varSum) {
        network.channelMoments(x, outer, channels, inner, mean, varSum);
    }

    @Override
    public void channelAffine(Strided out, Strided x, long outer, long channels, long inner, Strided alpha, Strided beta) {
        network.channelAffine(out, x, outer, channels, inner, alpha, beta);
    }

    @Override
    public void batchNormBackward(Strided g, Strided x, Strided mean, Strided invstd, Strided weight, long outer,
            long channels, long inner, boolean training, Strided gx, Strided gradWeight, Strided gradBias) {
        network.batchNormBackward(g, x, mean, invstd, weight, outer, channels, inner, training, gx, gradWeight, gradBias);
    }

    @Override
    public boolean softmaxLastDim(Strided out, Strided x, long rows, long cols, boolean log) {
        return network.softmaxLastDim(out, x, rows, cols, log);
    }

    // ---- random ------------------------------------------------------------------------------

    /**
     * cuRAND's uniform draws lie in (0, 1]; as PyTorch's CUDA uniform_, 1 maps to 0 so the result
     * lies in [from, to). Normal draws come in pairs: an odd count draws one extra into scratch.
     */
    @Override
    public void fillRandom(Strided out, boolean normal, double a, double b, long seed, long offset) {
        DType t = out.dtype();
        if (t != DType.FLOAT32 && t != DType.FLOAT64) {
            throw new UnsupportedOperationException("\"" + (normal ? "normal_" : "uniform_") + "\" not implemented on " + device + " for " + t);
        }
        long n = out.numel(), count = normal ? (n + 1) & ~1L : n;
        if (n == 0) return;
        try (Scratch s = new Scratch()) {
            // cuRAND writes pairs (and vectors): draw straight into out only when it is dense, even and 16-byte aligned
            Strided dense = out.isContiguous() && count == n && (at(out) & 15) == 0 ? out : s.tensor(t, new long[]{count});
            rt.generate(t, at(dense), count, normal, a, b, seed, offset);
            Strided view = new Strided(dense.segment(), t, dense.offset(), out.shape(), contiguous(out.shape()));
            if (!normal) {
                Strided one = s.scalar(t, 1), zero = s.scalar(t, 0), range = s.scalar(t, b - a), from = s.scalar(t, a);
                Strided isOne = s.tensor(DType.BOOL, out.shape());
                long[] sh = out.shape(), z = new long[sh.length];
                binary(BinaryOp.EQ, isOne, view, broadcast(one, sh, z), t);
                where(view, isOne, broadcast(zero, sh, z), view);
                binary(BinaryOp.MUL, view, view, broadcast(range, sh, z), t);
                binary(BinaryOp.ADD, view, view, broadcast(from, sh, z), t);
            }
            if (dense != out) copy(out, view);
        }
    }

    private static Strided broadcast(Strided scalar, long[] shape, long[] zeros) {
        return new Strided(scalar.segment(), scalar.dtype(), scalar.offset(), shape, zeros);
    }
}
