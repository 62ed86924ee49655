package dev.tessera.ops.cuda;

import dev.tessera.DType;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.ConvGeometry;
import dev.tessera.ops.PoolGeometry;
import dev.tessera.ops.ReduceOp;
import dev.tessera.ops.Strided;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Convolution (im2col/col2im kernels + cuBLAS, the column layout of ops/cpu/Im2colConvolution),
 * pooling, batch-norm statistics and transform, and softmax for the CUDA backend. Operands are
 * contiguous (the Backend contract for fused kernels).
 */
final class CudaNetworkKernels {
    /** Column buffers stay below this many elements; larger batches go in chunks of images. */
    private static final long CHUNK_ELEMENTS = 1L << 26;

    private final CudaBackend be;

    CudaNetworkKernels(CudaBackend be) { this.be = be; }

    private static long chunk(ConvGeometry g) {
        return Math.max(1, Math.min(g.n(), CHUNK_ELEMENTS / Math.max(1, g.c() * g.kh() * g.kw() * g.l())));
    }

    private static MemorySegment geom(Arena a, ConvGeometry g) {
        return KernelArgs.longs(a, KernelAbi.CONV2D_GEOM, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(), g.pw(),
                g.dh(), g.dw(), g.oh(), g.ow(), g.groups());
    }

    private static Strided view(Strided s, long offset, long[] shape, long[] strides) {
        return new Strided(s.segment(), s.dtype(), offset, shape, strides);
    }

    private static Strided scratchView(long ptr, DType t, long elements, long[] shape, long[] strides) {
        return new Strided(MemorySegment.ofAddress(ptr).reinterpret(elements * t.byteSize()), t, 0, shape, strides);
    }

    /** out_g [og, L] of each image = W_g [og, K] @ cols_g[:, image's L columns]: one batched product per group and chunk. */
    void conv2d(ConvGeometry g, Strided out, Strided x, Strided w) {
        DType t = x.dtype();
        long l = g.l(), k = g.k(), og = g.og(), chunk = chunk(g);
        try (CudaBackend.Scratch s = be.new Scratch(); Arena a = Arena.ofConfined()) {
            long colsElems = g.groups() * k * chunk * l;
            long cols = s.alloc(colsElems * t.byteSize());
            MemorySegment geom = geom(a, g);
            for (long n0 = 0; n0 < g.n(); n0 += chunk) {
                long nb = Math.min(chunk, g.n() - n0);
                be.grid(KernelAbi.of("im2col", t), g.c() * g.kh() * g.kw() * nb * l, cols, CudaBackend.at(x), geom, n0, nb);
                for (int grp = 0; grp < g.groups(); grp++) {
                    Strided wg = view(w, w.offset() + grp * og * k, new long[]{nb, og, k}, new long[]{0, k, 1});
                    Strided cg = scratchView(cols, t, colsElems, new long[]{nb, k, l}, new long[]{l, nb * l, 1});
                    cg = view(cg, grp * k * nb * l, cg.shape(), cg.strides());
                    Strided og_ = view(out, out.offset() + (n0 * g.o() + grp * og) * l, new long[]{nb, og, l}, new long[]{g.o() * l, l, 1});
                    new CudaMatmul(be).gemm(og_, wg, cg, 0.0);
                }
            }
        }
    }

