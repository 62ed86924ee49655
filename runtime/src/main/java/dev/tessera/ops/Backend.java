package dev.tessera.ops;

import dev.tessera.DType;
import dev.tessera.Device;
import java.lang.foreign.MemorySegment;

/**
 * The kernels of one device. A backend sees memory segments, dtypes and strided layouts, never
 * {@code Tensor} or autograd; broadcasting and type promotion are resolved before it is called
 * (operands arrive with the output's shape, stride 0 on broadcast dims). Only the dispatcher
 * calls backends.
 */
public interface Backend {
    Device device();

    /** Zero-filled, 64-byte aligned memory owned as described in {@link dev.tessera.memory.Allocator}. */
    MemorySegment allocate(long bytes);

    /** Memory for a kernel output that will be fully written: contents unspecified, so reuse is cheap. */
    default MemorySegment allocateUninitialized(long bytes) { return allocate(bytes); }

    /**
     * Takes back, now, memory from {@link #allocate} whose last user is done with it: the caller
     * guarantees that nothing reads or writes {@code block} again. Returns false where the backend
     * keeps the memory until it is unreachable, as by default.
     */
    default boolean recycle(MemorySegment block) { return false; }

    /** Writes {@code value} into every element of {@code out} (integers exact up to 2^53; see {@link #fillLong}). */
    void fill(Strided out, double value);

    void fillLong(Strided out, long value);

    /** Elementwise copy with dtype conversion; {@code src} may be a broadcast view. */
    void copy(Strided dst, Strided src);

    /** out = op(in); {@code in} already has out's dtype. */
    void unary(UnaryOp op, Strided out, Strided in);

    /**
     * out = op(a, b) evaluated in {@code compute}, the promoted input type: inputs are converted to it,
     * the result is rounded to it, then stored as out's dtype (bool for comparisons).
     */
    void binary(BinaryOp op, Strided out, Strided a, Strided b, DType compute);

    /**
     * Reduces {@code in} over the dims where {@code reduced[d]} is true into {@code out}, which has
     * in's rank with size 1 on reduced dims (stride irrelevant there).
     */
    void reduce(ReduceOp op, Strided out, Strided in, boolean[] reduced);

    /** Index (int64) of the first max/min along {@code dim}; out has size 1 at dim. NaN counts as the extreme, as in PyTorch. */
    void argReduce(boolean max, Strided outIndices, Strided in, int dim);

    /** Batched matrix product: a [B, M, K], b [B, K, N], out [B, M, N]; batch strides may be 0. */
    void matmul(Strided out, Strided a, Strided b);

    /** out = cond ? a : b, elementwise. */
    void where(Strided out, Strided cond, Strided a, Strided b);

    /**
     * ReLU's backward (PyTorch's threshold_backward at 0): out = y <= 0 ? 0 : g, where y is the
     * forward's output; NaN in y passes the gradient through. All three have out's shape and
     * dtype. The default composes it from a comparison and {@link #where}; backends may fuse it.
     */
    default void reluBackward(Strided out, Strided g, Strided y) {
        long n = out.numel();
        long[] dense = new long[out.rank()];
        long stride = 1;
        for (int d = dense.length - 1; d >= 0; d--) {
            dense[d] = stride;
            stride *= out.shape()[d];
        }
        Strided mask = new Strided(allocateUninitialized(n), DType.BOOL, 0, out.shape(), dense);
        Strided zero = new Strided(allocate(out.dtype().byteSize()), out.dtype(), 0, out.shape(), new long[out.rank()]);
        binary(BinaryOp.LE, mask, y, zero, out.dtype());
        where(out, mask, zero, g);
    }

    // ---- transfers ---------------------------------------------------------------------------

    /** dst (this device) = src (host memory, same dtype and shape, both contiguous). */
    default void copyFromHost(Strided dst, Strided hostSrc) { copy(dst, hostSrc); }

    /** hostDst (host memory) = src (this device, same dtype and shape, both contiguous). */
    default void copyToHost(Strided hostDst, Strided src) { copy(hostDst, src); }

    /** Waits for every queued kernel of this device (a no-op where kernels run synchronously). */
    default void synchronize() {}

    // ---- indexing ----------------------------------------------------------------------------

