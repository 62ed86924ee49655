package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Direct float32 convolution on channel-blocked data (oneDNN's design, see issue 10), forward,
 * backward-data and backward-weights, taking and returning PyTorch's contiguous layouts: input
 * and gradients NCHW, weights OIHW, each a segment plus an element offset. Inside, activations are
 * reordered to nChw16c with the padding written as a zero border, weights to 16i16o blocks, and
 * {@link DirectConvKernels} does the arithmetic; the reorders and kernels split their work over
 * the worker pool. Forward and backward-data split over block pairs (output blocks, or input
 * blocks for backward-data), cut into segments of images x 7-pixel tiles when there are fewer
 * pairs than four per thread; each item reorders its pair's weights itself, into a per-thread
 * buffer, and computes its tiles while they are in L2 (at batch 1 and 512 channels the 9.4 MB of
 * weights, reordered in a pass of their own, went out to memory and back). Backward-weights is
 * {@link DirectConvWeights}' (by item, or by image with per-slot partial sums). 1x1 stride-1
 * unpadded convolutions skip all of that: they are one GEMM per image and group on the NCHW data
 * as it is.
 *
 * <p>Outputs are fully overwritten (never read), so dirty pooled buffers are fine. Blocked
 * temporaries are heap arrays kept per calling thread and grown on demand, so steady-state calls
 * allocate nothing but a few small index tables.
 *
 * <p>Backward-data with stride s runs as s*s stride-1 problems, one per phase (input pixels with
 * the same row and column remainders mod s see the same taps); a phase that no tap reaches is
 * written as zeros.
 */
public final class DirectConv {
    private DirectConv() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int B = DirectConvKernels.B, TILE = DirectConvKernels.TILE;

    /** Grow-only blocked buffers of one calling thread (weights are reordered per pair, see {@link PairWeights}). */
    private static final class Workspace {
        float[] x = new float[0], y = new float[0];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /**
     * Drops the calling thread's blocked buffers (they hold about two copies of the largest layer
     * run so far, e.g. 2 x 7 MB for ResNet-18's first stage at batch 8); the next call regrows them.
     * Each pool thread also keeps one block pair's weights (up to 590 KB for 512 channels at 3x3).
     */
    public static void releaseWorkspace() {
        WORKSPACE.remove();
        DirectConvWeights.release();
        FewChannelConv.releaseWorkspace();
    }

    static float[] grow(float[] a, long need, String what) {
        fits(need, what);
        return a.length >= need ? a : new float[(int) need];
    }

    static void fits(long need, String what) {
        if (need > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("direct convolution's blocked " + what + " would need " + need
                    + " elements, more than one array holds; check supports() first");
        }
    }

    /**
     * Whether these kernels compute this geometry: groups == 1 for every kernel size, stride,
     * padding and dilation, and any groups for a 1x1 stride-1 unpadded convolution (the GEMM path);
     * the blocked buffers must fit in Java arrays.
     */
    public static boolean supports(DirectConvShape g) {
        if (isPointwise(g)) return true;
        if (g.groups() != 1) return false;
        long cb = BlockedLayout.blocks(g.c()) + 1L, ob = BlockedLayout.blocks(g.o()) + 1L;
        long hp = Math.max(g.h() + 2L * g.ph(), (long) (g.oh() - 1) * g.sh() + (long) (g.kh() - 1) * g.dh() + 1)
                + (long) g.kh() * g.dh();
        long wp = Math.max(g.w() + 2L * g.pw(), (long) (g.ow() - 1) * g.sw() + (long) (g.kw() - 1) * g.dw() + 1)
                + (long) g.kw() * g.dw();
        long big = Math.max(g.n() * cb * hp * wp, g.n() * ob * (g.oh() + hp) * (g.ow() + wp)) * B;
        return big < Integer.MAX_VALUE / 2 && ob * cb * g.kh() * g.kw() * B * B < Integer.MAX_VALUE / 2;
    }

    /**
     * Whether the direct path should be used where it is supported: the CPU has 16-float vectors
     * (otherwise the 512-bit kernels are not compiled to SIMD code), and the channels fill most of a
     * block (a 3-channel stem convolution would do 16/3 times the work; im2col suits it better).
     */
    public static boolean preferred(DirectConvShape g) {
        if (!supports(g)) return false;
        if (isPointwise(g)) return true;
        return FloatVector.SPECIES_PREFERRED.length() >= B && g.c() >= B && g.o() >= B;
    }

    private static boolean isPointwise(DirectConvShape g) {
        return g.kh() == 1 && g.kw() == 1 && g.sh() == 1 && g.sw() == 1 && g.ph() == 0 && g.pw() == 0;
    }

    /** out[n, o, oh, ow] = conv(x[n, c, h, w], w[o, c/groups, kh, kw]) + bias[o] (bias may be null). */
    public static void forward(MemorySegment x, long xOff, MemorySegment w, long wOff, MemorySegment bias, long bOff,
            MemorySegment out, long outOff, DirectConvShape g) {
        forward(x, xOff, w, wOff, bias, bOff, out, outOff, g, null);
    }

    /**
     * As above; {@code blockedWeights}, when not null, is the whole weight in forward's blocked layout
     * ({@link #blockForward}), used instead of reordering each pair's weights inside the work items.
     */
    public static void forward(MemorySegment x, long xOff, MemorySegment w, long wOff, MemorySegment bias, long bOff,
            MemorySegment out, long outOff, DirectConvShape g, float[] blockedWeights) {
        forward(x, xOff, w, wOff, bias, bOff, out, outOff, g, blockedWeights, null);
    }

    /**
     * As above, then {@code epilogue} (null for none) on the output: applied while the output is
     * reordered to NCHW, or after the GEMM for pointwise convolutions.
     */
    static void forward(MemorySegment x, long xOff, MemorySegment w, long wOff, MemorySegment bias, long bOff,
            MemorySegment out, long outOff, DirectConvShape g, float[] blockedWeights, OutputEpilogue epilogue) {
        check(g);
        span("input", x, xOff, g.inputElements());
        span("weight", w, wOff, g.weightElements());
        if (bias != null) span("bias", bias, bOff, g.o());
        span("output", out, outOff, g.outputElements());
        if (g.n() == 0) return;
        if (isPointwise(g)) {
            Pointwise.forward(x, xOff, w, wOff, bias, bOff, out, outOff, g);
            if (epilogue != null) epilogue.applySeparately(out, outOff, g.n(), (long) g.oh() * g.ow());
            return;
        }
        Workspace ws = WORKSPACE.get();
        int cbs = BlockedLayout.blocks(g.c()), obs = pairs(g.o()) * 2, taps = g.kh() * g.kw();
        int oh = g.oh(), ow = g.ow(), ohw = oh * ow;
        int hp = Math.max(g.ph() + g.h(), (oh - 1) * g.sh() + (g.kh() - 1) * g.dh() + 1);
        int wp = Math.max(g.pw() + g.w(), (ow - 1) * g.sw() + (g.kw() - 1) * g.dw() + 1);
        float[] xb = ws.x = grow(ws.x, (long) g.n() * cbs * hp * wp * B, "input");
        float[] yb = ws.y = grow(ws.y, (long) g.n() * obs * ohw * B, "output");
        fits((long) 2 * cbs * taps * B * B, "weight pair");
        BlockedLayout.toBlocked(x, xOff, g.n(), g.c(), g.h(), g.w(), xb, cbs, hp, wp, g.ph(), g.pw());
        float[] bb = bias == null ? null : BlockedLayout.bias(bias, bOff, g.o(), obs);

        Runs runs = Runs.of(g.kh(), g.kw(), g.dh(), g.dw(), wp);
        int planeX = hp * wp * B, wRed = taps * B * B, wPair = cbs * wRed, pairs = obs / 2;
        int n = g.n(), o = g.o(), c = g.c();
        // Tiles of 7 pixels run over a group of images' pixels: one image when its pixels fill whole
        // tiles, else all of them, so that a tile may span two images (a 2x2 output image filled 4
        // of a tile's 7 slots: 57% of the work at ResNet-18's last stage at 64x64 input).
        int groupImages = ohw % TILE == 0 ? 1 : n, groups = n / groupImages, groupPixels = groupImages * ohw;
        int tiles = (groupPixels + TILE - 1) / TILE;
        int imageX = cbs * planeX, imageY = obs * ohw * B;
        int[] pix = new int[tiles * TILE], dpix = new int[tiles * TILE];
        for (int i = 0; i < pix.length; i++) {
            int q = Math.min(i, groupPixels - 1), img = q / ohw, p = q % ohw; // the tail repeats the last pixel
            int oy = p / ow, ox = p % ow;
            pix[i] = img * imageX + (oy * g.sh() * wp + ox * g.sw()) * B;
            dpix[i] = img * imageY + p * B;
        }
        int segs = segments(pairs, (long) groups * tiles);
        if (blockedWeights != null && blockedWeights.length != (long) obs * wPair) {
            throw new IllegalArgumentException("blocked weights hold " + blockedWeights.length + " floats, the geometry needs "
                    + (long) obs * wPair);
        }
        Parallel.parallelFor((long) pairs * segs, BlockedLayout.grain(w), PIECES, (from, to) -> {
            PairWeights pw = blockedWeights != null ? null : PAIR_WEIGHTS.get().grow(2L * wPair, taps);
            float[] wts = blockedWeights != null ? blockedWeights : pw.w;
            int loaded = -1;
            for (long item = from; item < to; item++) {
                int pr = (int) (item / segs), seg = (int) (item % segs);
                if (pr != loaded && blockedWeights == null) {
                    BlockedLayout.weightsForward(w, wOff, o, c, taps, pw.w, 2 * pr, 2, pw.rows);
                }
                loaded = pr;
                int wBase = blockedWeights != null ? 2 * pr * wPair : 0;
                long all = (long) groups * tiles;
                for (long k = all * seg / segs, end = all * (seg + 1) / segs; k < end; k++) {
                    int img = (int) (k / tiles) * groupImages, t = (int) (k % tiles);
                    DirectConvKernels.tile(xb, img * imageX, planeX, cbs, runs.src, runs.w, 0, runs.count,
                            runs.len, wts, wBase, wRed, wPair, pix, t * TILE, yb, img * imageY + 2 * pr * ohw * B,
                            ohw * B, dpix, bb, 2 * pr * B);
                }
            }
        });
        BlockedLayout.fromBlocked(yb, obs, ohw, out, outOff, n, g.o(), epilogue);
    }

    /**
     * The whole weight w[o][c][kh][kw] in forward's blocked layout (pairs of 16-output-channel blocks,
     * OIhw16i16o), as {@link #forward} reorders it pair by pair; null for geometries that forward
     * does not block (pointwise convolutions run as a GEMM on the weight as it is).
     */
    public static float[] blockForward(MemorySegment w, long wOff, DirectConvShape g) {
        check(g);
        span("weight", w, wOff, g.weightElements());
        if (isPointwise(g)) return null;
        int cbs = BlockedLayout.blocks(g.c()), obs = pairs(g.o()) * 2, taps = g.kh() * g.kw();
        long size = (long) obs * cbs * taps * B * B;
        fits(size, "weight");
        float[] blocked = new float[(int) size];
        BlockedLayout.weightsForward(w, wOff, g.o(), g.c(), taps, blocked, 0, obs, new float[BlockedLayout.stagingFloats(taps)]);
        return blocked;
    }

    /** gx[n, c, h, w] = the gradient of forward's output {@code gout} with respect to its input. */
    public static void backwardData(MemorySegment gout, long gOff, MemorySegment w, long wOff, MemorySegment gx,
            long gxOff, DirectConvShape g) {
        check(g);
        span("output gradient", gout, gOff, g.outputElements());
        span("weight", w, wOff, g.weightElements());
        span("input gradient", gx, gxOff, g.inputElements());
        if (g.n() == 0) return;
        if (isPointwise(g)) {
            Pointwise.backwardData(gout, gOff, w, wOff, gx, gxOff, g);
            return;
        }
        blockedBackwardData(gout, gOff, w, wOff, gx, gxOff, g);
    }

    /** backwardData's blocked path; the blocked gout stays in the workspace's y buffer, laid out as the plan says. */
    private static BackwardDataPlan blockedBackwardData(MemorySegment gout, long gOff, MemorySegment w, long wOff, MemorySegment gx,
            long gxOff, DirectConvShape g) {
        Workspace ws = WORKSPACE.get();
        int obs = BlockedLayout.blocks(g.o()), cbs = pairs(g.c()) * 2, taps = g.kh() * g.kw(), hw = g.h() * g.w();
        BackwardDataPlan plan = BackwardDataPlan.of(g, obs, cbs);
        float[] gb = ws.y = grow(ws.y, (long) g.n() * obs * plan.hq * plan.wq * B, "output gradient");
        fits((long) 2 * obs * taps * B * B, "weight pair");
        float[] xb = ws.x = grow(ws.x, (long) g.n() * cbs * hw * B, "input gradient");
        BlockedLayout.toBlocked(gout, gOff, g.n(), g.o(), g.oh(), g.ow(), gb, obs, plan.hq, plan.wq, plan.top, plan.left);
        int planeG = plan.hq * plan.wq * B, wRed = taps * B * B, wPair = obs * wRed, pairs = cbs / 2, tiles = plan.tiles;
        int n = g.n(), o = g.o(), c = g.c();
        Runs runs = plan.runs;
        int groupImages = plan.groupImages, groups = n / groupImages;
        int segs = segments(pairs, (long) groups * tiles);
        Parallel.parallelFor((long) pairs * segs, BlockedLayout.grain(w), PIECES, (from, to) -> {
            PairWeights pw = PAIR_WEIGHTS.get().grow(2L * wPair, taps);
            int loaded = -1;
            for (long item = from; item < to; item++) {
                int pr = (int) (item / segs), seg = (int) (item % segs);
                if (pr != loaded) {
                    BlockedLayout.weightsBackwardData(w, wOff, o, c, taps, pw.w, 2 * pr, 2, pw.rows);
                    loaded = pr;
                }
                long all = (long) groups * tiles;
                for (long k = all * seg / segs, end = all * (seg + 1) / segs; k < end; k++) {
                    int img = (int) (k / tiles) * groupImages, t = (int) (k % tiles), ph = plan.tilePhase[t];
                    DirectConvKernels.tile(gb, img * obs * planeG, planeG, obs, runs.src, runs.w, plan.runFrom[ph],
                            plan.runFrom[ph + 1], runs.len, pw.w, 0, wRed, wPair, plan.pix, t * TILE, xb,
                            img * cbs * hw * B + 2 * pr * hw * B, hw * B, plan.dpix, null, 0);
                }
            }
        });
        BlockedLayout.fromBlocked(xb, cbs, hw, gx, gxOff, g.n(), g.c(), null);
        return plan;
    }

    /**
     * gw[o, c, kh, kw] and gbias[o] (when not null) = the gradients of forward's output
     * {@code gout} with respect to the weight and bias.
     */
    public static void backwardWeights(MemorySegment gout, long gOff, MemorySegment x, long xOff, MemorySegment gw,
            long gwOff, MemorySegment gbias, long gbOff, DirectConvShape g) {
        check(g);
        span("output gradient", gout, gOff, g.outputElements());
        span("input", x, xOff, g.inputElements());
        span("weight gradient", gw, gwOff, g.weightElements());
        if (gbias != null) span("bias gradient", gbias, gbOff, g.o());
        if (gbias != null) biasGradient(gout, gOff, gbias, gbOff, g);
        if (g.n() == 0) {
            gw.asSlice(gwOff * Float.BYTES, g.weightElements() * Float.BYTES).fill((byte) 0);
            return;
        }
        if (isPointwise(g)) {
            Pointwise.backwardWeights(gout, gOff, x, xOff, gw, gwOff, g);
            return;
        }
        Workspace ws = WORKSPACE.get();
        int cbs = BlockedLayout.blocks(g.c()), obs = pairs(g.o()) * 2;
        int oh = g.oh(), ow = g.ow(), ohw = oh * ow;
        int hp = Math.max(g.ph() + g.h(), (oh - 1) * g.sh() + (g.kh() - 1) * g.dh() + 1);
        int wp = Math.max(g.pw() + g.w(), (ow - 1) * g.sw() + (g.kw() - 1) * g.dw() + 1);
        float[] xb = ws.x = grow(ws.x, (long) g.n() * cbs * hp * wp * B, "input");
        float[] gb = ws.y = grow(ws.y, (long) g.n() * obs * ohw * B, "output gradient");
        BlockedLayout.toBlocked(x, xOff, g.n(), g.c(), g.h(), g.w(), xb, cbs, hp, wp, g.ph(), g.pw());
        BlockedLayout.toBlocked(gout, gOff, g.n(), g.o(), oh, ow, gb, obs, oh, ow, 0, 0);
        DirectConvWeights.compute(xb, gb, DirectConvWeights.GradLayout.plain(g), cbs, obs, hp, wp, gw, gwOff, g);
    }

    /**
     * {@link #backwardData} and {@link #backwardWeights} (no bias) of one convolution, as a training
     * step's backward needs them: backward-weights reads the gout that backward-data blocked (with its
     * zero border) instead of blocking it again, when its blocks pair up (a multiple of 32 output
     * channels, as every ResNet layer has; otherwise the two run one after the other).
     */
    public static void backwardDataAndWeights(MemorySegment gout, long gOff, MemorySegment x, long xOff, MemorySegment w, long wOff,
            MemorySegment gx, long gxOff, MemorySegment gw, long gwOff, DirectConvShape g) {
        check(g);
        span("output gradient", gout, gOff, g.outputElements());
        span("input", x, xOff, g.inputElements());
        span("weight", w, wOff, g.weightElements());
        span("input gradient", gx, gxOff, g.inputElements());
        span("weight gradient", gw, gwOff, g.weightElements());
        int obs = BlockedLayout.blocks(g.o());
        if (g.n() == 0 || isPointwise(g) || obs % 2 != 0 || !shareGout) {
            backwardData(gout, gOff, w, wOff, gx, gxOff, g);
            backwardWeights(gout, gOff, x, xOff, gw, gwOff, null, 0, g);
            return;
        }
        BackwardDataPlan plan = blockedBackwardData(gout, gOff, w, wOff, gx, gxOff, g);
        Workspace ws = WORKSPACE.get(); // ws.y holds gout blocked as the plan says; ws.x is free again
        int cbs = BlockedLayout.blocks(g.c()), oh = g.oh(), ow = g.ow();
        int hp = Math.max(g.ph() + g.h(), (oh - 1) * g.sh() + (g.kh() - 1) * g.dh() + 1);
        int wp = Math.max(g.pw() + g.w(), (ow - 1) * g.sw() + (g.kw() - 1) * g.dw() + 1);
        float[] xb = ws.x = grow(ws.x, (long) g.n() * cbs * hp * wp * B, "input");
        BlockedLayout.toBlocked(x, xOff, g.n(), g.c(), g.h(), g.w(), xb, cbs, hp, wp, g.ph(), g.pw());
        DirectConvWeights.compute(xb, ws.y, new DirectConvWeights.GradLayout(plan.hq, plan.wq, plan.top, plan.left), cbs, obs, hp,
                wp, gw, gwOff, g);
    }

    /** Whether backwardDataAndWeights shares the blocked gout (probes turn it off to compare: 1-4% of the pair at batch 8). */
    static volatile boolean shareGout = true;

    /** gbias[o] = sum of gout over images and pixels (float accumulation in vector lanes). */
    static void biasGradient(MemorySegment gout, long gOff, MemorySegment gbias, long gbOff, DirectConvShape g) {
        int ohw = g.oh() * g.ow(), n = g.n(), o = g.o();
        var sp = FloatVector.SPECIES_PREFERRED;
        int lanes = sp.length(), bound = ohw - ohw % lanes;
        Parallel.parallelFor(o, Parallel.shareable(gout, gbias, gbias) ? 16 : Long.MAX_VALUE, (from, to) -> {
            for (int oc = (int) from; oc < (int) to; oc++) {
                FloatVector acc = FloatVector.zero(sp);
                float tail = 0f;
                for (int img = 0; img < n; img++) {
                    long base = (gOff + ((long) img * o + oc) * ohw) * Float.BYTES;
                    for (int p = 0; p < bound; p += lanes) {
                        acc = acc.add(FloatVector.fromMemorySegment(sp, gout, base + (long) p * Float.BYTES,
                                java.nio.ByteOrder.nativeOrder()));
                    }
                    for (int p = bound; p < ohw; p++) {
                        tail += gout.getAtIndex(F32, base / Float.BYTES + p);
                    }
                }
                gbias.setAtIndex(F32, gbOff + oc, ElementwiseF32.addLanes(acc) + tail); // fixed lane order: same bits before and after the JIT
            }
        });
    }

    /**
     * One block pair's reordered weights and the staging rows for them, kept per thread (pool
     * workers included) and grown on demand: 590 KB at 512 channels and 3x3.
     */
    private static final class PairWeights {
        float[] w = new float[0], rows = new float[0];

        PairWeights grow(long need, int taps) {
            if (w.length < need) w = new float[(int) need];
            if (rows.length < BlockedLayout.stagingFloats(taps)) rows = new float[BlockedLayout.stagingFloats(taps)];
            return this;
        }
    }

    private static final ThreadLocal<PairWeights> PAIR_WEIGHTS = ThreadLocal.withInitial(PairWeights::new);

    /**
     * Chunks per thread that the kernels' work is cut into and claimed one at a time: at batch 1
     * there are few coarse items, and with one chunk per thread a thread the OS kept off its core
     * (this machine is shared) held up the whole call while the other one sat idle.
     */
    static final int PIECES = 4;

    /**
     * Work items per block pair: one when the pairs alone give every thread {@link #PIECES}
     * items (no weight is reordered twice), otherwise the pair's images x tiles are cut into as
     * many segments as that takes, each reordering the pair's weights for itself (small: few
     * pairs means few channels).
     */
    static int segments(int pairs, long work) {
        long want = ((long) PIECES * Parallel.getNumThreads() + pairs - 1) / pairs;
        return (int) Math.max(1, Math.min(want, work));
    }

    static int pairs(int channels) { return (BlockedLayout.blocks(channels) + 1) / 2; }

    private static void check(DirectConvShape g) {
        if (!supports(g)) {
            throw new IllegalArgumentException("direct convolution does not support " + g
                    + " (groups > 1 needs a 1x1 stride-1 unpadded kernel); use the im2col path");
        }
    }

    static void span(String name, MemorySegment s, long off, long elements) {
        if (s == null) throw new IllegalArgumentException("direct convolution's " + name + " segment is null");
        if (off < 0 || (off + elements) * Float.BYTES > s.byteSize()) {
            throw new IllegalArgumentException("direct convolution's " + name + " needs elements [" + off + ", "
                    + (off + elements) + ") but its segment holds " + s.byteSize() / Float.BYTES);
        }
    }

    /**
     * Runs of taps: run u covers {@code len} consecutive floats of the source from offset src[u]
     * and the weights from w[u]. With unit column dilation one kernel row is one run (its taps
     * are adjacent pixels), otherwise every tap is a run of one pixel's 16 channels.
     */
    record Runs(int[] src, int[] w, int count, int len) {
        /** Forward: kernel rows over a padded source plane of row length wp. */
        static Runs of(int kh, int kw, int dh, int dw, int wp) {
            boolean rows = dw == 1;
            int count = rows ? kh : kh * kw;
            int[] src = new int[count], w = new int[count];
            for (int u = 0; u < count; u++) {
                int ky = rows ? u : u / kw, kx = rows ? 0 : u % kw;
                src[u] = (ky * dh * wp + kx * dw) * B;
                w[u] = (ky * kw + kx) * B * B;
            }
            return new Runs(src, w, count, rows ? kw * B : B);
        }
    }
}
