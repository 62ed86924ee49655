package dev.tessera.ops.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner loops of the direct convolution (see {@link DirectConv}), on heap
 * arrays in a channel-blocked layout: 16 channels of one pixel are one 512-bit vector.
 *
 * <p>{@link #tile} is oneDNN's forward micro-kernel: 7 output pixels x 2 blocks of 16 output
 * channels = 14 accumulators, one weight vector per block FMA'd with a broadcast input scalar.
 * Measured by thread CPU time on one Zen 5 core (JDK 25, heap arrays): 7 pixels ran at 170-190
 * GFLOPS, 8 at ~120, 10 to 14 at 45-85: beyond ~17 live vectors this loop spills here, with
 * constant or table pixel offsets alike (issue 10's 28-accumulator prototype did not carry over).
 * The pixels are given as 7 arbitrary source offsets, so the
 * same loop serves stride 1 and 2, tiles that wrap across output rows, tail tiles (the last pixel
 * repeated) and backward-data's stride phases. The accumulators are spelled out by hand: an
 * array of vectors would live in memory. Heap arrays rather than MemorySegments because C2 hoists
 * the bounds checks of array indexes linear in the loop counter, while every scalar segment read
 * keeps its check (the GEMM packs to heap arrays for the same reason).
 */
final class DirectConvKernels {
    private DirectConvKernels() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int B = 16;
    static final int TILE = 7;

    /**
     * dst tile = sum over reduction blocks r, runs u and run steps q of
     * broadcast(src[srcBase + r * srcRed + runSrc[u] + q + pix_j]) * wts[wBase + r * wRed + runW[u] + 16 q],
     * for the 7 pixels j and two output blocks (the second one's weights at + wPair), stored at
     * dst[dstBase + dpix_j] and dst[dstBase + dstPair + dpix_j], plus the bias vectors when bias is
     * not null. A run is a stretch of taps contiguous in both the source and the weights.
     */
    static void tile(float[] src, int srcBase, int srcRed, int nRed, int[] runSrc, int[] runW, int runFrom,
            int runTo, int runLen, float[] wts, int wBase, int wRed, int wPair, int[] pix, int pixAt, float[] dst,
            int dstBase, int dstPair, int[] dpix, float[] bias, int biasAt) {
        int p0 = pix[pixAt + 0];
        int p1 = pix[pixAt + 1];
        int p2 = pix[pixAt + 2];
        int p3 = pix[pixAt + 3];
        int p4 = pix[pixAt + 4];
        int p5 = pix[pixAt + 5];
        int p6 = pix[pixAt + 6];
        FloatVector z = FloatVector.zero(S);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z;
        FloatVector b0 = z, b1 = z, b2 = z, b3 = z, b4 = z, b5 = z, b6 = z;
        for (int r = 0; r < nRed; r++) {
            int sr = srcBase + r * srcRed, wr = wBase + r * wRed;
            for (int u = runFrom; u < runTo; u++) {
                int s = sr + runSrc[u], w = wr + runW[u];
                for (int q = 0; q < runLen; q++) {
                    FloatVector w0 = FloatVector.fromArray(S, wts, w + q * B);
                    FloatVector w1 = FloatVector.fromArray(S, wts, w + wPair + q * B);
                    int x = s + q;
                    FloatVector v;
                    v = FloatVector.broadcast(S, src[x + p0]); a0 = v.fma(w0, a0); b0 = v.fma(w1, b0);
                    v = FloatVector.broadcast(S, src[x + p1]); a1 = v.fma(w0, a1); b1 = v.fma(w1, b1);
                    v = FloatVector.broadcast(S, src[x + p2]); a2 = v.fma(w0, a2); b2 = v.fma(w1, b2);
                    v = FloatVector.broadcast(S, src[x + p3]); a3 = v.fma(w0, a3); b3 = v.fma(w1, b3);
                    v = FloatVector.broadcast(S, src[x + p4]); a4 = v.fma(w0, a4); b4 = v.fma(w1, b4);
                    v = FloatVector.broadcast(S, src[x + p5]); a5 = v.fma(w0, a5); b5 = v.fma(w1, b5);
                    v = FloatVector.broadcast(S, src[x + p6]); a6 = v.fma(w0, a6); b6 = v.fma(w1, b6);
                }
            }
        }
        if (bias != null) {
            FloatVector c0 = FloatVector.fromArray(S, bias, biasAt), c1 = FloatVector.fromArray(S, bias, biasAt + B);
            a0 = a0.add(c0); b0 = b0.add(c1);
            a1 = a1.add(c0); b1 = b1.add(c1);
            a2 = a2.add(c0); b2 = b2.add(c1);
            a3 = a3.add(c0); b3 = b3.add(c1);
            a4 = a4.add(c0); b4 = b4.add(c1);
            a5 = a5.add(c0); b5 = b5.add(c1);
            a6 = a6.add(c0); b6 = b6.add(c1);
        }
        int d;
        d = dstBase + dpix[pixAt + 0]; a0.intoArray(dst, d); b0.intoArray(dst, d + dstPair);
        d = dstBase + dpix[pixAt + 1]; a1.intoArray(dst, d); b1.intoArray(dst, d + dstPair);
        d = dstBase + dpix[pixAt + 2]; a2.intoArray(dst, d); b2.intoArray(dst, d + dstPair);
        d = dstBase + dpix[pixAt + 3]; a3.intoArray(dst, d); b3.intoArray(dst, d + dstPair);
        d = dstBase + dpix[pixAt + 4]; a4.intoArray(dst, d); b4.intoArray(dst, d + dstPair);
        d = dstBase + dpix[pixAt + 5]; a5.intoArray(dst, d); b5.intoArray(dst, d + dstPair);
        d = dstBase + dpix[pixAt + 6]; a6.intoArray(dst, d); b6.intoArray(dst, d + dstPair);
    }

    /**
     * Weight-gradient rows: for input channels i in [0, 8) and two output blocks k,
     * acc[at + (2 i + k) * 16 ..] += sum over rows r in [0, rows) and p in [0, count) of
     * x[xs + r * xRowStep + p * xStep + i] * g[gs + r * gRowStep + k * gPair + 16 p ..].
     * The 16 accumulators stay in registers across the pixels of all the rows: with 7-pixel rows
     * (512 channels at 7x7) loading and storing them per row cost as much as the FMAs.
     */
    static void weightRows(float[] x, int xs, int xStep, int xRowStep, float[] g, int gs, int gPair, int gRowStep,
            int count, int rows, float[] acc, int at) {
        FloatVector c00 = FloatVector.fromArray(S, acc, at + 0), c01 = FloatVector.fromArray(S, acc, at + 16);
        FloatVector c10 = FloatVector.fromArray(S, acc, at + 32), c11 = FloatVector.fromArray(S, acc, at + 48);
        FloatVector c20 = FloatVector.fromArray(S, acc, at + 64), c21 = FloatVector.fromArray(S, acc, at + 80);
        FloatVector c30 = FloatVector.fromArray(S, acc, at + 96), c31 = FloatVector.fromArray(S, acc, at + 112);
        FloatVector c40 = FloatVector.fromArray(S, acc, at + 128), c41 = FloatVector.fromArray(S, acc, at + 144);
        FloatVector c50 = FloatVector.fromArray(S, acc, at + 160), c51 = FloatVector.fromArray(S, acc, at + 176);
        FloatVector c60 = FloatVector.fromArray(S, acc, at + 192), c61 = FloatVector.fromArray(S, acc, at + 208);
        FloatVector c70 = FloatVector.fromArray(S, acc, at + 224), c71 = FloatVector.fromArray(S, acc, at + 240);
        for (int r = 0; r < rows; r++) {
          int xr = xs + r * xRowStep, gr = gs + r * gRowStep;
          for (int p = 0; p < count; p++) {
            FloatVector g0 = FloatVector.fromArray(S, g, gr + p * B), g1 = FloatVector.fromArray(S, g, gr + gPair + p * B);
            int xi = xr + p * xStep;
            FloatVector v;
            v = FloatVector.broadcast(S, x[xi + 0]); c00 = v.fma(g0, c00); c01 = v.fma(g1, c01);
            v = FloatVector.broadcast(S, x[xi + 1]); c10 = v.fma(g0, c10); c11 = v.fma(g1, c11);
            v = FloatVector.broadcast(S, x[xi + 2]); c20 = v.fma(g0, c20); c21 = v.fma(g1, c21);
            v = FloatVector.broadcast(S, x[xi + 3]); c30 = v.fma(g0, c30); c31 = v.fma(g1, c31);
            v = FloatVector.broadcast(S, x[xi + 4]); c40 = v.fma(g0, c40); c41 = v.fma(g1, c41);
            v = FloatVector.broadcast(S, x[xi + 5]); c50 = v.fma(g0, c50); c51 = v.fma(g1, c51);
            v = FloatVector.broadcast(S, x[xi + 6]); c60 = v.fma(g0, c60); c61 = v.fma(g1, c61);
            v = FloatVector.broadcast(S, x[xi + 7]); c70 = v.fma(g0, c70); c71 = v.fma(g1, c71);
          }
        }
        c00.intoArray(acc, at + 0); c01.intoArray(acc, at + 16);
        c10.intoArray(acc, at + 32); c11.intoArray(acc, at + 48);
        c20.intoArray(acc, at + 64); c21.intoArray(acc, at + 80);
        c30.intoArray(acc, at + 96); c31.intoArray(acc, at + 112);
        c40.intoArray(acc, at + 128); c41.intoArray(acc, at + 144);
        c50.intoArray(acc, at + 160); c51.intoArray(acc, at + 176);
        c60.intoArray(acc, at + 192); c61.intoArray(acc, at + 208);
        c70.intoArray(acc, at + 224); c71.intoArray(acc, at + 240);
    }

    /**
     * {@link #weightRows} for one row: the loop without the row loop around it, which C2 compiled
     * 5-8% slower for the long rows of 64 channels at 56x56 (one thread's CPU time, A/B).
     */
    static void weightRow(float[] x, int xs, int xStep, float[] g, int gs, int gPair, int count, float[] acc, int at) {
        FloatVector c00 = FloatVector.fromArray(S, acc, at + 0), c01 = FloatVector.fromArray(S, acc, at + 16);
        FloatVector c10 = FloatVector.fromArray(S, acc, at + 32), c11 = FloatVector.fromArray(S, acc, at + 48);
        FloatVector c20 = FloatVector.fromArray(S, acc, at + 64), c21 = FloatVector.fromArray(S, acc, at + 80);
        FloatVector c30 = FloatVector.fromArray(S, acc, at + 96), c31 = FloatVector.fromArray(S, acc, at + 112);
        FloatVector c40 = FloatVector.fromArray(S, acc, at + 128), c41 = FloatVector.fromArray(S, acc, at + 144);
        FloatVector c50 = FloatVector.fromArray(S, acc, at + 160), c51 = FloatVector.fromArray(S, acc, at + 176);
        FloatVector c60 = FloatVector.fromArray(S, acc, at + 192), c61 = FloatVector.fromArray(S, acc, at + 208);
        FloatVector c70 = FloatVector.fromArray(S, acc, at + 224), c71 = FloatVector.fromArray(S, acc, at + 240);
        for (int p = 0; p < count; p++) {
            FloatVector g0 = FloatVector.fromArray(S, g, gs + p * B), g1 = FloatVector.fromArray(S, g, gs + gPair + p * B);
            int xi = xs + p * xStep;
            FloatVector v;
            v = FloatVector.broadcast(S, x[xi + 0]); c00 = v.fma(g0, c00); c01 = v.fma(g1, c01);
            v = FloatVector.broadcast(S, x[xi + 1]); c10 = v.fma(g0, c10); c11 = v.fma(g1, c11);
            v = FloatVector.broadcast(S, x[xi + 2]); c20 = v.fma(g0, c20); c21 = v.fma(g1, c21);
            v = FloatVector.broadcast(S, x[xi + 3]); c30 = v.fma(g0, c30); c31 = v.fma(g1, c31);
            v = FloatVector.broadcast(S, x[xi + 4]); c40 = v.fma(g0, c40); c41 = v.fma(g1, c41);
            v = FloatVector.broadcast(S, x[xi + 5]); c50 = v.fma(g0, c50); c51 = v.fma(g1, c51);
            v = FloatVector.broadcast(S, x[xi + 6]); c60 = v.fma(g0, c60); c61 = v.fma(g1, c61);
            v = FloatVector.broadcast(S, x[xi + 7]); c70 = v.fma(g0, c70); c71 = v.fma(g1, c71);
        }
        c00.intoArray(acc, at + 0); c01.intoArray(acc, at + 16);
        c10.intoArray(acc, at + 32); c11.intoArray(acc, at + 48);
        c20.intoArray(acc, at + 64); c21.intoArray(acc, at + 80);
        c30.intoArray(acc, at + 96); c31.intoArray(acc, at + 112);
        c40.intoArray(acc, at + 128); c41.intoArray(acc, at + 144);
        c50.intoArray(acc, at + 160); c51.intoArray(acc, at + 176);
        c60.intoArray(acc, at + 192); c61.intoArray(acc, at + 208);
        c70.intoArray(acc, at + 224); c71.intoArray(acc, at + 240);
    }
}
