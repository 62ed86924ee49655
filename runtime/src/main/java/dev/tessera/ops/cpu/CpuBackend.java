package dev.tessera.ops.cpu;

import dev.tessera.DType;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.ChannelEpilogue;
import dev.tessera.ops.ConvGeometry;
import dev.tessera.ops.PoolGeometry;
import dev.tessera.ops.ReduceOp;
import dev.tessera.ops.Strided;
import dev.tessera.ops.UnaryOp;
import dev.tessera.ops.ref.RefBackend;
import dev.tessera.tensor.Elements;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.Map;

/**
 * The CPU backend: Vector API and multithreaded kernels for float32/float64 (elementwise ops with
 * any broadcasting, contiguous unary ops, full and row reductions, GEMM, casts, copies), the
 * reference backend for every other dtype and layout. Each override either takes its fast path
 * or calls super, so the set of supported cases never shrinks. The fused network kernels
 * (convolution, pooling, batch norm, softmax) are float32/float64 only.
 */
public final class CpuBackend extends RefBackend {
    private static final Map<BinaryOp, VectorKernels.BinaryKind> BINARY = new EnumMap<>(Map.of(
            BinaryOp.ADD, VectorKernels.BinaryKind.ADD, BinaryOp.SUB, VectorKernels.BinaryKind.SUB,
            BinaryOp.MUL, VectorKernels.BinaryKind.MUL, BinaryOp.DIV, VectorKernels.BinaryKind.DIV,
            BinaryOp.MAXIMUM, VectorKernels.BinaryKind.MAX, BinaryOp.MINIMUM, VectorKernels.BinaryKind.MIN));

    private static final Map<UnaryOp, VectorKernels.UnaryKind> UNARY = new EnumMap<>(Map.of(
            UnaryOp.NEG, VectorKernels.UnaryKind.NEG, UnaryOp.ABS, VectorKernels.UnaryKind.ABS,
            UnaryOp.RELU, VectorKernels.UnaryKind.RELU, UnaryOp.SQUARE, VectorKernels.UnaryKind.SQUARE,
            UnaryOp.SQRT, VectorKernels.UnaryKind.SQRT, UnaryOp.RECIPROCAL, VectorKernels.UnaryKind.RECIPROCAL,
            UnaryOp.EXP, VectorKernels.UnaryKind.EXP, UnaryOp.LOG, VectorKernels.UnaryKind.LOG,
            UnaryOp.TANH, VectorKernels.UnaryKind.TANH, UnaryOp.SIGMOID, VectorKernels.UnaryKind.SIGMOID));

    private static boolean isF32(DType t) { return t == DType.FLOAT32; }

    private static boolean isFast(DType t) { return t == DType.FLOAT32 || t == DType.FLOAT64; }

