package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * The direct convolution's weight gradient on channel-blocked data ({@link DirectConv} blocks x
 * and gout, this class reduces them). Its work item is one (output-block pair, input block, half
 * block): 16 accumulators of {@link DirectConvKernels#weightRows} per tap. Two schedules:
 * <ul>
 * <li>by item: each item sweeps every image and owns its slice of the gradient (no reduction).
 *     Every item re-reads all images' x block and gout pair: at 64 channels, 56x56, batch 8 that is
 *     16 sweeps of 13 MB, which the two cores of this machine type fetch from memory together.
 * <li>by image: when the whole gradient fits in L2 per thread (up to 128 channels at 3x3) and
 *     there are several images, each slot of images keeps a full partial gradient; a row of x and
 *     gout is read once and every item takes its turn on it while it is in cache, and the slots'
 *     partials are summed once at the end (in slot order: the result depends on the slot count,
 *     not on which thread ran what).
 * </ul>
 */
final class DirectConvWeights {
    private DirectConvWeights() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int B = DirectConvKernels.B;

    /** Largest partial gradient (floats) kept per slot: 160K floats, 640 KB, within a 1 MB L2. */
    static long slotFloats = 160 * 1024; // tests lower it to take small problems in groups

    /**
     * Above this, an item's sweep over the images (its x block and gout pair) no longer stays in
     * L2 between items, and a gradient too large for one slot is taken in groups of items by
     * image: 512 channels at 7x7 read 91 KB per item at batch 8 (by item was 13% faster), 256 at
     * 14x14 331 KB (level), and at batch 32 by image was 9-11% faster for both.
     */
    static long itemBytesByImage = 256 * 1024; // tests lower it too

    /**
     * Chunks per thread for the by-item schedule's items (claimed one at a time; see
     * {@link DirectConv}'s PIECES), and image slots per thread for the by-image schedule.
     */
    private static final int PIECES = 4, SLOTS_PER_THREAD = 2;

    /** -Dtessera.convWeightsByImage=false keeps every call on the by-item schedule (for comparisons; tests set it). */
    static volatile boolean byImage = Boolean.parseBoolean(System.getProperty("tessera.convWeightsByImage", "true"));

    /** One call's geometry in the blocked layouts, and how rows are grouped per kernel call. */
    private static final class Plan {
        final int n, c, o, cbs, obs, pairs, taps, oh, ow, wp, planeX, planeG, gRow, gOrigin, kh, kw, sh, dh, dw, xStep;
        final int strip, imageStrip, oyStep, xRowStep, gRowStep, rowLen, accLen, items;
        /** lane l of an accumulator vector goes to output channel l's run (see store) */
        final int[] lanes = new int[B];

        Plan(DirectConvShape g, int cbs, int obs, int hp, int wp, GradLayout gl) {
            n = g.n(); c = g.c(); o = g.o();
            this.cbs = cbs; this.obs = obs; this.wp = wp;
            pairs = obs / 2; taps = g.kh() * g.kw(); oh = g.oh(); ow = g.ow();
            planeX = hp * wp * B; planeG = gl.rows() * gl.cols() * B;
            gRow = gl.cols() * B; gOrigin = (gl.top() * gl.cols() + gl.left()) * B;
            kh = g.kh(); kw = g.kw(); sh = g.sh(); dh = g.dh(); dw = g.dw(); xStep = g.sw() * B;
            // output rows per weightRows call: about 64 pixels, so short rows keep the accumulators in
            // registers for longer while a strip of long rows still stays in L1 across the taps
            strip = Math.max(1, Math.min(oh, 64 / Math.max(1, ow)));
            // Small outputs (at most 32 pixels, e.g. 2x2 and 4x4 at a 64x64 input) take their rows
            // across images instead: one call per output row covers that row of up to 64 / ow images,
            // where a call per image did 4 pixels' FMAs per load and store of the 16 accumulators.
            imageStrip = oh * ow <= 32 && n > 1 ? Math.min(n, Math.max(1, 64 / ow)) : 1;
            // a weightRows "row" is then one output row of successive images, else successive rows of one image
            oyStep = imageStrip > 1 ? 1 : strip;
            xRowStep = imageStrip > 1 ? cbs * planeX : sh * wp * B;
            gRowStep = imageStrip > 1 ? obs * planeG : gRow;
            rowLen = B / 2 * taps; // one output channel's run: 8 input channels x taps
            accLen = taps * B * B; // per tap: 8 input channels x 2 output blocks x 16 lanes
            items = pairs * cbs * 2;
            for (int l = 0; l < B; l++) lanes[l] = l * rowLen;
        }
    }

    /**
     * Where gout's blocked planes put pixel (oy, ox): at row oy + top, column ox + left of planes of
     * rows x cols pixels (backward-data's layout has a zero border; a plain one has none).
     */
    record GradLayout(int rows, int cols, int top, int left) {
        static GradLayout plain(DirectConvShape g) { return new GradLayout(g.oh(), g.ow(), 0, 0); }
    }

    /**
     * gw[o, c, kh, kw] from x blocked with its padding border ({@code xb}: [n][cbs][hp][wp][16])
     * and gout blocked as {@code gl} says ({@code gb}: [n][obs][rows][cols][16], obs even).
     */
    static void compute(float[] xb, float[] gb, GradLayout gl, int cbs, int obs, int hp, int wp, MemorySegment gw, long gwOff,
            DirectConvShape g) {
        Plan p = new Plan(g, cbs, obs, hp, wp, gl);
        long full = (long) p.items * p.accLen;
        int threads = Parallel.getNumThreads();
        int slots = Math.min(p.n, threads * SLOTS_PER_THREAD);
        // what one item reads: its x block and gout pair over all images (a cache line holds a whole block)
        long itemBytes = (long) p.n * (p.planeX + 2L * p.planeG) * Float.BYTES;
        if (byImage && threads > 1 && p.n > 1 && p.imageStrip == 1 && (full <= slotFloats || itemBytes > itemBytesByImage)) {
            int group = (int) Math.max(1, Math.min(p.items, slotFloats / p.accLen));
            for (int from = 0; from < p.items; from += group) {
                byImage(p, xb, gb, gw, gwOff, slots, from, Math.min(p.items, from + group));
            }
        } else {
            byItem(p, xb, gb, gw, gwOff);
        }
    }

    private static void byItem(Plan p, float[] xb, float[] gb, MemorySegment gw, long gwOff) {
        Parallel.parallelFor(p.items, BlockedLayout.grain(gw), PIECES, (from, to) -> {
            Scratch scratch = SCRATCH.get().grow(p.accLen, 2 * B * p.rowLen);
            for (long item = from; item < to; item++) {
                Arrays.fill(scratch.acc, 0, p.accLen, 0f);
                for (int img = 0; img < p.n; img += p.imageStrip) {
                    for (int oy = 0; oy < p.oh; oy += p.oyStep) accumulate(p, xb, gb, (int) item, img, oy, scratch.acc, 0);
                }
                store(p, scratch.acc, 0, (int) item, scratch.runs, gw, gwOff);
            }
        });
    }

    /** Items [first, last) by image: one partial gradient of theirs per slot of images, summed at the end. */
    private static void byImage(Plan p, float[] xb, float[] gb, MemorySegment gw, long gwOff, int slots, int first, int last) {
        int full = (last - first) * p.accLen;
        float[][] partial = PARTIALS.get().grow(slots, full);
        Parallel.parallelFor(slots, 1, PIECES, (from, to) -> {
            for (int slot = (int) from; slot < to; slot++) {
                float[] acc = partial[slot];
                Arrays.fill(acc, 0, full, 0f);
                for (int img = p.n * slot / slots, end = p.n * (slot + 1) / slots; img < end; img++) {
                    for (int oy = 0; oy < p.oh; oy += p.oyStep) {
                        for (int item = first; item < last; item++) accumulate(p, xb, gb, item, img, oy, acc, (item - first) * p.accLen);
                    }
                }
            }
        });
        float[] sum = sumSlots(partial, slots, full);
        Parallel.parallelFor(last - first, BlockedLayout.grain(gw), PIECES, (from, to) -> {
            float[] runs = SCRATCH.get().grow(p.accLen, 2 * B * p.rowLen).runs;
            for (long k = from; k < to; k++) store(p, sum, (int) k * p.accLen, first + (int) k, runs, gw, gwOff);
        });
    }

    /** acc[at..] += item's contributions from output rows [oy, oy + oyStep) of image img (and the next imageStrip - 1). */
    private static void accumulate(Plan p, float[] xb, float[] gb, int item, int img, int oy, float[] acc, int at) {
        int half = item % 2, cb = item / 2 % p.cbs, pr = item / 2 / p.cbs;
        int xImg = (img * p.cbs + cb) * p.planeX + half * (B / 2), gImg = (img * p.obs + 2 * pr) * p.planeG + p.gOrigin;
        int rows = p.imageStrip > 1 ? Math.min(p.imageStrip, p.n - img) : Math.min(p.strip, p.oh - oy);
        for (int ky = 0; ky < p.kh; ky++) {
            int xRow = xImg + (oy * p.sh + ky * p.dh) * p.wp * B;
            for (int kx = 0; kx < p.kw; kx++) {
                int tap = at + (ky * p.kw + kx) * B * B;
                if (rows == 1) {
                    DirectConvKernels.weightRow(xb, xRow + kx * p.dw * B, p.xStep, gb, gImg + oy * p.gRow, p.planeG, p.ow, acc, tap);
                } else {
                    DirectConvKernels.weightRows(xb, xRow + kx * p.dw * B, p.xStep, p.xRowStep, gb, gImg + oy * p.gRow,
                            p.planeG, p.gRowStep, p.ow, rows, acc, tap);
                }
            }
        }
    }

    /**
     * acc[at + tap][i][k][lane] -> gw[o = (2 pr + k) * 16 + lane][c = cb * 16 + half * 8 + i][tap]:
     * each accumulator vector (16 output channels) is scattered into the 16 per-channel runs staged
     * in runs[] (an element-by-element transpose here took about a third of the samples at 512
     * channels, batch 1); per output channel, the item's input channels and taps are then one
     * contiguous run of gw.
     */
    private static void store(Plan p, float[] acc, int at, int item, float[] runs, MemorySegment gw, long gwOff) {
        int half = item % 2, cb = item / 2 % p.cbs, pr = item / 2 / p.cbs;
        int c0 = cb * B + half * (B / 2), ins = Math.min(B / 2, p.c - c0);
        if (ins <= 0) return;
        int taps = p.taps, rowLen = p.rowLen;
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < ins; i++) {
                for (int t = 0; t < taps; t++) {
                    FloatVector.fromArray(DirectConvKernels.S, acc, at + t * B * B + (2 * i + k) * B)
                            .intoArray(runs, k * B * rowLen + i * taps + t, p.lanes, 0);
                }
            }
        }
        for (int k = 0; k < 2; k++) {
            for (int lane = 0; lane < B; lane++) {
                int oi = (2 * pr + k) * B + lane;
                if (oi >= p.o) break;
                MemorySegment.copy(runs, (k * B + lane) * rowLen, gw, F32, (gwOff + ((long) oi * p.c + c0) * taps) * Float.BYTES,
                        ins * taps);
            }
        }
    }

    /** Per-thread accumulators (by item) and transposed runs, grown on demand (allocated per chunk they were 150 MB of garbage in 13 s). */
    private static final class Scratch {
        float[] acc = new float[0], runs = new float[0];

        Scratch grow(int accLen, int runsLen) {
            if (acc.length < accLen) acc = new float[accLen];
            if (runs.length < runsLen) runs = new float[runsLen];
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Per-slot partial gradients of the by-image schedule (and of {@link FewChannelConv}'s weight
     * gradient), owned by the calling thread (the pool threads fill them), grown on demand; a call
     * uses them from start to end, so the two never hold them at once.
     */
    private static final class Partials {
        float[][] slots = new float[0][];

        float[][] grow(int count, int floats) {
            if (slots.length < count) slots = Arrays.copyOf(slots, count);
            for (int s = 0; s < count; s++) if (slots[s] == null || slots[s].length < floats) slots[s] = new float[floats];
            return slots;
        }
    }

    private static final ThreadLocal<Partials> PARTIALS = ThreadLocal.withInitial(Partials::new);

    /**
     * partial[0][0, full) += partial[1..slots) in slot order (the sum depends on the slot count,
     * not on which thread filled which slot), split over the pool; returns partial[0]. {@code full}
     * is a multiple of 16.
     */
    static float[] sumSlots(float[][] partial, int slots, int full) {
        float[] sum = partial[0];
        Parallel.parallelFor(full / B, 1024, (from, to) -> {
            for (int i = (int) from * B; i < (int) to * B; i += B) {
                FloatVector v = FloatVector.fromArray(DirectConvKernels.S, sum, i);
                for (int s = 1; s < slots; s++) v = v.add(FloatVector.fromArray(DirectConvKernels.S, partial[s], i));
                v.intoArray(sum, i);
            }
        });
        return sum;
    }

    /** The calling thread's {@code count} partial-gradient arrays of at least {@code floats} each. */
    static float[][] partials(int count, int floats) { return PARTIALS.get().grow(count, floats); }

    /** Drops the calling thread's scratch and partial gradients (see {@link DirectConv#releaseWorkspace}). */
    static void release() {
        SCRATCH.remove();
        PARTIALS.remove();
    }
}
