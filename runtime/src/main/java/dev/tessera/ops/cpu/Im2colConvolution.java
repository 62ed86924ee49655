package dev.tessera.ops.cpu;

import dev.tessera.DType;
import dev.tessera.memory.Allocator;
import dev.tessera.memory.MemoryScope;
import dev.tessera.ops.ConvGeometry;
import dev.tessera.ops.Strided;
import dev.tessera.ops.cpu.VectorKernels.BinaryKind;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * 2-D convolution by im2col + GEMM, forward and backward, float32 and float64, contiguous NCHW.
 *
 * <p>Columns are laid out as [groups, Cg*kh*kw, n*L] for a chunk of n images (L = oh*ow), so each
 * group's product is one large matrix multiply: out_g [Og, n*L] = W_g [Og, K] @ cols_g [K, n*L].
 * Backward recomputes the columns from the input instead of keeping them alive, and chunks the
 * batch so a column buffer stays below {@link #CHUNK_ELEMENTS} elements. Temporaries live in a
 * scope per call and go straight back to the block pool.
 */
final class Im2colConvolution {
    private static final long CHUNK_ELEMENTS = 1L << 24;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private Im2colConvolution() {}

    /** Images per chunk so that one column buffer holds at most CHUNK_ELEMENTS elements. */
    private static long chunk(ConvGeometry g) {
        return Math.max(1, Math.min(g.n(), CHUNK_ELEMENTS / Math.max(1, g.c() * g.kh() * g.kw() * g.l())));
    }

    static void forward(ConvGeometry g, Strided out, Strided x, Strided w) {
        boolean f32 = x.dtype() == DType.FLOAT32;
        long es = x.dtype().byteSize(), l = g.l(), k = g.k(), og = g.og(), chunk = chunk(g);
        try (MemoryScope temporaries = MemoryScope.open()) {
            MemorySegment cols = Allocator.allocate(g.groups() * k * chunk * l * es, false);
            MemorySegment prod = chunk > 1 ? Allocator.allocate(og * chunk * l * es, false) : null;
            for (long n0 = 0; n0 < g.n(); n0 += chunk) {
                long nb = Math.min(chunk, g.n() - n0);
                im2col(g, x, n0, nb, cols);
                for (int grp = 0; grp < g.groups(); grp++) {
                    long wOff = w.offset() + grp * og * k, colOff = grp * k * nb * l;
                    long dstOff = out.offset() + (n0 * g.o() + grp * og) * l;
                    if (nb == 1) {
                        // one image: the product's [og, L] layout is the output's, so multiply straight into it
                        gemm(f32, og, l, k, w.segment(), wOff, k, 1, cols, colOff, l, 1, false, out.segment(), dstOff, l, 1);
                        continue;
                    }
                    gemm(f32, og, nb * l, k, w.segment(), wOff, k, 1, cols, colOff, nb * l, 1, false, prod, 0, nb * l, 1);
                    // out[n0 + i, grp*og + j, :] = prod[j, i*L : (i+1)*L]
                    long rowsOut = og, images = nb;
                    Parallel.parallelFor(rowsOut * images, Math.max(1, (1L << 14) / l), (from, to) -> {
                        for (long r = from; r < to; r++) {
                            long j = r / images, i = r % images;
                            MemorySegment.copy(prod, (j * images * l + i * l) * es, out.segment(),
                                    (dstOff + i * g.o() * l + j * l) * es, l * es);
                        }
                    });
                }
            }
        }
    }

    static void backward(ConvGeometry g, Strided gout, Strided x, Strided w, Strided gx, Strided gw) {
        boolean f32 = x.dtype() == DType.FLOAT32;
        long es = x.dtype().byteSize(), l = g.l(), k = g.k(), og = g.og(), chunk = chunk(g);
        if (gx != null) gx.segment().asSlice(gx.offset() * es, gx.numel() * es).fill((byte) 0); // col2im adds into it
        try (MemoryScope temporaries = MemoryScope.open()) {
            MemorySegment cols = gw != null ? Allocator.allocate(g.groups() * k * chunk * l * es, false) : null;
            MemorySegment gcols = gx != null ? Allocator.allocate(g.groups() * k * chunk * l * es, false) : null;
            MemorySegment ggBuf = chunk > 1 ? Allocator.allocate(og * chunk * l * es, false) : null;
            for (long n0 = 0; n0 < g.n(); n0 += chunk) {
                long nb = Math.min(chunk, g.n() - n0);
                if (gw != null) im2col(g, x, n0, nb, cols);
                for (int grp = 0; grp < g.groups(); grp++) {
                    // gout_g as a contiguous [Og, nb*L] matrix: for one image it already is one
                    long gOff = gout.offset() + (n0 * g.o() + grp * og) * l;
                    MemorySegment gg = gout.segment();
                    long ggOff = gOff;
                    if (nb > 1) {
                        gatherImages(gout.segment(), gOff, g.o() * l, ggBuf, og, nb, l, es);
                        gg = ggBuf;
                        ggOff = 0;
                    }
                    long colOff = grp * k * nb * l;
                    if (gw != null) {
                        // gw_g [Og, K] (+)= gg [Og, nb*L] @ cols_g^T [nb*L, K]; the first chunk writes, later ones add
                        gemm(f32, og, k, nb * l, gg, ggOff, nb * l, 1, cols, colOff, 1, nb * l, n0 > 0,
                                gw.segment(), gw.offset() + grp * og * k, k, 1);
                    }
                    if (gx != null) {
                        // gcols_g [K, nb*L] = W_g^T [K, Og] @ gg [Og, nb*L]
                        gemm(f32, k, nb * l, og, w.segment(), w.offset() + grp * og * k, 1, k, gg, ggOff, nb * l, 1, false,
                                gcols, colOff, nb * l, 1);
                    }
                }
                if (gx != null) col2im(g, gcols, gx, n0, nb);
            }
        }
    }

    /** dst [og, nb*L] = rows j of images i of src, where image i's row j starts at src offset i*imageStride + j*L. */
    private static void gatherImages(MemorySegment src, long srcOff, long imageStride, MemorySegment dst, long og, long nb,
            long l, long es) {
        Parallel.parallelFor(og * nb, Math.max(1, (1L << 14) / l), (from, to) -> {
            for (long r = from; r < to; r++) {
                long j = r / nb, i = r % nb;
                MemorySegment.copy(src, (srcOff + i * imageStride + j * l) * es, dst, (j * nb * l + i * l) * es, l * es);
            }
        });
    }

    private static void gemm(boolean f32, long m, long n, long k, MemorySegment a, long aOff, long aRs, long aCs,
            MemorySegment b, long bOff, long bRs, long bCs, boolean accumulate, MemorySegment c, long cOff, long cRs, long cCs) {
        int mi = Math.toIntExact(m), ni = Math.toIntExact(n), ki = Math.toIntExact(k);
        if (f32) {
            Gemm.sgemm(mi, ni, ki, 1f, a, aOff, aRs, aCs, b, bOff, bRs, bCs, accumulate ? 1f : 0f, c, cOff, cRs, cCs);
        } else {
            Gemm.dgemm(mi, ni, ki, 1.0, a, aOff, aRs, aCs, b, bOff, bRs, bCs, accumulate ? 1.0 : 0.0, c, cOff, cRs, cCs);
        }
    }

    /**
     * Columns [groups, Cg*kh*kw, nb*L] of images [n0, n0+nb) of the contiguous input; zero where
     * padded. Every element is written (copied or zeroed), so the buffer skips the allocation fill.
     */
    static void im2col(ConvGeometry g, Strided x, long n0, long nb, MemorySegment dst) {
        long l = g.l(), rowLen = nb * l;
        MemorySegment src = x.segment();
        boolean f32 = x.dtype() == DType.FLOAT32;
        long base = x.offset();
        // every (channel, tap) fills its own row: split those rows across the worker pool (split by
        // channel, the 3-channel stem gave one thread two channels and the other one)
        long taps = g.kh() * g.kw();
        Parallel.parallelFor(g.c() * taps, Math.max(1, (1L << 15) / Math.max(1, rowLen)), (rFrom, rTo) -> {
            for (long row = rFrom; row < rTo; row++) {
                // row index within all groups: channel c belongs to group c / cg, its rows are contiguous there
                long c = row / taps, i = row % taps / g.kw(), j = row % g.kw();
                long ix0 = j * g.dw() - g.pw();
                long lo = Math.min(g.ow(), validLo(ix0, g.sw())), hi = Math.max(lo, validHi(ix0, g.sw(), g.w(), g.ow()));
                for (long b = 0; b < nb; b++) {
                    long outBase = row * rowLen + b * l;
                    long inPlane = base + ((n0 + b) * g.c() + c) * g.h() * g.w();
                    for (long oy = 0; oy < g.oh(); oy++) {
                        long iy = oy * g.sh() - g.ph() + i * g.dh();
                        long o = outBase + oy * g.ow();
                        if (iy < 0 || iy >= g.h()) {
                            zero(dst, o, g.ow(), f32); // a padding row
                            continue;
                        }
                        zero(dst, o, lo, f32);
                        zero(dst, o + hi, g.ow() - hi, f32);
                        long rowIn = inPlane + iy * g.w();
                        if (g.sw() == 1) {
                            // unit stride: the valid part of the output row is one contiguous input run
                            long es = f32 ? 4 : 8;
                            MemorySegment.copy(src, (rowIn + lo + ix0) * es, dst, (o + lo) * es, (hi - lo) * es);
                            continue;
                        }
                        for (long ox = lo; ox < hi; ox++) {
                            long ix = ox * g.sw() + ix0;
                            if (f32) dst.setAtIndex(F32, o + ox, src.getAtIndex(F32, rowIn + ix));
                            else dst.setAtIndex(F64, o + ox, src.getAtIndex(F64, rowIn + ix));
                        }
                    }
                }
            }
        });
    }

    /** Zeroes n elements at element offset {@code at}: padding edges (a few) or whole padding rows. */
    private static void zero(MemorySegment dst, long at, long n, boolean f32) {
        long es = f32 ? 4 : 8;
        if (n > 8) {
            dst.asSlice(at * es, n * es).fill((byte) 0);
        } else {
            for (long e = 0; e < n * es; e += 4) dst.set(ValueLayout.JAVA_INT_UNALIGNED, at * es + e, 0);
        }
    }

    /** Adds the columns back into images [n0, n0+nb) of {@code gx} (contiguous, same layout as the input). */
    static void col2im(ConvGeometry g, MemorySegment src, Strided gx, long n0, long nb) {
        long l = g.l(), rowLen = nb * l, gxOff = gx.offset();
        MemorySegment dst = gx.segment();
        boolean f32 = gx.dtype() == DType.FLOAT32;
        // each channel adds into its own input plane: split channels across the worker pool
        Parallel.parallelFor(g.c(), Math.max(1, (1L << 15) / Math.max(1, g.kh() * g.kw() * rowLen)), (cFrom, cTo) -> {
            for (long c = cFrom; c < cTo; c++) {
                for (long i = 0; i < g.kh(); i++) {
                    for (long j = 0; j < g.kw(); j++) {
                        long row = c * g.kh() * g.kw() + i * g.kw() + j;
                        long ix0 = j * g.dw() - g.pw();
                        long lo = validLo(ix0, g.sw()), hi = validHi(ix0, g.sw(), g.w(), g.ow());
                        for (long b = 0; b < nb; b++) {
                            long colBase = row * rowLen + b * l;
                            long plane = gxOff + ((n0 + b) * g.c() + c) * g.h() * g.w();
                            for (long oy = 0; oy < g.oh(); oy++) {
                                long iy = oy * g.sh() - g.ph() + i * g.dh();
                                if (iy < 0 || iy >= g.h()) continue;
                                long o = colBase + oy * g.ow();
                                long rowOut = plane + iy * g.w();
                                if (g.sw() == 1 && hi > lo) {
                                    // unit stride: one contiguous run of the input row, added vector-wise
                                    long at = rowOut + lo + ix0;
                                    if (f32) VectorKernels.binaryF32(BinaryKind.ADD, dst, at, src, o + lo, dst, at, hi - lo);
                                    else VectorKernels.binaryF64(BinaryKind.ADD, dst, at, src, o + lo, dst, at, hi - lo);
                                    continue;
                                }
                                for (long ox = lo; ox < hi; ox++) {
                                    long ix = ox * g.sw() + ix0;
                                    if (f32) dst.setAtIndex(F32, rowOut + ix, dst.getAtIndex(F32, rowOut + ix) + src.getAtIndex(F32, o + ox));
                                    else dst.setAtIndex(F64, rowOut + ix, dst.getAtIndex(F64, rowOut + ix) + src.getAtIndex(F64, o + ox));
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** First output column whose input column ox*stride + ix0 is >= 0. */
    private static long validLo(long ix0, long stride) { return ix0 >= 0 ? 0 : (-ix0 + stride - 1) / stride; }

    /** One past the last output column whose input column is < w (at most ow). */
    private static long validHi(long ix0, long stride, long w, long ow) {
        if (w - 1 - ix0 < 0) return 0;
        return Math.min(ow, (w - 1 - ix0) / stride + 1);
    }
}