    void conv2dBackward(ConvGeometry g, Strided gout, Strided x, Strided w, Strided gx, Strided gw) {
        DType t = x.dtype();
        long l = g.l(), k = g.k(), og = g.og(), chunk = chunk(g), es = t.byteSize();
        if (gx != null) be.rt.memset(CudaBackend.at(gx), (byte) 0, gx.numel() * es); // col2im adds into it
        CudaMatmul mm = new CudaMatmul(be);
        try (CudaBackend.Scratch s = be.new Scratch(); Arena a = Arena.ofConfined()) {
            long colsElems = g.groups() * k * chunk * l;
            long cols = gw != null ? s.alloc(colsElems * es) : 0, gcols = gx != null ? s.alloc(colsElems * es) : 0;
            long ggElems = og * chunk * l;
            long gg = s.alloc(ggElems * es);
            MemorySegment geom = geom(a, g);
            for (long n0 = 0; n0 < g.n(); n0 += chunk) {
                long nb = Math.min(chunk, g.n() - n0);
                if (gw != null) be.grid(KernelAbi.of("im2col", t), g.c() * g.kh() * g.kw() * nb * l, cols, CudaBackend.at(x), geom, n0, nb);
                for (int grp = 0; grp < g.groups(); grp++) {
                    // gg [og, nb*L] <- gout[n0 .. n0+nb, group's channels, :] (images side by side, as the columns)
                    Strided ggT = scratchView(gg, t, ggElems, new long[]{og, nb, l}, new long[]{nb * l, l, 1});
                    be.copy(ggT, view(gout, gout.offset() + (n0 * g.o() + grp * og) * l, new long[]{og, nb, l}, new long[]{l, g.o() * l, 1}));
                    Strided ggM = scratchView(gg, t, ggElems, new long[]{1, og, nb * l}, new long[]{0, nb * l, 1});
                    long colOff = grp * k * nb * l;
                    if (gw != null) {
                        // gw_g [og, K] (+)= gg [og, nb*L] @ cols_g^T [nb*L, K]; later chunks add
                        Strided colsT = view(scratchView(cols, t, colsElems, new long[]{1, nb * l, k}, new long[]{0, 1, nb * l}), colOff,
                                new long[]{1, nb * l, k}, new long[]{0, 1, nb * l});
                        mm.gemm(view(gw, gw.offset() + grp * og * k, new long[]{1, og, k}, new long[]{0, k, 1}), ggM, colsT, n0 > 0 ? 1.0 : 0.0);
                    }
                    if (gx != null) {
                        // gcols_g [K, nb*L] = W_g^T [K, og] @ gg [og, nb*L]
                        Strided wT = view(w, w.offset() + grp * og * k, new long[]{1, k, og}, new long[]{0, 1, k});
                        Strided dst = view(scratchView(gcols, t, colsElems, new long[]{1, k, nb * l}, new long[]{0, nb * l, 1}), colOff,
                                new long[]{1, k, nb * l}, new long[]{0, nb * l, 1});
                        mm.gemm(dst, wT, ggM, 0.0);
                    }
                }
                if (gx != null) be.grid(KernelAbi.of("col2im", t), nb * g.c() * g.h() * g.w(), CudaBackend.at(gx), gcols, geom, n0, nb);
            }
        }
    }