    @Override
    public void binary(BinaryOp op, Strided out, Strided a, Strided b, DType compute) {
        if (op.boolResult() && op != BinaryOp.LOGICAL_AND && op != BinaryOp.LOGICAL_OR && isFast(compute)
                && a.dtype() == compute && b.dtype() == compute && out.dtype() == DType.BOOL
                && out.isContiguous() && a.isContiguous() && (b.isContiguous() || isBroadcastScalar(b))) {
            compareContiguous(op, out, a, b, isF32(compute));
            return;
        }
        VectorKernels.BinaryKind k = BINARY.get(op);
        if (k == null || !isFast(compute) || out.dtype() != compute || a.dtype() != compute || b.dtype() != compute) {
            super.binary(op, out, a, b, compute);
            return;
        }
        boolean dense = out.isContiguous() && a.isContiguous();
        long n = out.numel();
        if (dense && b.isContiguous()) {
            // one flat range: split across the pool by elements, whatever the rank
            if (isF32(compute)) VectorKernels.binaryF32(k, a.segment(), a.offset(), b.segment(), b.offset(), out.segment(), out.offset(), n);
            else VectorKernels.binaryF64(k, a.segment(), a.offset(), b.segment(), b.offset(), out.segment(), out.offset(), n);
            return;
        }
        if (dense && isBroadcastScalar(b)) {
            if (isF32(compute)) {
                float v = b.segment().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, b.offset());
                VectorKernels.binaryScalarF32(k, a.segment(), a.offset(), v, out.segment(), out.offset(), n);
            } else {
                double v = b.segment().getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, b.offset());
                VectorKernels.binaryScalarF64(k, a.segment(), a.offset(), v, out.segment(), out.offset(), n);
            }
            return;
        }
        if (isF32(compute)) {
            VectorKernels.binaryStridedF32(k, out.shape(), a.segment(), a.offset(), a.strides(), b.segment(), b.offset(),
                    b.strides(), out.segment(), out.offset(), out.strides());
        } else {
            VectorKernels.binaryStridedF64(k, out.shape(), a.segment(), a.offset(), a.strides(), b.segment(), b.offset(),
                    b.strides(), out.segment(), out.offset(), out.strides());
        }
    }

    private static boolean isBroadcastScalar(Strided t) {
        for (long st : t.strides()) if (st != 0) return false;
        return true;
    }

    /** Comparisons of contiguous floats into bool bytes (relu/clamp/max masks in backward passes). */
    private static void compareContiguous(BinaryOp op, Strided out, Strided a, Strided b, boolean f32) {
        long n = out.numel();
        boolean scalarB = !b.isContiguous() || (isBroadcastScalar(b) && n > 1);
        MemorySegment as = a.segment(), bs = b.segment(), os = out.segment();
        long ao = a.offset(), bo = b.offset(), oo = out.offset();
        Parallel.parallelFor(n, VectorKernels.PARALLEL_MIN_ELEMENTS, (from, to) -> {
            for (long i = from; i < to; i++) {
                double x = f32 ? as.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, ao + i) : as.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, ao + i);
                long j = scalarB ? bo : bo + i;
                double y = f32 ? bs.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, j) : bs.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, j);
                boolean r = switch (op) {
                    case EQ -> x == y;
                    case NE -> x != y;
                    case LT -> x < y;
                    case LE -> x <= y;
                    case GT -> x > y;
                    case GE -> x >= y;
                    default -> throw new IllegalStateException(op.name());
                };
                os.set(ValueLayout.JAVA_BYTE, oo + i, (byte) (r ? 1 : 0));
            }
        });
    }

    @Override
    public void unary(UnaryOp op, Strided out, Strided in) {
        VectorKernels.UnaryKind k = UNARY.get(op);
        boolean contiguous = out.isContiguous() && in.isContiguous();
        if (!isFast(out.dtype()) || in.dtype() != out.dtype() || (k == null && !contiguous)) {
            super.unary(op, out, in);
        } else if (k == null) {
            unaryScalar(op, out, in);
        } else if (contiguous) {
            if (isF32(out.dtype())) VectorKernels.unaryF32(k, in.segment(), in.offset(), out.segment(), out.offset(), out.numel());
            else VectorKernels.unaryF64(k, in.segment(), in.offset(), out.segment(), out.offset(), out.numel());
        } else if (isF32(out.dtype())) {
            // views take the kernels' own formulas (exp, log, tanh, ...), not the reference's Math ones
            VectorKernels.unaryStridedF32(k, out.shape(), in.segment(), in.offset(), in.strides(), out.segment(), out.offset(),
                    out.strides());
        } else {
            VectorKernels.unaryStridedF64(k, out.shape(), in.segment(), in.offset(), in.strides(), out.segment(), out.offset(),
                    out.strides());
        }
    }

    /**
     * Ops without a vector kernel (sin, floor, erf, ...) on contiguous floats: the reference's
     * formula in double, rounded once, in a plain parallel loop (same results as the reference).
     */
    private static void unaryScalar(UnaryOp op, Strided out, Strided in) {
        boolean f32 = isF32(out.dtype());
        MemorySegment is = in.segment(), os = out.segment();
        long io = in.offset(), oo = out.offset();
        Parallel.parallelFor(out.numel(), VectorKernels.PARALLEL_MIN_ELEMENTS / 8, (from, to) -> {
            for (long i = from; i < to; i++) {
                if (f32) {
                    os.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, oo + i,
                            (float) op.apply(is.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, io + i)));
                } else {
                    os.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, oo + i,
                            op.apply(is.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, io + i)));
                }
            }
        });
    }

    @Override
    public void fill(Strided out, double value) {
        if (!isFast(out.dtype()) || !out.isContiguous()) {
            super.fill(out, value);
            return;
        }
        if (isF32(out.dtype())) VectorKernels.fillF32(out.segment(), out.offset(), out.numel(), (float) value);
        else VectorKernels.fillF64(out.segment(), out.offset(), out.numel(), value);
    }

    /**
     * An integer on a floating dtype is stored as its double ({@code Elements.setLong}), so it takes
     * the vector fill; {@code ones()}, {@code zero_()} and {@code fill_(1)} used to walk the
     * element-by-element reference loop, 30-200x slower. Contiguous integer tensors are filled by
     * doubling copies of the first element.
     */
    @Override
    public void fillLong(Strided out, long value) {
        if (out.dtype().isFloatingPoint()) {
            fill(out, (double) value);
        } else if (out.isContiguous() && out.numel() > 0) {
            MemorySegment s = out.segment();
            long size = out.dtype().byteSize(), at = out.offset() * size, bytes = out.numel() * size;
            Elements.setLong(s, out.dtype(), at, value);
            for (long done = size; done < bytes; done *= 2) {
                MemorySegment.copy(s, at, s, at + done, Math.min(done, bytes - done));
            }
        } else {
            super.fillLong(out, value);
        }
    }

    @Override
    public void copy(Strided dst, Strided src) {
        if (dst.isContiguous() && src.isContiguous()) {
            long n = dst.numel();
            if (dst.dtype() == src.dtype()) {
                long size = dst.dtype().byteSize();
                MemorySegment.copy(src.segment(), src.offset() * size, dst.segment(), dst.offset() * size, n * size);
                return;
            }
            if (src.dtype() == DType.FLOAT32 && dst.dtype() == DType.FLOAT64) {
                VectorKernels.castF32ToF64(src.segment(), src.offset(), dst.segment(), dst.offset(), n);
                return;
            }
            if (src.dtype() == DType.FLOAT64 && dst.dtype() == DType.FLOAT32) {
                VectorKernels.castF64ToF32(src.segment(), src.offset(), dst.segment(), dst.offset(), n);
                return;
            }
            if (src.dtype() == DType.BOOL && isFast(dst.dtype())) {
                boolToFloat(dst, src, n);
                return;
            }
        }
        if (isFast(dst.dtype()) && dst.dtype() == src.dtype()) {
            copyStrided(dst, src);
            return;
        }
        super.copy(dst, src);
    }

    /** Masks to 0/1 floats (a bool tensor's bytes are 0 or 1). */
    private static void boolToFloat(Strided dst, Strided src, long n) {
        boolean f32 = isF32(dst.dtype());
        MemorySegment ss = src.segment(), ds = dst.segment();
        long so = src.offset(), dOff = dst.offset();
        Parallel.parallelFor(n, VectorKernels.PARALLEL_MIN_ELEMENTS, (from, to) -> {
            for (long i = from; i < to; i++) {
                int v = ss.get(ValueLayout.JAVA_BYTE, so + i) != 0 ? 1 : 0;
                if (f32) ds.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, dOff + i, v);
                else ds.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, dOff + i, v);
            }
        });
    }

    private static void copyStrided(Strided dst, Strided src) {
        // max(x, x) == x for every x including NaN and -0.0, so MAX with itself is an exact strided copy
        if (dst.dtype() == DType.FLOAT32) {
            VectorKernels.binaryStridedF32(VectorKernels.BinaryKind.MAX, dst.shape(), src.segment(), src.offset(), src.strides(),
                    src.segment(), src.offset(), src.strides(), dst.segment(), dst.offset(), dst.strides());
        } else {
            VectorKernels.binaryStridedF64(VectorKernels.BinaryKind.MAX, dst.shape(), src.segment(), src.offset(), src.strides(),
                    src.segment(), src.offset(), src.strides(), dst.segment(), dst.offset(), dst.strides());
        }
    }

    @Override
    public void reduce(ReduceOp op, Strided out, Strided in, boolean[] reduced) {
        if ((op != ReduceOp.SUM && op != ReduceOp.MAX) || !isFast(in.dtype()) || out.dtype() != in.dtype()
                || !in.isContiguous() || !out.isContiguous() || in.numel() == 0) {
            super.reduce(op, out, in, reduced);
            return;
        }
        // contiguous input reduced over a trailing block of dims: rows of length `inner`
        int rank = in.rank();
        int first = rank;
        while (first > 0 && reduced[first - 1]) first--;
        for (int d = 0; d < first; d++) {
            if (reduced[d] && in.shape()[d] != 1) {
                reduceMixed(op, out, in, reduced, first);
                return;
            }
        }
        long inner = 1;
        for (int d = first; d < rank; d++) inner *= in.shape()[d];
        long rows = in.numel() / inner;
        boolean f32 = isF32(in.dtype());
        MemorySegment src = in.segment(), dst = out.segment();
        long rowLength = inner;
        Parallel.parallelFor(rows, Math.max(1, (1L << 16) / Math.max(inner, 1)), (from, to) -> {
            for (long r = from; r < to; r++) {
                long off = in.offset() + r * rowLength;
                if (f32) {
                    float v = op == ReduceOp.SUM ? VectorKernels.sumF32(src, off, rowLength) : VectorKernels.maxF32(src, off, rowLength);
                    dst.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, out.offset() + r, v);
                } else {
                    double v = op == ReduceOp.SUM ? VectorKernels.sumF64(src, off, rowLength) : VectorKernels.maxF64(src, off, rowLength);
                    dst.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, out.offset() + r, v);
                }
            }
        });
    }

    /**
     * Reduced dims before a kept one (e.g. batch-norm statistics over N, H, W of [N, C, H, W]): each
     * contiguous row of the trailing reduced block is reduced with the vector kernels, and row
     * results are combined per output slot in double (rows are visited in order, so the result does
     * not depend on the thread count).
     */
    private void reduceMixed(ReduceOp op, Strided out, Strided in, boolean[] reduced, int first) {
        int rank = in.rank();
        long inner = 1;
        for (int d = first; d < rank; d++) inner *= in.shape()[d];
        long rows = in.numel() / inner;
        long slots = out.numel();
        if (inner < 64 || slots > (1 << 20)) {
            super.reduce(op, out, in, reduced);
            return;
        }
        // slot of each row: mixed-radix index over the kept dims among [0, first)
        long[] shape = in.shape();
        double[] acc = new double[(int) slots];
        java.util.Arrays.fill(acc, op == ReduceOp.SUM ? 0.0 : Double.NEGATIVE_INFINITY);
        double[] rowValues = new double[(int) rows];
        boolean f32 = isF32(in.dtype());
        MemorySegment src = in.segment();
        long rowLength = inner;
        Parallel.parallelFor(rows, Math.max(1, (1L << 16) / inner), (from, to) -> {
            for (long r = from; r < to; r++) {
                long off = in.offset() + r * rowLength;
                rowValues[(int) r] = op == ReduceOp.SUM
                        ? (f32 ? VectorKernels.sumF32(src, off, rowLength) : VectorKernels.sumF64(src, off, rowLength))
                        : (f32 ? VectorKernels.maxF32(src, off, rowLength) : VectorKernels.maxF64(src, off, rowLength));
            }
        });
        for (long r = 0; r < rows; r++) {
            long rem = r, slot = 0, mul = 1;
            for (int d = first - 1; d >= 0; d--) {
                long idx = rem % shape[d];
                rem /= shape[d];
                if (!reduced[d]) {
                    slot += idx * mul;
                    mul *= shape[d];
                }
            }
            double v = rowValues[(int) r];
            int k = (int) slot;
            acc[k] = op == ReduceOp.SUM ? acc[k] + v : (Double.isNaN(v) || v > acc[k]) && !Double.isNaN(acc[k]) ? v : acc[k];
        }
        for (int k = 0; k < slots; k++) {
            if (f32) out.segment().setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, out.offset() + k, (float) acc[k]);
            else out.segment().setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, out.offset() + k, acc[k]);
        }
    }

    @Override
    public void matmul(Strided out, Strided a, Strided b) {
        DType t = out.dtype();
        if (!isFast(t) || a.dtype() != t || b.dtype() != t
                || out.shape()[1] > Integer.MAX_VALUE || out.shape()[2] > Integer.MAX_VALUE || a.shape()[2] > Integer.MAX_VALUE) {
            super.matmul(out, a, b);
            return;
        }
        int m = (int) out.shape()[1], n = (int) out.shape()[2], k = (int) a.shape()[2];
        long[] as = a.strides(), bs = b.strides(), os = out.strides();
        for (long p = 0; p < out.shape()[0]; p++) {
            long aOff = a.offset() + p * as[0], bOff = b.offset() + p * bs[0], oOff = out.offset() + p * os[0];
            if (t == DType.FLOAT32) {
                Gemm.sgemm(m, n, k, 1f, a.segment(), aOff, as[1], as[2], b.segment(), bOff, bs[1], bs[2],
                        0f, out.segment(), oOff, os[1], os[2]);
            } else {
                Gemm.dgemm(m, n, k, 1.0, a.segment(), aOff, as[1], as[2], b.segment(), bOff, bs[1], bs[2],
                        0.0, out.segment(), oOff, os[1], os[2]);
            }
        }
    }

    @Override
    public void reluBackward(Strided out, Strided g, Strided y) {
        if (isF32(out.dtype()) && g.dtype() == out.dtype() && y.dtype() == out.dtype()
                && out.isContiguous() && g.isContiguous() && y.isContiguous()) {
            ActivationKernels.reluBackwardF32(out.segment(), out.offset(), g.segment(), g.offset(), y.segment(), y.offset(), out.numel());
            return;
        }
        super.reluBackward(out, g, y);
    }

    // ---- fused network kernels ---------------------------------------------------------------

    /**
     * Float32 convolutions that the direct channel-blocked kernels prefer (groups 1 or pointwise, at
     * least 16 channels each way, 16-float vectors) run there; those with 1-15 input channels (a
     * 3-channel stem) on the few-channel direct kernels; everything else (float64, grouped 3x3,
     * sizes beyond int) runs as im2col + GEMM.
     */
    @Override
    public void conv2d(ConvGeometry g, Strided out, Strided x, Strided w) {
        conv2d(g, out, x, w, null, 0);
    }

    /** The direct kernels keep a weight's blocked copy for inference (see {@link ConvWeightCache}). */
    @Override
    public void conv2d(ConvGeometry g, Strided out, Strided x, Strided w, Object weightOwner, int weightVersion) {
        DirectConvShape d = direct(g, out, x, w);
        if (d != null) {
            float[] blocked = weightOwner == null ? null : ConvWeightCache.forward(weightOwner, weightVersion, w.segment(), w.offset(), d);
            DirectConv.forward(x.segment(), x.offset(), w.segment(), w.offset(), null, 0, out.segment(), out.offset(), d, blocked);
            return;
        }
        DirectConvShape few = fewChannels(g, out, x, w);
        if (few != null) {
            FewChannelConv.forward(x.segment(), x.offset(), w.segment(), w.offset(), null, 0, out.segment(), out.offset(), few);
            return;
        }
        Im2colConvolution.forward(g, out, x, w);
    }

    /**
     * The direct kernels apply the epilogue while they reorder the output to NCHW, the few-channel
     * (stem) kernels as they store it (no pass of its own over the output); other paths run the
     * convolution and then the epilogue.
     */
    @Override
    public void conv2d(ConvGeometry g, Strided out, Strided x, Strided w, Object weightOwner, int weightVersion,
            ChannelEpilogue epilogue) {
        Strided r = epilogue.residual();
        Strided[] operands = r == null ? new Strided[]{out, x, w, epilogue.alpha(), epilogue.beta()}
                : new Strided[]{out, x, w, epilogue.alpha(), epilogue.beta(), r};
        DirectConvShape d = direct(g, operands);
        if (d != null) {
            float[] blocked = weightOwner == null ? null : ConvWeightCache.forward(weightOwner, weightVersion, w.segment(), w.offset(), d);
            DirectConv.forward(x.segment(), x.offset(), w.segment(), w.offset(), null, 0, out.segment(), out.offset(), d, blocked,
                    OutputEpilogue.of(epilogue, d.o(), out.numel()));
            return;
        }
        DirectConvShape few = fewChannels(g, operands);
        if (few != null) {
            FewChannelConv.forward(x.segment(), x.offset(), w.segment(), w.offset(), null, 0, out.segment(), out.offset(), few,
                    OutputEpilogue.of(epilogue, few.o(), out.numel()));
            return;
        }
        super.conv2d(g, out, x, w, weightOwner, weightVersion, epilogue);
    }

    @Override
    public void conv2dBackward(ConvGeometry g, Strided gout, Strided x, Strided w, Strided gx, Strided gw) {
        DirectConvShape d = direct(g, gout, x, w);
        if (d != null) {
            if (gx != null && gw != null) {
                DirectConv.backwardDataAndWeights(gout.segment(), gout.offset(), x.segment(), x.offset(), w.segment(), w.offset(),
                        gx.segment(), gx.offset(), gw.segment(), gw.offset(), d);
                return;
            }
            if (gx != null) DirectConv.backwardData(gout.segment(), gout.offset(), w.segment(), w.offset(), gx.segment(), gx.offset(), d);
            if (gw != null) {
                DirectConv.backwardWeights(gout.segment(), gout.offset(), x.segment(), x.offset(), gw.segment(), gw.offset(), null, 0, d);
            }
            return;
        }
        DirectConvShape few = gw == null ? null : fewChannels(g, gout, x, w, gw);
        if (few != null) {
            FewChannelConv.backwardWeights(gout.segment(), gout.offset(), x.segment(), x.offset(), gw.segment(), gw.offset(), null, 0, few);
            // the input gradient (rarely wanted of a stem: its input is the data) stays with im2col
            if (gx != null) Im2colConvolution.backward(g, gout, x, w, gx, null);
            return;
        }
        Im2colConvolution.backward(g, gout, x, w, gx, gw);
    }

    private static DirectConvShape direct(ConvGeometry g, Strided... operands) {
        DirectConvShape d = directShape(g, operands);
        return d != null && DirectConv.preferred(d) ? d : null;
    }

    /** The few-channel direct kernels' geometry (a stem: fewer than 16 input channels), or null. */
    private static DirectConvShape fewChannels(ConvGeometry g, Strided... operands) {
        DirectConvShape d = directShape(g, operands);
        return d != null && FewChannelConv.preferred(d) ? d : null;
    }

    /** The geometry in int sizes when the direct kernels may take it at all (float32, contiguous), or null. */
    private static DirectConvShape directShape(ConvGeometry g, Strided... operands) {
        if (DIRECT_CONV_OFF) return null;
        for (Strided s : operands) if (s.dtype() != DType.FLOAT32 || !s.isContiguous()) return null;
        return DirectConvShape.ofSizes(g.n(), g.c(), g.h(), g.w(), g.o(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(),
                g.dh(), g.dw(), g.groups());
    }

    /** -Dtessera.directConv=false keeps every convolution on im2col + GEMM (for comparisons). */
    private static final boolean DIRECT_CONV_OFF = !Boolean.parseBoolean(System.getProperty("tessera.directConv", "true"));

    @Override
    public void maxPool2d(PoolGeometry g, Strided out, Strided indices, Strided x) {
        PoolingKernels.maxPool2d(g, out, indices, x);
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Strided gx, Strided gout, Strided indices) {
        PoolingKernels.maxPool2dBackward(g, gx, gout, indices);
    }

    @Override
    public void adaptiveAvgPool2d(Strided out, Strided x) {
        PoolingKernels.adaptiveAvgPool2d(out, x);
    }

    @Override
    public void adaptiveAvgPool2dBackward(Strided gx, Strided gout) {
        PoolingKernels.adaptiveAvgPool2dBackward(gx, gout);
    }

    @Override
    public void channelMoments(Strided x, long outer, long channels, long inner, Strided mean, Strided varSum) {
        int c = Math.toIntExact(channels);
        if (isF32(x.dtype())) {
            float[][] m = ChannelKernels.momentsF32(x.segment(), x.offset(), outer, c, inner);
            MemorySegment.copy(m[0], 0, mean.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, mean.offset() * Float.BYTES, c);
            MemorySegment.copy(m[1], 0, varSum.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, varSum.offset() * Float.BYTES, c);
        } else {
            double[][] m = ChannelKernels.momentsF64(x.segment(), x.offset(), outer, c, inner);
            MemorySegment.copy(m[0], 0, mean.segment(), ValueLayout.JAVA_DOUBLE_UNALIGNED, mean.offset() * Double.BYTES, c);
            MemorySegment.copy(m[1], 0, varSum.segment(), ValueLayout.JAVA_DOUBLE_UNALIGNED, varSum.offset() * Double.BYTES, c);
        }
    }

    @Override
    public void channelAffine(Strided out, Strided x, long outer, long channels, long inner, Strided alpha, Strided beta) {
        int c = Math.toIntExact(channels);
        if (isF32(x.dtype())) {
            ChannelKernels.affineF32(x.segment(), x.offset(), out.segment(), out.offset(), outer, floats(alpha, c), floats(beta, c), inner);
        } else {
            ChannelKernels.affineF64(x.segment(), x.offset(), out.segment(), out.offset(), outer, doubles(alpha, c), doubles(beta, c), inner);
        }
    }

    @Override
    public void batchNormBackward(Strided g, Strided x, Strided mean, Strided invstd, Strided weight, long outer,
            long channels, long inner, boolean training, Strided gx, Strided gradWeight, Strided gradBias) {
        // the fused kernel without a ReLU mask (no y, no factors) is plain batch norm's backward
        batchNormBackwardKernel(g, null, x, null, null, mean, invstd, weight, outer, channels, inner, training, null, gx,
                gradWeight, gradBias);
    }

    @Override
    public void channelAffineRelu(Strided out, Strided x, Strided residual, long outer, long channels, long inner,
            Strided alpha, Strided beta) {
        if (!isF32(x.dtype()) && x.dtype() != DType.FLOAT64) {
            super.channelAffineRelu(out, x, residual, outer, channels, inner, alpha, beta);
            return;
        }
        int c = Math.toIntExact(channels);
        MemorySegment rs = residual == null ? null : residual.segment();
        long rOff = residual == null ? 0 : residual.offset();
        if (isF32(x.dtype())) {
            BatchNormReluKernels.forwardF32(x.segment(), x.offset(), rs, rOff, out.segment(), out.offset(), outer,
                    floats(alpha, c), floats(beta, c), inner);
        } else {
            BatchNormReluKernels.forwardF64(x.segment(), x.offset(), rs, rOff, out.segment(), out.offset(), outer,
                    doubles(alpha, c), doubles(beta, c), inner);
        }
    }

    @Override
    public void batchNormReluBackward(Strided g, Strided y, Strided x, Strided alpha, Strided beta, Strided mean, Strided invstd,
            Strided weight, long outer, long channels, long inner, boolean training, Strided gResidual, Strided gx,
            Strided gradWeight, Strided gradBias) {
        if (!isF32(x.dtype()) && x.dtype() != DType.FLOAT64) {
            super.batchNormReluBackward(g, y, x, alpha, beta, mean, invstd, weight, outer, channels, inner, training, gResidual, gx,
                    gradWeight, gradBias);
            return;
        }
        boolean fromX = alpha != null && beta != null && gResidual == null;
        batchNormBackwardKernel(g, y, x, fromX ? alpha : null, fromX ? beta : null, mean, invstd, weight, outer, channels, inner,
                training, gResidual, gx, gradWeight, gradBias);
    }

    /** BatchNormReluKernels' backward: y null and no factors for plain batch norm, else the ReLU mask's source. */
    private static void batchNormBackwardKernel(Strided g, Strided y, Strided x, Strided alpha, Strided beta, Strided mean,
            Strided invstd, Strided weight, long outer, long channels, long inner, boolean training, Strided gResidual,
            Strided gx, Strided gradWeight, Strided gradBias) {
        int c = Math.toIntExact(channels);
        MemorySegment ys = y == null ? null : y.segment(), gxs = gx == null ? null : gx.segment();
        MemorySegment grs = gResidual == null ? null : gResidual.segment();
        long yOff = y == null ? 0 : y.offset(), gxOff = gx == null ? 0 : gx.offset(), grOff = gResidual == null ? 0 : gResidual.offset();
        if (isF32(x.dtype())) {
            float[] gw = new float[c], gb = new float[c];
            BatchNormReluKernels.backwardF32(g.segment(), g.offset(), ys, yOff, alpha == null ? null : floats(alpha, c),
                    beta == null ? null : floats(beta, c), x.segment(), x.offset(), grs, grOff, gxs, gxOff, outer, c, inner,
                    floats(mean, c), floats(invstd, c), weight == null ? null : floats(weight, c), training, gw, gb);
            MemorySegment.copy(gw, 0, gradWeight.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, gradWeight.offset() * Float.BYTES, c);
            MemorySegment.copy(gb, 0, gradBias.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, gradBias.offset() * Float.BYTES, c);
        } else {
            double[] gw = new double[c], gb = new double[c];
            BatchNormReluKernels.backwardF64(g.segment(), g.offset(), ys, yOff, alpha == null ? null : doubles(alpha, c),
                    beta == null ? null : doubles(beta, c), x.segment(), x.offset(), grs, grOff, gxs, gxOff, outer, c, inner,
                    doubles(mean, c), doubles(invstd, c), weight == null ? null : doubles(weight, c), training, gw, gb);
            MemorySegment.copy(gw, 0, gradWeight.segment(), ValueLayout.JAVA_DOUBLE_UNALIGNED, gradWeight.offset() * Double.BYTES, c);
            MemorySegment.copy(gb, 0, gradBias.segment(), ValueLayout.JAVA_DOUBLE_UNALIGNED, gradBias.offset() * Double.BYTES, c);
        }
    }

    private static float[] floats(Strided v, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = v.segment().get(ValueLayout.JAVA_FLOAT_UNALIGNED, v.byteOffsetOf(i));
        return out;
    }

    private static double[] doubles(Strided v, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = v.segment().get(ValueLayout.JAVA_DOUBLE_UNALIGNED, v.byteOffsetOf(i));
        return out;
    }

    @Override
    public boolean softmaxLastDim(Strided out, Strided x, long rows, long cols, boolean log) {
        if (!isF32(x.dtype())) return false; // float64 composes from reductions, as before
        SoftmaxKernels.softmaxF32(x.segment(), x.offset(), out.segment(), out.offset(), rows, cols, log);
        return true;
    }

    /** Float32, contiguous, the same element count: what the fused optimizer kernels take. */
    private static boolean fusable(Strided param, Strided... others) {
        if (!isF32(param.dtype()) || !param.isContiguous()) return false;
        for (Strided o : others) {
            if (o != null && (o.dtype() != param.dtype() || !o.isContiguous() || o.numel() != param.numel())) return false;
        }
        return true;
    }

    @Override
    public boolean sgdStep(Strided param, Strided grad, Strided buf, double lr, double momentum, double dampening, double weightDecay,
            boolean nesterov, boolean firstStep) {
        long n = param.numel();
        if (!fusable(param, grad, buf) || (momentum != 0) != (buf != null)) return false;
        OptimizerKernels.sgdF32(param.segment(), param.offset(), grad.segment(), grad.offset(), buf == null ? param.segment() : buf.segment(),
                buf == null ? 0 : buf.offset(), n, new OptimizerKernels.SgdConstants((float) weightDecay, (float) momentum,
                        (float) (1 - dampening), (float) momentum, (float) -lr, weightDecay != 0, momentum != 0, nesterov, firstStep));
        return true;
    }

    @Override
    public boolean adamStep(Strided param, Strided grad, Strided m, Strided v, Strided vmax, double beta1, double beta2, double eps,
            double weightDecay, double stepSize, double bc2Sqrt) {
        if (!fusable(param, grad, m, v, vmax)) return false;
        OptimizerKernels.adamF32(param.segment(), param.offset(), grad.segment(), grad.offset(), m.segment(), m.offset(), v.segment(),
                v.offset(), vmax == null ? v.segment() : vmax.segment(), vmax == null ? 0 : vmax.offset(), param.numel(),
                new OptimizerKernels.AdamConstants((float) weightDecay, (float) beta1, (float) (1 - beta1), (float) beta2,
                        (float) (1 - beta2), (float) bc2Sqrt, (float) eps, (float) -stepSize, weightDecay != 0, vmax != null));
        return true;
    }
}
