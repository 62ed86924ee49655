package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * fp64 GEMM in the style of BLIS: loops jc (NC columns), pc (KC depth, pack B), ic (MC rows, pack
 * A), jr (NR-column slivers), ir (MR-row slivers) around a 6 x (4 vectors) register-blocked
 * micro-kernel with 24 FMA accumulators. Operands are read through (offset, row stride, column
 * stride) so transposed and strided views are packed directly, never copied first.
 *
 * <p>B is packed once per (jc, pc) into the calling thread's panel and shared by the pool; each
 * thread packs its own A blocks: row-major A as plain rows (bulk copies, read by a row-layout
 * micro-kernel), transposed or strided A as interleaved slivers. When the panel has only a sliver
 * or two, row-major A is not packed at all: MR rows at a time are copied and used at once.
 * Transposed B (contiguous columns) is packed from bulk-copied column groups. Panels are packed
 * into heap arrays: C2 keeps a bounds check on every scalar {@code MemorySegment.get} used for the
 * A broadcasts, but eliminates the ones on array indexes that are linear in the loop counter.
 * Generated from Sgemm by replacing float with double; keep the two in step.
 */
final class Dgemm {
    private Dgemm() {}

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 6;
    static final int NR = 4 * L;
    static final int KC = Blocking.kc();
    static final int MC = Blocking.mc(MR);
    static final int NC = Blocking.nc(NR);
    private static final ValueLayout.OfDouble E = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final long BYTES = Double.BYTES;

    /** Per-thread packing buffers, allocated once per thread (never inside the loops). */
    private static final class Buffers {
        final double[] a = new double[MC * (KC + A_PAD)];
        final double[] b = new double[KC * NC];
        final double[] tile = new double[MR * NR];
        final double[] rows = new double[MR * KC];
        final double[] cols = new double[COLS * (KC + COL_PAD)];
        final int[] scratch = new int[256];
    }

    /** Transposed B is packed COLS columns at a time, copied at a padded stride (no 4 KiB aliasing). */
    private static final int COLS = 8;
    private static final int COL_PAD = 16;