    void maxPool2d(PoolGeometry g, Strided out, Strided indices, Strided x) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment geom = KernelArgs.longs(a, KernelAbi.POOL2D_GEOM, g.planes(), g.h(), g.w(), g.oh(), g.ow(), g.kh(), g.kw(),
                    g.sh(), g.sw(), g.ph(), g.pw(), g.dh(), g.dw());
            be.grid(KernelAbi.of("max_pool2d", x.dtype()), g.planes() * g.oh() * g.ow(), CudaBackend.at(out), CudaBackend.at(indices),
                    CudaBackend.at(x), geom);
        }
    }

    void maxPool2dBackward(PoolGeometry g, Strided gx, Strided gout, Strided indices) {
        be.rt.memset(CudaBackend.at(gx), (byte) 0, gx.numel() * gx.dtype().byteSize());
        be.grid(KernelAbi.of("max_pool2d_backward", gx.dtype()), g.planes() * g.oh() * g.ow(), CudaBackend.at(gx), CudaBackend.at(gout),
                CudaBackend.at(indices), g.planes(), g.h() * g.w(), g.oh() * g.ow());
    }

    /**
     * Forward: dst = out [..., oh, ow] from src = x [..., h, w]; backward: dst = gx [..., h, w]
     * (every element written) from src = gout [..., oh, ow]. Leading dims fold into planes.
     */
    void adaptiveAvgPool2d(Strided dst, Strided src, boolean backward) {
        Strided full = backward ? dst : src, pooled = backward ? src : dst;
        int r = full.rank();
        long h = full.shape()[r - 2], w = full.shape()[r - 1], oh = pooled.shape()[r - 2], ow = pooled.shape()[r - 1];
        long planes = h * w == 0 ? 0 : full.numel() / (h * w);
        String name = backward ? "adaptive_avg_pool2d_backward" : "adaptive_avg_pool2d";
        be.grid(KernelAbi.of(name, dst.dtype()), dst.numel(), CudaBackend.at(dst), CudaBackend.at(src), planes, h, w, oh, ow);
    }

    /**
     * mean from the batch-norm statistics kernel (sum in double / count, rounded once, as the CPU
     * kernel); varSum = sum of squared deviations, each deviation and square in the dtype, summed in
     * double and rounded once (the CPU's float32 rounding; float64 differs from its fused
     * multiply-adds in the last bits).
     */
    void channelMoments(Strided x, long outer, long channels, long inner, Strided mean, Strided varSum) {
        DType t = x.dtype();
        try (CudaBackend.Scratch s = be.new Scratch()) {
            long invstd = s.alloc(channels * t.byteSize());
            be.rows(KernelAbi.of("batch_norm_stats", t), channels, outer * inner, CudaBackend.at(mean), invstd, 0L, 0L, CudaBackend.at(x),
                    outer, channels, inner, 0.0, 0.0);
            long[] shape = {outer, channels, inner};
            Strided xs = view(x, x.offset(), shape, CudaBackend.contiguous(shape));
            Strided m = view(mean, mean.offset(), shape, new long[]{0, 1, 0});
            Strided dev = s.tensor(t, shape);
            be.binary(BinaryOp.SUB, dev, xs, m, t);
            be.binary(BinaryOp.MUL, dev, dev, dev, t);
            Strided vs = view(varSum, varSum.offset(), new long[]{1, channels, 1}, new long[]{channels, 1, 1});
            be.reduce(ReduceOp.SUM, vs, dev, new boolean[]{true, false, true});
        }
    }

    /** out = fma(x, alpha[c], beta[c]): the transform kernel with invstd = alpha, mean = 0, no weight, bias = beta. */
    void channelAffine(Strided out, Strided x, long outer, long channels, long inner, Strided alpha, Strided beta) {
        DType t = x.dtype();
        try (CudaBackend.Scratch s = be.new Scratch()) {
            long zeros = s.alloc(channels * t.byteSize());
            be.rt.memset(zeros, (byte) 0, channels * t.byteSize());
            be.grid(KernelAbi.of("batch_norm_transform", t), outer * channels * inner, CudaBackend.at(out), CudaBackend.at(x), zeros,
                    CudaBackend.at(alpha), 0L, CudaBackend.at(beta), outer, channels, inner);
        }
    }

    /** The backward-reduce kernel writes grad bias (sum g) and grad weight (sum g * xhat); the input kernel uses both. */
    void batchNormBackward(Strided g, Strided x, Strided mean, Strided invstd, Strided weight, long outer, long channels, long inner,
            boolean training, Strided gx, Strided gradWeight, Strided gradBias) {
        DType t = x.dtype();
        be.rows(KernelAbi.of("batch_norm_backward_reduce", t), channels, outer * inner, CudaBackend.at(gradBias),
                CudaBackend.at(gradWeight), CudaBackend.at(g), CudaBackend.at(x), CudaBackend.at(mean), CudaBackend.at(invstd),
                outer, channels, inner);
        if (gx == null) return;
        be.grid(KernelAbi.of("batch_norm_backward_input", t), outer * channels * inner, CudaBackend.at(gx), CudaBackend.at(g),
                CudaBackend.at(x), CudaBackend.at(mean), CudaBackend.at(invstd), weight == null ? 0L : CudaBackend.at(weight),
                CudaBackend.at(gradBias), CudaBackend.at(gradWeight), outer, channels, inner, training ? 1 : 0);
    }

    boolean softmaxLastDim(Strided out, Strided x, long rows, long cols, boolean log) {
        if (x.dtype() != DType.FLOAT32 && x.dtype() != DType.FLOAT64) return false;
        be.rows(KernelAbi.of(log ? "log_softmax" : "softmax", x.dtype()), rows, cols, CudaBackend.at(out), CudaBackend.at(x), rows, cols);
        return true;
    }
}
