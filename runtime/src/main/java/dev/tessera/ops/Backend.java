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
}
