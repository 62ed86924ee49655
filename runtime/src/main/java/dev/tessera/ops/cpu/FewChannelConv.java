package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Direct float32 convolution of inputs with fewer than 16 channels (a network's stem, such as
 * ResNet's 7x7 stride-2 convolution of 3-channel images): oneDNN's "first convolution" design. The
 * input stays in plain NCHW planes, with the padding written as a zero border, where
 * {@link DirectConv}'s 16-channel blocks would pad 3 channels to 16 and do 16/3 times the work;
 * output gradients (and narrow outputs) are channel-blocked as there. Register-blocked loops do
 * the arithmetic:
 * <ul>
 * <li>forward: where output rows are 16 pixels or wider, {@link FewChannelForward} (vectors along
 *     output rows, stored straight into NCHW); otherwise {@link DirectConvKernels#tile}, a run
 *     being one kernel row, whose steps walk adjacent input columns of one channel (instead of 16
 *     channels of one pixel), the reduction going over the input channels, into a blocked output;
 * <li>weight gradient: {@link DirectConvKernels#weightRows}, whose 8 "input channels" are 8
 *     adjacent kernel columns, for each input channel and kernel row; each slot of output rows
 *     keeps partial sums of the whole (small) gradient, so a strip of gout is read once while
 *     every (channel, kernel row) takes its turn on it, and the slots are summed once, in slot
 *     order (the result depends on the slot count, not on which thread ran what).
 * </ul>
 * Im2col + GEMM took 15-20 ms forward and 35-46 ms for the weight gradient of ResNet-18's stem at
 * batch 8 on this machine type, against PyTorch's 7 and 9. Backward-data (needed only where the
 * input requires grad, never for a network's input images) stays with im2col + GEMM.
 */
final class FewChannelConv {
    private FewChannelConv() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int B = DirectConvKernels.B, TILE = DirectConvKernels.TILE;
    /** Kernel columns per weightRows call (its 8 accumulator rows). */
    private static final int COLUMNS = B / 2;

    /**
     * Whether these kernels should compute this geometry: float32 vectors of 16 lanes, 1 to 15
     * input channels and at least 16 output channels (fewer would fill a fraction of the output
     * blocks), groups 1, unit column dilation (the kernel columns a weightRows call takes must be
     * adjacent), and blocked buffers that fit in Java arrays.
     */
    static boolean preferred(DirectConvShape g) {
        if (!enabled || FloatVector.SPECIES_PREFERRED.length() < B || g.groups() != 1 || g.c() >= B || g.o() < B || g.dw() != 1) return false;
        Geometry p = new Geometry(g);
        return (long) g.n() * g.c() * p.planeX + COLUMNS < Integer.MAX_VALUE / 2
                && (long) g.n() * p.obs * p.ohw * B < Integer.MAX_VALUE / 2
                && FewChannelForward.inputFloats(g) < Integer.MAX_VALUE / 2;
    }

    /** -Dtessera.fewChannelConv=false leaves these geometries to im2col + GEMM (probes flip it to compare in one process). */
    static volatile boolean enabled = !"false".equals(System.getProperty("tessera.fewChannelConv"));

    /** Whether forward takes {@link FewChannelForward} where it applies (probes flip it to compare). */
    static volatile boolean rowVectors = true;

    /** Padded input planes and output blocks of one geometry. */
    private static final class Geometry {
        final int obs, pairs, taps, oh, ow, ohw, hp, wp, planeX;

        Geometry(DirectConvShape g) {
            pairs = DirectConv.pairs(g.o());
            obs = 2 * pairs;
            taps = g.kh() * g.kw();
            oh = g.oh();
            ow = g.ow();
            ohw = oh * ow;
            hp = Math.max(g.ph() + g.h(), (oh - 1) * g.sh() + (g.kh() - 1) * g.dh() + 1);
            wp = Math.max(g.pw() + g.w(), (ow - 1) * g.sw() + (g.kw() - 1) * g.dw() + 1);
            planeX = hp * wp;
        }
    }

    /** Grow-only buffers of one calling thread: padded input planes, blocked output (or gout), weights. */
    private static final class Workspace {
        float[] x = new float[0], y = new float[0], w = new float[0];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** Drops the calling thread's buffers (see {@link DirectConv#releaseWorkspace}). */
    static void releaseWorkspace() { WORKSPACE.remove(); }

    private static void check(DirectConvShape g) {
        if (!preferred(g)) {
            throw new IllegalArgumentException("few-channel direct convolution does not compute " + g
                    + " (it needs 1-15 input channels, 16 or more outputs, groups 1, unit column dilation)");
        }
    }

    /** out[n, o, oh, ow] = conv(x[n, c, h, w], w[o, c, kh, kw]) + bias[o] (bias may be null). */
    static void forward(MemorySegment x, long xOff, MemorySegment w, long wOff, MemorySegment bias, long bOff,
            MemorySegment out, long outOff, DirectConvShape g) {
        forward(x, xOff, w, wOff, bias, bOff, out, outOff, g, null);
    }

    /** As above, then {@code epilogue} (null for none), applied as each output vector is stored. */
    static void forward(MemorySegment x, long xOff, MemorySegment w, long wOff, MemorySegment bias, long bOff,
            MemorySegment out, long outOff, DirectConvShape g, OutputEpilogue epilogue) {
        check(g);
        DirectConv.span("input", x, xOff, g.inputElements());
        DirectConv.span("weight", w, wOff, g.weightElements());
        if (bias != null) DirectConv.span("bias", bias, bOff, g.o());
        DirectConv.span("output", out, outOff, g.outputElements());
        if (g.n() == 0) return;
        Workspace ws = WORKSPACE.get();
        if (FewChannelForward.applies(g) && rowVectors) {
            ws.x = DirectConv.grow(ws.x, FewChannelForward.inputFloats(g), "input");
            ws.w = DirectConv.grow(ws.w, FewChannelForward.weightFloats(g), "weight");
            FewChannelForward.forward(x, xOff, w, wOff, bias, bOff, out, outOff, g, ws.x, ws.w, epilogue);
            return;
        }
        Geometry p = new Geometry(g);
        int n = g.n(), c = g.c(), o = g.o(), wRed = p.taps * B, wPair = c * wRed;
        float[] xp = ws.x = DirectConv.grow(ws.x, (long) n * c * p.planeX, "input");
        float[] yb = ws.y = DirectConv.grow(ws.y, (long) n * p.obs * p.ohw * B, "output");
        float[] wts = ws.w = DirectConv.grow(ws.w, (long) p.obs * wPair, "weight");
        padPlanes(x, xOff, g, p, xp);
        blockWeights(w, wOff, g, p, wts);
        float[] bb = bias == null ? null : BlockedLayout.bias(bias, bOff, o, p.obs);

        // one run per kernel row: its kw taps are adjacent columns of the plane and adjacent 16-float weight vectors
        int[] runSrc = new int[g.kh()], runW = new int[g.kh()];
        for (int ky = 0; ky < g.kh(); ky++) {
            runSrc[ky] = ky * g.dh() * p.wp;
            runW[ky] = ky * g.kw() * B;
        }
        // tiles of 7 pixels over one image, or over all of them when an image does not fill whole tiles
        int groupImages = p.ohw % TILE == 0 ? 1 : n, groups = n / groupImages, groupPixels = groupImages * p.ohw;
        int tiles = (groupPixels + TILE - 1) / TILE, imageX = c * p.planeX, imageY = p.obs * p.ohw * B;
        int[] pix = new int[tiles * TILE], dpix = new int[tiles * TILE];
        for (int i = 0; i < pix.length; i++) {
            int q = Math.min(i, groupPixels - 1), img = q / p.ohw, px = q % p.ohw; // the tail repeats the last pixel
            int oy = px / p.ow, ox = px % p.ow;
            pix[i] = img * imageX + oy * g.sh() * p.wp + ox * g.sw();
            dpix[i] = img * imageY + px * B;
        }
        int segs = DirectConv.segments(p.pairs, (long) groups * tiles);
        // items touch only the heap buffers: any pool thread may take them
        Parallel.parallelFor((long) p.pairs * segs, 1, DirectConv.PIECES, (from, to) -> {
            for (long item = from; item < to; item++) {
                int pr = (int) (item / segs), seg = (int) (item % segs);
                long all = (long) groups * tiles;
                for (long k = all * seg / segs, end = all * (seg + 1) / segs; k < end; k++) {
                    int img = (int) (k / tiles) * groupImages, t = (int) (k % tiles);
                    DirectConvKernels.tile(xp, img * imageX, p.planeX, c, runSrc, runW, 0, g.kh(), g.kw(), wts, 2 * pr * wPair,
                            wRed, wPair, pix, t * TILE, yb, img * imageY + 2 * pr * p.ohw * B, p.ohw * B, dpix, bb, 2 * pr * B);
                }
            }
        });
        BlockedLayout.fromBlocked(yb, p.obs, p.ohw, out, outOff, n, o, epilogue);
    }

    /**
     * gw[o, c, kh, kw] and gbias[o] (when not null) = the gradients of forward's output
     * {@code gout} with respect to the weight and bias.
     */
    static void backwardWeights(MemorySegment gout, long gOff, MemorySegment x, long xOff, MemorySegment gw, long gwOff,
            MemorySegment gbias, long gbOff, DirectConvShape g) {
        check(g);
        DirectConv.span("output gradient", gout, gOff, g.outputElements());
        DirectConv.span("input", x, xOff, g.inputElements());
        DirectConv.span("weight gradient", gw, gwOff, g.weightElements());
        if (gbias != null) DirectConv.span("bias gradient", gbias, gbOff, g.o());
        if (gbias != null) DirectConv.biasGradient(gout, gOff, gbias, gbOff, g);
        if (g.n() == 0) {
            gw.asSlice(gwOff * Float.BYTES, g.weightElements() * Float.BYTES).fill((byte) 0);
            return;
        }
        Geometry p = new Geometry(g);
        Workspace ws = WORKSPACE.get();
        int n = g.n(), c = g.c(), kh = g.kh(), groupsX = (g.kw() + COLUMNS - 1) / COLUMNS;
        // a weightRows call reads up to 7 columns past its window's last: slack past the last plane
        float[] xp = ws.x = DirectConv.grow(ws.x, (long) n * c * p.planeX + COLUMNS, "input");
        float[] gb = ws.y = DirectConv.grow(ws.y, (long) n * p.obs * p.ohw * B, "output gradient");
        padPlanes(x, xOff, g, p, xp);
        BlockedLayout.toBlocked(gout, gOff, n, g.o(), p.oh, p.ow, gb, p.obs, p.oh, p.ow, 0, 0);

        // accumulator sets (16 vectors each) by pair, input channel, kernel row and group of 8 kernel columns
        int sets = p.pairs * c * kh * groupsX, full = sets * B * B;
        int rowsAll = n * p.oh, strip = Math.max(1, Math.min(p.oh, 64 / Math.max(1, p.ow)));
        int slots = Math.min((rowsAll + strip - 1) / strip, Parallel.getNumThreads() * 2);
        float[][] partial = DirectConvWeights.partials(slots, full);
        int planeG = p.ohw * B, gRow = p.ow * B, xRowStep = g.sh() * p.wp;
        Parallel.parallelFor(slots, 1, DirectConv.PIECES, (from, to) -> {
            for (int slot = (int) from; slot < to; slot++) {
                float[] acc = partial[slot];
                Arrays.fill(acc, 0, full, 0f);
                // the slot's output rows, image by image, in strips that stay inside one image
                for (int r = (int) ((long) rowsAll * slot / slots), end = (int) ((long) rowsAll * (slot + 1) / slots); r < end; ) {
                    int img = r / p.oh, oy = r % p.oh, rows = Math.min(strip, Math.min(p.oh - oy, end - r));
                    for (int pr = 0; pr < p.pairs; pr++) {
                        int gs = (img * p.obs + 2 * pr) * planeG + oy * gRow;
                        for (int ci = 0; ci < c; ci++) {
                            int xPlane = (img * c + ci) * p.planeX;
                            for (int ky = 0; ky < kh; ky++) {
                                int xs = xPlane + (oy * g.sh() + ky * g.dh()) * p.wp;
                                for (int gx = 0; gx < groupsX; gx++) {
                                    int at = (((pr * c + ci) * kh + ky) * groupsX + gx) * B * B;
                                    DirectConvKernels.weightRows(xp, xs + gx * COLUMNS, g.sw(), xRowStep, gb, gs, planeG, gRow,
                                            p.ow, rows, acc, at);
                                }
                            }
                        }
                    }
                    r += rows;
                }
            }
        });
        storeWeights(DirectConvWeights.sumSlots(partial, slots, full), g, p, groupsX, gw, gwOff);
    }

    /**
     * dst[img][ch][hp][wp] = x[img][ch][h][w] at row ph, column pw of each padded plane, zero
     * around it (every element written: the buffer is reused dirty).
     */
    private static void padPlanes(MemorySegment x, long xOff, DirectConvShape g, Geometry p, float[] dst) {
        int h = g.h(), w = g.w(), top = g.ph(), left = g.pw(), wp = p.wp, planeX = p.planeX;
        Parallel.parallelFor((long) g.n() * g.c(), BlockedLayout.grain(x), (from, to) -> {
            for (int plane = (int) from; plane < to; plane++) {
                int base = plane * planeX;
                Arrays.fill(dst, base, base + top * wp + left, 0f);
                for (int y = 0; y < h; y++) {
                    int d = base + (y + top) * wp + left;
                    MemorySegment.copy(x, F32, (xOff + ((long) plane * h + y) * w) * Float.BYTES, dst, d, w);
                    // right border of this row and left border of the next (or the rows below the image)
                    int next = y + 1 < h ? base + (y + 1 + top) * wp + left : base + planeX;
                    Arrays.fill(dst, d + w, next, 0f);
                }
            }
        });
    }

    /**
     * dst[ob][ch][tap][16 o] = w[ob * 16 + o][ch][tap], zero for output channels past o (16*obs
     * floats per tap and channel); w is read in one bulk copy (at most 15 channels' worth).
     */
    private static void blockWeights(MemorySegment w, long wOff, DirectConvShape g, Geometry p, float[] dst) {
        int c = g.c(), o = g.o(), taps = p.taps;
        float[] flat = new float[o * c * taps];
        MemorySegment.copy(w, F32, wOff * Float.BYTES, flat, 0, flat.length);
        for (int ob = 0; ob < p.obs; ob++) {
            for (int ci = 0; ci < c; ci++) {
                for (int t = 0; t < taps; t++) {
                    int d = ((ob * c + ci) * taps + t) * B;
                    for (int oi = 0; oi < B; oi++) {
                        int oc = ob * B + oi;
                        dst[d + oi] = oc < o ? flat[(oc * c + ci) * taps + t] : 0f;
                    }
                }
            }
        }
    }

    /**
     * gw[(2 pr + k) * 16 + lane][ch][ky][kx] = acc of set (pr, ch, ky, kx / 8), row (kx % 8, k),
     * lane; laid out on the heap and written to gw in one bulk copy.
     */
    private static void storeWeights(float[] acc, DirectConvShape g, Geometry p, int groupsX, MemorySegment gw, long gwOff) {
        int c = g.c(), o = g.o(), kh = g.kh(), kw = g.kw();
        float[] flat = new float[o * c * kh * kw];
        for (int oc = 0; oc < o; oc++) {
            int pr = oc / (2 * B), k = oc / B % 2, lane = oc % B;
            for (int ci = 0; ci < c; ci++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int set = ((pr * c + ci) * kh + ky) * groupsX + kx / COLUMNS;
                        float v = acc[set * B * B + (2 * (kx % COLUMNS) + k) * B + lane];
                        flat[((oc * c + ci) * kh + ky) * kw + kx] = v;
                    }
                }
            }
        }
        MemorySegment.copy(flat, 0, gw, F32, gwOff * Float.BYTES, flat.length);
    }
}
