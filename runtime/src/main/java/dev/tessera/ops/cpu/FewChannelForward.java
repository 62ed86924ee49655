package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FewChannelConv}'s forward for output rows of 16 pixels or more (a stem at 224x224: 112):
 * vectors run along output rows, 16 adjacent output pixels of one channel, so results go straight
 * into the NCHW output with no blocked buffer and no reorder after it (the channel-blocked tile
 * spent a fifth of the stem's forward on that reorder). A tile is 3 runs of 16 pixels x 4 output
 * channels, 12 accumulators; each of its steps (input channel, kernel row, kernel column) loads
 * the 3 runs' input vectors and broadcasts 4 weights (7 loads for 12 FMAs, where the blocked tile
 * has 9 for 14), over one flat loop of c x kh x kw steps whose offsets come from a table (the
 * blocked tile's inner loops ran kw = 7 steps each). Strided convolutions read their input from
 * planes split into column phases: with stride s, column j * s + p of a padded row sits at
 * [p][j], so the 16 inputs of a run are adjacent for every tap.
 */
final class FewChannelForward {
    private FewChannelForward() {}

    private static final VectorSpecies<Float> S = DirectConvKernels.S;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int B = DirectConvKernels.B;
    /** Output channels and 16-pixel runs per tile. */
    private static final int OCS = 4, RUNS = 3;

    /** Whether this path computes the geometry (FewChannelConv checks the rest). */
    static boolean applies(DirectConvShape g) {
        return g.ow() >= B;
    }

    /** Phase-split padded planes: rows of {@code sw} phases of {@code wq} columns each. */
    private record Planes(int hp, int sw, int wq, int plane) {
        static Planes of(DirectConvShape g) {
            int hp = Math.max(g.ph() + g.h(), (g.oh() - 1) * g.sh() + (g.kh() - 1) * g.dh() + 1);
            int wq = g.ow() + (g.kw() - 1) / g.sw(); // tap kx of output column ox reads phase kx % sw, column ox + kx / sw
            return new Planes(hp, g.sw(), wq, hp * g.sw() * wq);
        }
    }

    static long inputFloats(DirectConvShape g) {
        return (long) g.n() * g.c() * Planes.of(g).plane();
    }

    /** The weights as the tiles broadcast them: [output-channel group][step][4]. */
    static long weightFloats(DirectConvShape g) {
        return (long) (g.o() + OCS - 1) / OCS * OCS * g.c() * g.kh() * g.kw();
    }

    static void forward(MemorySegment x, long xOff, MemorySegment w, long wOff, MemorySegment bias, long bOff,
            MemorySegment out, long outOff, DirectConvShape g, float[] xs, float[] wt, OutputEpilogue epilogue) {
        Planes pl = Planes.of(g);
        int c = g.c(), o = g.o(), kh = g.kh(), kw = g.kw(), oh = g.oh(), ow = g.ow(), ohw = oh * ow;
        splitPlanes(x, xOff, g, pl, xs);
        int steps = c * kh * kw, ocgs = (o + OCS - 1) / OCS, rowStride = pl.sw() * pl.wq();
        int[] stepOff = new int[steps];
        for (int ci = 0, q = 0; ci < c; ci++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, q++) {
                    stepOff[q] = ci * pl.plane() + ky * g.dh() * rowStride + (kx % pl.sw()) * pl.wq() + kx / pl.sw();
                }
            }
        }
        // wt[ocg][step][4]: the 4 weights a step broadcasts; w (at most 15 channels' worth) is read in one bulk copy
        float[] flat = new float[o * steps];
        MemorySegment.copy(w, F32, wOff * Float.BYTES, flat, 0, flat.length);
        Arrays.fill(wt, 0, ocgs * steps * OCS, 0f); // the last group's missing channels
        for (int oc = 0; oc < o; oc++) {
            for (int q = 0; q < steps; q++) wt[((oc / OCS) * steps + q) * OCS + oc % OCS] = flat[oc * steps + q];
        }
        float[] bs = new float[ocgs * OCS];
        if (bias != null) MemorySegment.copy(bias, F32, bOff * Float.BYTES, bs, 0, o);
        // runs of 16 output pixels along each row, the last of a row overlapping the one before it
        int rowRuns = (ow + B - 1) / B, runs = oh * rowRuns, tiles = (runs + RUNS - 1) / RUNS;
        int[] runIn = new int[tiles * RUNS], runOut = new int[tiles * RUNS];
        for (int r = 0; r < runIn.length; r++) {
            int run = Math.min(r, runs - 1), oy = run / rowRuns, ox = Math.min(run % rowRuns * B, ow - B); // the tail repeats the last run
            runIn[r] = oy * g.sh() * rowStride + ox;
            runOut[r] = oy * ow + ox;
        }
        int imageIn = c * pl.plane();
        Parallel.parallelFor((long) g.n() * ocgs, BlockedLayout.grain(out), DirectConv.PIECES, (from, to) -> {
            for (long item = from; item < to; item++) {
                int img = (int) (item / ocgs), ocg = (int) (item % ocgs), valid = Math.min(OCS, o - ocg * OCS);
                long chan0 = outOff + ((long) img * o + ocg * OCS) * ohw;
                for (int t = 0; t < tiles; t++) {
                    int r = t * RUNS, in = img * imageIn;
                    tile(xs, in + runIn[r], in + runIn[r + 1], in + runIn[r + 2], stepOff, steps, wt, ocg * steps * OCS, bs, ocg * OCS,
                            out, chan0 + runOut[r], chan0 + runOut[r + 1], chan0 + runOut[r + 2], ohw, valid);
                }
                // the item's planes are complete (and in cache): the epilogue once over each, not in
                // the tile (C2 stopped inlining there and boxed the accumulators: 8x the stem's time)
                if (epilogue != null) epilogue.applyToPlanes(out, chan0, valid, ohw, ocg * OCS, outOff);
            }
        });
    }

    /**
     * out[o_j + j * chan ..+16] = bias[bAt + j] + sum over steps q of xs[r_i + stepOff[q] ..+16] *
     * wt[wBase + 4 q + j], for the 4 output channels j < valid and the 3 runs i (element offsets
     * o_0, o_1, o_2 of their first channel).
     */
    static void tile(float[] xs, int r0, int r1, int r2, int[] stepOff, int steps, float[] wt, int wBase, float[] bias, int bAt,
            MemorySegment out, long o0, long o1, long o2, long chan, int valid) {
        FloatVector a0 = FloatVector.broadcast(S, bias[bAt]), a1 = FloatVector.broadcast(S, bias[bAt + 1]);
        FloatVector a2 = FloatVector.broadcast(S, bias[bAt + 2]), a3 = FloatVector.broadcast(S, bias[bAt + 3]);
        FloatVector b0 = a0, b1 = a1, b2 = a2, b3 = a3, c0 = a0, c1 = a1, c2 = a2, c3 = a3;
        for (int q = 0; q < steps; q++) {
            int off = stepOff[q], wq = wBase + q * OCS;
            FloatVector x0 = FloatVector.fromArray(S, xs, r0 + off), x1 = FloatVector.fromArray(S, xs, r1 + off);
            FloatVector x2 = FloatVector.fromArray(S, xs, r2 + off);
            FloatVector v;
            v = FloatVector.broadcast(S, wt[wq]); a0 = x0.fma(v, a0); b0 = x1.fma(v, b0); c0 = x2.fma(v, c0);
            v = FloatVector.broadcast(S, wt[wq + 1]); a1 = x0.fma(v, a1); b1 = x1.fma(v, b1); c1 = x2.fma(v, c1);
            v = FloatVector.broadcast(S, wt[wq + 2]); a2 = x0.fma(v, a2); b2 = x1.fma(v, b2); c2 = x2.fma(v, c2);
            v = FloatVector.broadcast(S, wt[wq + 3]); a3 = x0.fma(v, a3); b3 = x1.fma(v, b3); c3 = x2.fma(v, c3);
        }
        store(a0, b0, c0, out, o0, o1, o2);
        if (valid > 1) store(a1, b1, c1, out, o0 + chan, o1 + chan, o2 + chan);
        if (valid > 2) store(a2, b2, c2, out, o0 + 2 * chan, o1 + 2 * chan, o2 + 2 * chan);
        if (valid > 3) store(a3, b3, c3, out, o0 + 3 * chan, o1 + 3 * chan, o2 + 3 * chan);
    }

    private static void store(FloatVector a, FloatVector b, FloatVector c, MemorySegment out, long o0, long o1, long o2) {
        a.intoMemorySegment(out, o0 * Float.BYTES, ORDER);
        b.intoMemorySegment(out, o1 * Float.BYTES, ORDER);
        c.intoMemorySegment(out, o2 * Float.BYTES, ORDER);
    }

    /**
     * xs[img][ch][y][p][j] = x[img][ch][y - ph][j * sw + p - pw], zero outside the image (every
     * element written: the buffer is reused dirty). Each input row is copied to the heap in bulk
     * and split into its column phases there.
     */
    private static void splitPlanes(MemorySegment x, long xOff, DirectConvShape g, Planes pl, float[] xs) {
        int h = g.h(), w = g.w(), top = g.ph(), left = g.pw(), sw = pl.sw(), wq = pl.wq();
        Parallel.parallelFor((long) g.n() * g.c(), BlockedLayout.grain(x), (from, to) -> {
            float[] row = new float[w];
            for (int plane = (int) from; plane < to; plane++) {
                int base = plane * pl.plane();
                for (int y = 0; y < pl.hp(); y++) {
                    int iy = y - top, d = base + y * sw * wq;
                    if (iy < 0 || iy >= h) {
                        Arrays.fill(xs, d, d + sw * wq, 0f);
                        continue;
                    }
                    MemorySegment.copy(x, F32, (xOff + ((long) plane * h + iy) * w) * Float.BYTES, row, 0, w);
                    for (int p = 0; p < sw; p++, d += wq) {
                        // columns j with 0 <= j * sw + p - left < w are the image's; the rest is padding
                        int lo = Math.min(wq, Math.max(0, Math.floorDiv(left - p + sw - 1, sw)));
                        int hi = Math.max(lo, Math.min(wq, Math.floorDiv(w - 1 + left - p, sw) + 1));
                        Arrays.fill(xs, d, d + lo, 0f);
                        for (int j = lo, col = lo * sw + p - left; j < hi; j++, col += sw) xs[d + j] = row[col];
                        Arrays.fill(xs, d + hi, d + wq, 0f);
                    }
                }
            }
        });
    }
}