    /**
     * Row-major A is packed as plain rows (bulk copies) at this padded stride and read by
     * {@link #microRows}, not interleaved: the scalar interleave cost 10% at n = 256 (488 vs 440
     * GFLOPS), 6% at 512, nothing measurable from 1024. The padding keeps the six row streams off
     * the same 4 KiB alias.
     */
    private static final int A_PAD = 16;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /**
     * Serial below the crossover; otherwise, per (jc, pc) block, the pool packs the shared B panel
     * (slivers split across threads) and then splits the ic blocks (or, when m is too small for
     * that, the jr slivers) so each thread packs only its own part of A.
     */
    static void gemm(int m, int n, int k, double alpha, MemorySegment a, long aOff, long aRs, long aCs,
            MemorySegment b, long bOff, long bRs, long bCs, double beta, MemorySegment c, long cOff, long cRs,
            long cCs) {
        long work = (long) m * n * k;
        int threads = Parallel.getNumThreads();
        boolean serial = threads == 1 || work < Blocking.PARALLEL_MIN_WORK || !Parallel.shareable(a, b, c);
        if (!serial && (long) m * k <= Blocking.SMALL_A && bCs == 1 && m >= threads * MR && n <= 2 * m
                && (aCs != 1 || n > Blocking.ROWS_A_MAX_SLIVERS * NR)) {
            // Small A, row-major B not much wider than A is tall: threads take row ranges; each
            // packs its own rows of A (the costly scalar interleave is split) and all of B (a
            // vector copy, about a quarter of the cost per element). Wide B (im2col columns)
            // would be packed once per thread: split columns then. Few columns take the plain-rows
            // path below, which packs no A at all.
            long mSlivers = (m + MR - 1) / MR;
            Parallel.parallelFor(mSlivers, 1, (from, to) -> {
                int i0 = (int) (from * MR);
                int i1 = (int) Math.min(m, to * MR);
                block(i1 - i0, n, k, alpha, a, aOff + i0 * aRs, aRs, aCs, b, bOff, bRs, bCs, beta, c,
                        cOff + i0 * cRs, cRs, cCs);
            });
            return;
        }
        if (!serial && (long) m * k <= Blocking.SMALL_A && n >= threads * NR) {
            // Small A: threads take whole column ranges and work independently (each packs all of
            // A, which is cheap here); this avoids the two hand-offs per block of the shared scheme.
            long tiles = (n + NR - 1) / NR;
            Parallel.parallelFor(tiles, 1, (from, to) -> {
                int j0 = (int) (from * NR);
                int j1 = (int) Math.min(n, to * NR);
                block(m, j1 - j0, k, alpha, a, aOff, aRs, aCs, b, bOff + j0 * bCs, bRs, bCs, beta, c,
                        cOff + j0 * cCs, cRs, cCs);
            });
            return;
        }
        double[] panel = BUFFERS.get().b;
        int icBlocks = (m + MC - 1) / MC;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int slivers = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                long bBlock = bOff + pc * bRs + jc * bCs;
                Parallel.parallelFor(slivers, serial ? slivers : 1, (from, to) -> {
                    int j0 = (int) from * NR;
                    packB(b, bBlock + j0 * bCs, bRs, bCs, kc, Math.min(nc, (int) to * NR) - j0, panel, j0 * kc);
                });
                double betaHere = pc == 0 ? beta : 1.0;
                long aBlock = aOff + pc * aCs;
                long cBlock = cOff + jc * cCs;
                if (aCs == 1 && nc <= Blocking.ROWS_A_MAX_SLIVERS * NR) {
                    // Few columns: each A element meets only nc / NR B slivers, so interleaving A
                    // into MR slivers would cost more than it saves; copy MR rows and go.
                    int mSlivers = (m + MR - 1) / MR;
                    Parallel.parallelFor(mSlivers, serial ? mSlivers : 1, (from, to) -> rowsTimesPanel(
                            (int) from * MR, Math.min(m, (int) to * MR), nc, kc, alpha, betaHere, a, aBlock, aRs,
                            panel, BUFFERS.get(), c, cBlock, cRs, cCs));
                } else if (serial || icBlocks >= threads) {
                    // Threads take near-equal row ranges in MR slivers (whole MC blocks would leave
                    // one thread a block more: 3% at n = 2048), blocked by MC inside.
                    int mSlivers = (m + MR - 1) / MR;
                    Parallel.parallelFor(mSlivers, serial ? mSlivers : 1, (from, to) -> {
                        Buffers buf = BUFFERS.get();
                        int end = Math.min(m, (int) to * MR);
                        for (int ic = (int) from * MR; ic < end; ic += MC) {
                            int mc = Math.min(MC, end - ic);
                            int ld = packA(a, aBlock + ic * aRs, aRs, aCs, mc, kc, buf);
                            macro(mc, 0, nc, kc, ld, alpha, betaHere, buf.a, panel, buf.tile, c, cBlock + ic * cRs, cRs,
                                    cCs);
                        }
                    });
                } else {
                    Parallel.parallelFor(slivers, 1, (from, to) -> {
                        Buffers buf = BUFFERS.get();
                        int j0 = (int) from * NR;
                        int j1 = Math.min(nc, (int) to * NR);
                        for (int ic = 0; ic < m; ic += MC) {
                            int mc = Math.min(MC, m - ic);
                            int ld = packA(a, aBlock + ic * aRs, aRs, aCs, mc, kc, buf);
                            macro(mc, j0, j1, kc, ld, alpha, betaHere, buf.a, panel, buf.tile, c, cBlock + ic * cRs, cRs,
                                    cCs);
                        }
                    });
                }
            }
        }
    }

    /** The whole loop nest on the calling thread, with its own buffers. */
    static void block(int m, int n, int k, double alpha, MemorySegment a, long aOff, long aRs, long aCs,
            MemorySegment b, long bOff, long bRs, long bCs, double beta, MemorySegment c, long cOff, long cRs,
            long cCs) {
        Buffers buf = BUFFERS.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(b, bOff + pc * bRs + jc * bCs, bRs, bCs, kc, nc, buf.b, 0);
                double betaHere = pc == 0 ? beta : 1.0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    int ld = packA(a, aOff + ic * aRs + pc * aCs, aRs, aCs, mc, kc, buf);
                    macro(mc, 0, nc, kc, ld, alpha, betaHere, buf.a, buf.b, buf.tile, c, cOff + ic * cRs + jc * cCs, cRs,
                            cCs);
                }
            }
        }
    }

    /**
     * Columns [j0, j1) of one packed MC block against the packed B panel; {@code ld > 0}: A was
     * packed as plain rows at that stride, else as interleaved slivers.
     */
    private static void macro(int mc, int j0, int j1, int kc, int ld, double alpha, double beta, double[] ap, double[] bp,
            double[] tile, MemorySegment c, long cOff, long cRs, long cCs) {
        for (int jr = j0; jr < j1; jr += NR) {
            int nr = Math.min(NR, j1 - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                if (ld > 0) {
                    microRows(ap, ir * ld, ld, kc, bp, jr * kc, tile);
                } else {
                    micro(ap, ir * kc, bp, jr * kc, kc, tile);
                }
                store(tile, mr, nr, alpha, beta, c, cOff + ir * cRs + jr * cCs, cRs, cCs);
            }
        }
    }

    /**
     * Rows [i0, i1) of row-major A (kc columns from aOff) times the packed B panel (nc columns):
     * MR rows at a time are bulk-copied to buf.rows and read by {@link #microRows}. Rows past the
     * end are zeroed (they only feed accumulators that {@link #store} discards, but stale values
     * could be subnormal and slow).
     */
    private static void rowsTimesPanel(int i0, int i1, int nc, int kc, double alpha, double beta, MemorySegment a,
            long aOff, long aRs, double[] bp, Buffers buf, MemorySegment c, long cOff, long cRs, long cCs) {
        double[] rows = buf.rows;
        for (int ir = i0; ir < i1; ir += MR) {
            int mr = Math.min(MR, i1 - ir);
            for (int r = 0; r < mr; r++) {
                MemorySegment.copy(a, E, (aOff + (ir + r) * aRs) * BYTES, rows, r * kc, kc);
            }
            java.util.Arrays.fill(rows, mr * kc, MR * kc, 0.0);
            for (int jr = 0; jr < nc; jr += NR) {
                microRows(rows, 0, kc, kc, bp, jr * kc, buf.tile);
                store(buf.tile, mr, Math.min(NR, nc - jr), alpha, beta, c, cOff + ir * cRs + jr * cCs, cRs, cCs);
            }
        }
    }

    /**
     * {@link #micro} with A as MR plain rows of length kc (row r at r * kc) instead of a packed sliver.
     * A separate copy on purpose: one kernel taking A's row and column steps as parameters measured
     * 12% slower on square products (36 vs 41 ms at n = 2048).
     */
    static void microRows(double[] rows, int aBase, int ld, int kc, double[] bp, int bBase, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        DoubleVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        DoubleVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bBase + p * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, bp, bi + 2 * L);
            DoubleVector b3 = DoubleVector.fromArray(S, bp, bi + 3 * L);
            DoubleVector x = DoubleVector.broadcast(S, rows[aBase + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = DoubleVector.broadcast(S, rows[aBase + ld + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = DoubleVector.broadcast(S, rows[aBase + 2 * ld + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = DoubleVector.broadcast(S, rows[aBase + 3 * ld + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            x = DoubleVector.broadcast(S, rows[aBase + 4 * ld + p]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
            x = DoubleVector.broadcast(S, rows[aBase + 5 * ld + p]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52); c53 = x.fma(b3, c53);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c02.intoArray(tile, 2 * L); c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L); c12.intoArray(tile, NR + 2 * L);
        c13.intoArray(tile, NR + 3 * L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c22.intoArray(tile, 2 * NR + 2 * L);
        c23.intoArray(tile, 2 * NR + 3 * L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L); c32.intoArray(tile, 3 * NR + 2 * L);
        c33.intoArray(tile, 3 * NR + 3 * L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L); c42.intoArray(tile, 4 * NR + 2 * L);
        c43.intoArray(tile, 4 * NR + 3 * L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L); c52.intoArray(tile, 5 * NR + 2 * L);
        c53.intoArray(tile, 5 * NR + 3 * L);
    }

    /**
     * The register-blocked micro-kernel: tile = A sliver (MR x kc) * B sliver (kc x NR). Kept to
     * one loop over 24 accumulators so that C1 can compile it too (a larger method can fail in C1
     * with "out of virtual registers" and stay interpreted-slow for a whole JVM run).
     */
    static void micro(double[] ap, int aBase, double[] bp, int bBase, int kc, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        DoubleVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        DoubleVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bBase + p * NR;
            int ai = aBase + p * MR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, bp, bi + 2 * L);
            DoubleVector b3 = DoubleVector.fromArray(S, bp, bi + 3 * L);
            DoubleVector x = DoubleVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = DoubleVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = DoubleVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = DoubleVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            x = DoubleVector.broadcast(S, ap[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
            x = DoubleVector.broadcast(S, ap[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52); c53 = x.fma(b3, c53);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c02.intoArray(tile, 2 * L); c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L); c12.intoArray(tile, NR + 2 * L);
        c13.intoArray(tile, NR + 3 * L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c22.intoArray(tile, 2 * NR + 2 * L);
        c23.intoArray(tile, 2 * NR + 3 * L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L); c32.intoArray(tile, 3 * NR + 2 * L);
        c33.intoArray(tile, 3 * NR + 3 * L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L); c42.intoArray(tile, 4 * NR + 2 * L);
        c43.intoArray(tile, 4 * NR + 3 * L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L); c52.intoArray(tile, 5 * NR + 2 * L);
        c53.intoArray(tile, 5 * NR + 3 * L);
    }

    /** C[mr x nr] = alpha * tile + beta * C; C is not read when beta == 0 (so NaNs there vanish). */
    static void store(double[] tile, int mr, int nr, double alpha, double beta, MemorySegment c, long cOff, long cRs,
            long cCs) {
        if (cCs == 1 && nr == NR) {
            for (int r = 0; r < mr; r++) {
                long rowBytes = (cOff + r * cRs) * BYTES;
                for (int v = 0; v < NR; v += L) {
                    DoubleVector t = DoubleVector.fromArray(S, tile, r * NR + v).mul(alpha);
                    long at = rowBytes + v * BYTES;
                    if (beta != 0.0) {
                        t = DoubleVector.fromMemorySegment(S, c, at, ORDER).mul(beta).add(t);
                    }
                    t.intoMemorySegment(c, at, ORDER);
                }
            }
            return;
        }
        for (int r = 0; r < mr; r++) {
            long row = cOff + r * cRs;
            for (int j = 0; j < nr; j++) {
                long at = row + j * cCs;
                double v = alpha * tile[r * NR + j];
                if (beta != 0.0) {
                    v += beta * c.getAtIndex(E, at);
                }
                c.setAtIndex(E, at, v);
            }
        }
    }

    /**
     * Packs A[mc x kc] into buf.a. Row-major A: plain rows at stride kc + A_PAD (returned), rows up
     * to the next multiple of MR zeroed, for {@link #microRows}. Otherwise MR-row slivers, element
     * (p, r) of sliver s at s*kc*MR + p*MR + r, zero padded, for {@link #micro} (returns 0).
     */
    static int packA(MemorySegment a, long off, long rs, long cs, int mc, int kc, Buffers buf) {
        double[] dst = buf.a;
        double[] rows = buf.rows;
        int mp = (mc + MR - 1) / MR * MR;
        if (cs == 1) {
            // Row-major A: MR plain rows per sliver, one bulk copy each; rows past mc are zero
            // (they only feed accumulators that store() discards, but stale values could be subnormal).
            int ld = kc + A_PAD;
            for (int r = 0; r < mc; r++) {
                MemorySegment.copy(a, E, (off + r * rs) * BYTES, dst, r * ld, kc);
            }
            for (int r = mc; r < mp; r++) {
                java.util.Arrays.fill(dst, r * ld, r * ld + kc, 0.0);
            }
            return ld;
        }
        if (cs != 1 && rs == 1 && mp <= rows.length) {
            // Transposed A: column p of the block is mc contiguous values; one bulk copy each,
            // then the MR-interleave runs on the heap copy.
            java.util.Arrays.fill(rows, mc, mp, 0.0);
            int whole = mc - mc % L;
            for (int p = 0; p < kc; p++) {
                // vector loads for the whole vectors: a bulk copy call costs more than 48 doubles
                long src = (off + p * cs) * BYTES;
                for (int i = 0; i < whole; i += L) {
                    DoubleVector.fromMemorySegment(S, a, src + i * BYTES, ORDER).intoArray(rows, i);
                }
                if (whole < mc) {
                    MemorySegment.copy(a, E, src + whole * BYTES, rows, whole, mc - whole);
                }
                for (int ir = 0, d = p * MR; ir < mp; ir += MR, d += kc * MR) {
                    dst[d] = rows[ir];
                    dst[d + 1] = rows[ir + 1];
                    dst[d + 2] = rows[ir + 2];
                    dst[d + 3] = rows[ir + 3];
                    dst[d + 4] = rows[ir + 4];
                    dst[d + 5] = rows[ir + 5];
                }
            }
            return 0;
        }
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            // Strided A: walk each column of the sliver.
            // Reads only in loops bounded by mr (see packB on why no `r < mr ? read : 0` loops).
            if (mr < MR) java.util.Arrays.fill(dst, base, base + kc * MR, 0.0);
            for (int p = 0; p < kc; p++) {
                long col = off + ir * rs + p * cs;
                for (int r = 0; r < mr; r++) {
                    dst[base + p * MR + r] = a.getAtIndex(E, col + r * rs);
                }
            }
        }
        return 0;
    }

    /**
     * One sliver of B with contiguous columns (B = W^T as in x @ W.t()): COLS columns are bulk
     * copied into a heap buffer, then interleaved with array indexes only (no per-element segment
     * checks); columns past nr are zero.
     */
    private static void packColumns(MemorySegment b, long off, long cs, int kc, int nr, double[] dst, int base) {
        // whole slivers of 16-lane vectors: transposed in registers (the scalar interleave below was
        // 11% of a batch-1 MLP step's samples)
        if (nr == NR && Transpose16.packSliver(b, off, cs, kc, NR, dst, base, BUFFERS.get().scratch)) return;
        double[] t = BUFFERS.get().cols;
        int ld = kc + COL_PAD;
        for (int j0 = 0; j0 < NR; j0 += COLS) {
            int g = Math.max(0, Math.min(COLS, nr - j0));
            for (int j = 0; j < g; j++) {
                MemorySegment.copy(b, E, (off + (j0 + j) * cs) * BYTES, t, j * ld, kc);
            }
            for (int j = g; j < COLS; j++) {
                java.util.Arrays.fill(t, j * ld, j * ld + kc, 0.0);
            }
            // Unrolled so that every index is p plus an invariant and C2 drops the range checks.
            for (int p = 0; p < kc; p++) {
                int d = base + p * NR + j0;
                dst[d] = t[p];
                dst[d + 1] = t[ld + p];
                dst[d + 2] = t[2 * ld + p];
                dst[d + 3] = t[3 * ld + p];
                dst[d + 4] = t[4 * ld + p];
                dst[d + 5] = t[5 * ld + p];
                dst[d + 6] = t[6 * ld + p];
                dst[d + 7] = t[7 * ld + p];
            }
        }
    }

    /** Packs B[kc x nc] into NR-column slivers, element (p, j) of sliver s at s*kc*NR + p*NR + j, zero padded. */
    static void packB(MemorySegment b, long off, long rs, long cs, int kc, int nc, double[] dst, int dstOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = dstOff + jr * kc;
            if (cs == 1 && nr == NR) {
                for (int p = 0; p < kc; p++) {
                    long src = (off + p * rs + jr) * BYTES;
                    int d = base + p * NR;
                    for (int v = 0; v < NR; v += L) {
                        DoubleVector.fromMemorySegment(S, b, src + v * BYTES, ORDER).intoArray(dst, d + v);
                    }
                }
            } else if (cs == 1) {
                // A partial last sliver: a bulk copy of nr and zeros after. (A loop reading
                // `j < nr ? b[src + j] : 0` had C2 hoist the read's bounds check over all NR
                // columns from the profile; it failed on the last sliver of every call, and the
                // method was deoptimised and recompiled once per ResNet-18 step, for good.)
                for (int p = 0; p < kc; p++) {
                    int d = base + p * NR;
                    MemorySegment.copy(b, E, (off + p * rs + jr) * BYTES, dst, d, nr);
                    java.util.Arrays.fill(dst, d + nr, d + NR, 0.0);
                }
            } else if (rs == 1) {
                packColumns(b, off + jr * cs, cs, kc, nr, dst, base);
            } else {
                // Strided B: walk each column along its depth.
                if (nr < NR) java.util.Arrays.fill(dst, base, base + kc * NR, 0.0);
                for (int j = 0; j < nr; j++) {
                    long col = off + (jr + j) * cs;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * NR + j] = b.getAtIndex(E, col + p * rs);
                    }
                }
            }
        }
    }
}