    /**
     * Advanced indexing's element offsets, on this device: offsets[i] (int64, contiguous, the
     * result's shape) = base.offset(i) + sum over k of indices[k][i] * dimStrides[k], i over the
     * result's elements. {@code base} describes the indexed storage with the result's sizes (its
     * strides on the dims kept as slices, 0 on the indexed ones) and the view's element offset;
     * each index is an int64 tensor viewed with the result's sizes (0 strides where it broadcasts).
     * A negative index counts from the end of its dim once; one outside [-size, size) throws
     * IndexOutOfBoundsException ("index v is out of bounds for dimension names[k] with size s";
     * PyTorch names the index tensor's position among the indices, not the tensor's dim).
     */
    void indexOffsets(Strided offsets, Strided base, Strided[] indices, int[] names, long[] dimSizes, long[] dimStrides);

    /**
     * out [count, rank] (int64, contiguous) = the coordinates of mask's nonzero elements in
     * row-major order, where mask is contiguous and count (its number of nonzeros) is known. By
     * default the mask is read on the host and the coordinates copied to the device (a
     * compaction needs a prefix sum; no device kernel has one yet).
     */
    default void nonzero(Strided out, Strided mask) {
        long n = mask.numel(), count = out.shape()[0];
        int rank = mask.rank();
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment host = a.allocate(Math.max(1, n * mask.dtype().byteSize()));
            Strided hostMask = new Strided(host, mask.dtype(), 0, mask.shape(), mask.strides());
            copyToHost(hostMask, mask);
            java.lang.foreign.MemorySegment coords = a.allocate(Math.max(1, count * rank * Long.BYTES));
            NonzeroScan.coordinates(hostMask, coords, count);
            copyFromHost(out, new Strided(coords, DType.INT64, 0, out.shape(), out.strides()));
        }
    }

    /**
     * dense[i] = base[offsets[i]] with dtype conversion; {@code base} is a whole storage viewed as
     * 1-D and {@code offsets} (int64, on this device) has dense's element count, in dense's order.
     */
    void gatherElements(Strided dense, Strided base, Strided offsets);

    /** base[offsets[i]] = dense[i] (or += when {@code accumulate}), with dtype conversion. */
    void scatterElements(Strided base, Strided offsets, Strided dense, boolean accumulate);

    /**
     * gather along one dim: out[i] = src[src.offset(i) + index[i] * dimStride], where {@code src}
     * has out's sizes with stride 0 on the gathered dim {@code dim} (of {@code dimSize} elements)
     * and {@code index} is int64 (the caller converts) with out's shape; an index outside [0, dimSize) throws
     * IndexOutOfBoundsException naming it. Same dtype on both sides.
     */
    void gatherAlong(Strided out, Strided src, Strided index, int dim, long dimSize, long dimStride);

    /**
     * scatter along one dim (scatter / scatter_add, the backward of gather and index_select):
     * dst[dst.offset(i) + index[i] * dimStride] = src[i] (or += when {@code accumulate}), i over
     * src's shape, {@code dst} described with src's sizes and stride 0 on {@code dim}. Bounds as
     * {@link #gatherAlong}; same dtype on both sides.
     */
    void scatterAlong(Strided dst, Strided src, Strided index, int dim, long dimSize, long dimStride, boolean accumulate);

    // ---- fused network kernels (float32 and float64; operands contiguous) --------------------

    /** out [N, O, oh, ow] = conv2d(x [N, C, H, W], w [O, C/groups, kh, kw]), no bias. */
    default void conv2d(ConvGeometry g, Strided out, Strided x, Strided w) { throw missing("conv2d"); }

    /**
     * As {@link #conv2d(ConvGeometry, Strided, Strided, Strided)}, for a weight whose contents are
     * identified by {@code weightOwner} (its storage) and {@code weightVersion} (bumped by every
     * in-place write): a backend may keep the weight in its own prepared layout, keyed weakly on the
     * owner, and reuse it while the same owner comes back at the same version and place (inference
     * runs every forward with unchanged weights). By default the weight is prepared per call.
     */
    default void conv2d(ConvGeometry g, Strided out, Strided x, Strided w, Object weightOwner, int weightVersion) {
        conv2d(g, out, x, w);
    }

    /**
     * conv2d followed by {@code epilogue} (eval-mode batch norm, optionally + residual and ReLU) on
     * its output; {@code weightOwner} as above, or null. The default runs the convolution and then
     * channelAffine / channelAffineRelu in place on the output; a backend may apply the epilogue
     * while its kernel writes the output (one pass less over it), with the same roundings.
     */
    default void conv2d(ConvGeometry g, Strided out, Strided x, Strided w, Object weightOwner, int weightVersion,
            ChannelEpilogue epilogue) {
        if (weightOwner == null) conv2d(g, out, x, w);
        else conv2d(g, out, x, w, weightOwner, weightVersion);
        long inner = g.oh() * g.ow();
        if (epilogue.relu()) {
            channelAffineRelu(out, out, epilogue.residual(), g.n(), g.o(), inner, epilogue.alpha(), epilogue.beta());
        } else {
            channelAffine(out, out, g.n(), g.o(), inner, epilogue.alpha(), epilogue.beta());
        }
    }

    /**
     * Gradients of conv2d (PyTorch's convolution_backward with an output mask): gx [N, C, H, W]
     * and gw [O, C/groups, kh, kw], either null when not wanted; every element of each is written.
     */
    default void conv2dBackward(ConvGeometry g, Strided gout, Strided x, Strided w, Strided gx, Strided gw) {
        throw missing("conv2d backward");
    }

    /** Max pooling: values and int64 indices (flat positions within each input plane), first maximum and NaN win. */
    default void maxPool2d(PoolGeometry g, Strided out, Strided indices, Strided x) { throw missing("max_pool2d"); }

    /** gx (every element written) = scatter-add of gout to the positions in {@code indices}. */
    default void maxPool2dBackward(PoolGeometry g, Strided gx, Strided gout, Strided indices) {
        throw missing("max_pool2d backward");
    }

    /** adaptive_avg_pool2d of x [planes, h, w] into out [planes, oh, ow] (PyTorch's window bounds). */
    default void adaptiveAvgPool2d(Strided out, Strided x) { throw missing("adaptive_avg_pool2d"); }

    /** gx [planes, h, w] (every element written) from gout [planes, oh, ow]. */
    default void adaptiveAvgPool2dBackward(Strided gx, Strided gout) { throw missing("adaptive_avg_pool2d backward"); }

    /**
     * Per-channel batch statistics of x viewed as [outer, C, inner]: mean[c] and the sum of squared
     * deviations varSum[c] (both of x's dtype, length C), rounded as PyTorch's CPU kernel rounds them.
     */
    default void channelMoments(Strided x, long outer, long channels, long inner, Strided mean, Strided varSum) {
        throw missing("batch_norm statistics");
    }

    /** out = fma(x, alpha[c], beta[c]) over x viewed as [outer, C, inner] (the batch-norm transform). */
    default void channelAffine(Strided out, Strided x, long outer, long channels, long inner, Strided alpha, Strided beta) {
        throw missing("batch_norm transform");
    }

    /**
     * Batch-norm backward over contiguous g and x viewed as [outer, C, inner] with per-channel
     * mean, invstd and weight (null: 1), all of x's dtype: gradWeight[c] = sum((x - mean) * g) *
     * invstd, gradBias[c] = sum(g), and when gx is not null gx = (g - sum/N - (x - mean) * k) *
     * invstd * w with k = sum((x - mean) * g) * invstd^2 / N in training, g * invstd * w in eval.
     */
    default void batchNormBackward(Strided g, Strided x, Strided mean, Strided invstd, Strided weight, long outer,
            long channels, long inner, boolean training, Strided gx, Strided gradWeight, Strided gradBias) {
        throw missing("batch_norm backward");
    }

    /**
     * out = relu(fma(x, alpha[c], beta[c]) + residual) over x viewed as [outer, C, inner]: a batch-norm
     * transform followed by ReLU, with the residual add of a ResNet block before it when residual is
     * not null (then contiguous, of out's shape and dtype). Rounds as {@link #channelAffine}, an add
     * and a ReLU do in sequence; the default composes exactly those, backends may fuse them.
     */
    default void channelAffineRelu(Strided out, Strided x, Strided residual, long outer, long channels, long inner,
            Strided alpha, Strided beta) {
        channelAffine(out, x, outer, channels, inner, alpha, beta);
        if (residual != null) binary(BinaryOp.ADD, out, out, residual, out.dtype());
        unary(UnaryOp.RELU, out, out);
    }

    /**
     * Backward of y = relu(batchNorm(x) + residual) (residual optional): the ReLU's gradient
     * gm = y <= 0 ? 0 : g (as {@link #reluBackward}), then {@link #batchNormBackward} of gm. gResidual,
     * when not null, receives gm (the residual's gradient). alpha and beta, when not null, are the
     * forward's factors with y = relu(fma(x, alpha, beta)) exactly (no residual), so a backend may
     * recompute the mask from x instead of reading y. All tensors contiguous, of x's dtype.
     */
    default void batchNormReluBackward(Strided g, Strided y, Strided x, Strided alpha, Strided beta, Strided mean, Strided invstd,
            Strided weight, long outer, long channels, long inner, boolean training, Strided gResidual, Strided gx,
            Strided gradWeight, Strided gradBias) {
        Strided gm = gResidual;
        if (gm == null) {
            long[] dense = new long[x.rank()];
            long stride = 1;
            for (int d = dense.length - 1; d >= 0; d--) {
                dense[d] = stride;
                stride *= x.shape()[d];
            }
            gm = new Strided(allocateUninitialized(x.numel() * x.dtype().byteSize()), x.dtype(), 0, x.shape(), dense);
        }
        reluBackward(gm, g, y);
        batchNormBackward(gm, x, mean, invstd, weight, outer, channels, inner, training, gx, gradWeight, gradBias);
    }

    /**
     * softmax (or log_softmax) over the last dim of x viewed as [rows, cols] into out. Returns false,
     * writing nothing, when this backend has no fused kernel for the dtype: the caller then composes
     * it from reductions and elementwise ops.
     */
    default boolean softmaxLastDim(Strided out, Strided x, long rows, long cols, boolean log) { return false; }

    // ---- random numbers on devices with their own generators ---------------------------------

    /**
     * out = uniform [from, to) (normal when {@code normal}: mean {@code a}, std {@code b}) drawn from
     * this device's generator at (seed, offset). CPU tensors use PyTorch's CPU generator instead
     * (dev.tessera.random), which is stateful and bit-identical to PyTorch's.
     */
    default void fillRandom(Strided out, boolean normal, double a, double b, long seed, long offset) {
        throw missing(normal ? "normal_" : "uniform_");
    }

    private UnsupportedOperationException missing(String op) {
        return new UnsupportedOperationException("\"" + op + "\" has no kernel on device " + device());
    }

    /**
     * One SGD step in place (torch.optim.SGD: weight decay, momentum with dampening, Nesterov):
     * d = grad + param * weightDecay; with momentum, buf = d on the first step, else buf = buf *
     * momentum + d * (1 - dampening), and d = nesterov ? d + buf * momentum : buf; param += d * -lr.
     * {@code momentumBuffer} is null without momentum. Returns false, writing nothing, when this
     * backend has no fused kernel for the operands: the optimizer then composes the step from
     * elementwise ops, whose rounding a fused kernel must reproduce bit for bit.
     */
    default boolean sgdStep(Strided param, Strided grad, Strided momentumBuffer, double lr, double momentum, double dampening,
            double weightDecay, boolean nesterov, boolean firstStep) {
        return false;
    }

    /**
     * One Adam step in place (torch.optim.Adam's single-tensor update, bias corrections given):
     * g = grad + param * weightDecay; expAvg = expAvg * beta1 + g * (1 - beta1); expAvgSq =
     * expAvgSq * beta2 + g * g * (1 - beta2); with AMSGrad (maxExpAvgSq not null) maxExpAvgSq =
     * max(maxExpAvgSq, expAvgSq), used below instead; param += expAvg / (sqrt(expAvgSq) / bc2Sqrt +
     * eps) * -stepSize. Returns false, writing nothing, when this backend has no fused kernel for
     * the operands (as {@link #sgdStep}).
     */
    default boolean adamStep(Strided param, Strided grad, Strided expAvg, Strided expAvgSq, Strided maxExpAvgSq, double beta1,
            double beta2, double eps, double weightDecay, double stepSize, double bc2Sqrt) {
        return false;
    }
}
