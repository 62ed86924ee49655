package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The direct convolution's forward, backward-data and backward-weights against seven-loop float64
 * references, over the geometries it claims (3x3 and 7x7, strides 1 and 2, padding, dilation, 1x1
 * as GEMM with and without groups) and odd sizes (3 and 17 channels, batch 1 and 3, 7 and 13
 * pixels). Every output segment starts as NaN and the blocked work buffers are first filled by a
 * NaN run of the same geometry, so an element the kernels fail to write shows up. The tolerance is
 * float32 accumulation's: 1e-5 of the sum of the magnitudes of the terms of that element.
 */
class DirectConvTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    static List<DirectConvShape> geometries() {
        List<DirectConvShape> gs = new ArrayList<>();
        int[][] shapes = { // kh, kw, sh, sw, ph, pw, dh, dw
            {3, 3, 1, 1, 1, 1, 1, 1}, {3, 3, 2, 2, 1, 1, 1, 1}, {7, 7, 2, 2, 3, 3, 1, 1}, {3, 3, 1, 1, 2, 2, 2, 2},
            {1, 1, 1, 1, 0, 0, 1, 1}, {1, 1, 2, 2, 0, 0, 1, 1}, {3, 3, 1, 1, 0, 0, 1, 1}, {3, 2, 2, 1, 4, 0, 1, 2},
            {7, 7, 1, 1, 3, 3, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1},
        };
        int[][] sizes = {{1, 3, 17, 13, 7}, {3, 17, 3, 7, 13}, {1, 16, 32, 13, 13}, {3, 33, 20, 7, 7}, {2, 130, 100, 5, 6}};
        for (int[] s : shapes) {
            for (int[] z : sizes) {
                if (z[3] + 2 * s[4] < s[6] * (s[0] - 1) + 1 || z[4] + 2 * s[5] < s[7] * (s[1] - 1) + 1) continue;
                gs.add(new DirectConvShape(z[0], z[1], z[3], z[4], z[2], s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], 1));
            }
        }
        gs.add(new DirectConvShape(3, 6, 7, 13, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2)); // 1x1 grouped: the GEMM path
        return gs;
    }

    @Test
    void forwardMatchesDirectReference() {
        for (DirectConvShape g : geometries()) {
            check(g, Pass.FORWARD);
        }
    }

    @Test
    void backwardDataMatchesDirectReference() {
        for (DirectConvShape g : geometries()) {
            check(g, Pass.DATA);
        }
    }

    @Test
    void backwardWeightsMatchesDirectReference() {
        for (DirectConvShape g : geometries()) {
            check(g, Pass.WEIGHTS);
        }
    }

    @Test
    void rejectsWhatItDoesNotSupport() {
        DirectConvShape grouped = new DirectConvShape(1, 4, 5, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2);
        assertFalse(DirectConv.supports(grouped));
        assertTrue(DirectConv.supports(new DirectConvShape(1, 4, 5, 5, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2)));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(4096);
            var e = assertThrows(IllegalArgumentException.class, () -> DirectConv.forward(s, 0, s, 0, null, 0, s, 0, grouped));
            assertTrue(e.getMessage().contains("groups"), e.getMessage());
            DirectConvShape big = DirectConvShape.of(2, 16, 16, 16, 16, 3, 1, 1, 1, 1);
            e = assertThrows(IllegalArgumentException.class, () -> DirectConv.forward(s, 0, s, 0, null, 0, s, 0, big));
            assertTrue(e.getMessage().contains("input needs elements"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> DirectConvShape.of(1, 3, 2, 2, 4, 5, 1, 0, 1, 1));
        assertEquals(DirectConvShape.of(2, 3, 9, 9, 4, 3, 2, 1, 1, 1),
                DirectConvShape.ofSizes(2, 3, 9, 9, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1));
        assertEquals(null, DirectConvShape.ofSizes(1L << 31, 3, 9, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1));
    }

    enum Pass { FORWARD, DATA, WEIGHTS }

    /**
     * Forward and backward-data split their work into block pairs, each reordering its own
     * weights, and cut a pair's images x tiles into segments when there are fewer than two pairs
     * per thread: every split (one segment per pair with several pairs per chunk, several segments
     * of one pair, chunks that start mid-pair) matches the reference, at 1 to 8 threads.
     */
    @Test
    void everySplitOverPairsAndSegmentsMatchesTheReference() {
        int threads = Parallel.getNumThreads();
        try {
            for (int t : new int[] {1, 3, 8}) {
                Parallel.setNumThreads(t);
                for (DirectConvShape g : new DirectConvShape[] {
                        new DirectConvShape(2, 130, 5, 6, 100, 3, 3, 1, 1, 1, 1, 1, 1, 1), // 4-5 pairs
                        new DirectConvShape(3, 20, 7, 7, 33, 3, 3, 2, 2, 1, 1, 1, 1, 1)}) { // 1-2 pairs
                    check(g, Pass.FORWARD);
                    check(g, Pass.DATA);
                }
            }
        } finally {
            Parallel.setNumThreads(threads);
        }
    }

    @Test
    void bothWeightGradientSchedulesMatchTheReferenceForEverySlotCount() {
        int threads = Parallel.getNumThreads();
        boolean byImage = DirectConvWeights.byImage;
        long slotFloats = DirectConvWeights.slotFloats, itemBytes = DirectConvWeights.itemBytesByImage;
        try {
            for (int schedule = 0; schedule < 3; schedule++) { // by item; by image; by image in groups of 5 items
                DirectConvWeights.byImage = schedule > 0;
                DirectConvWeights.slotFloats = schedule == 2 ? 5 * 9 * 256 : slotFloats;
                DirectConvWeights.itemBytesByImage = schedule == 2 ? 0 : itemBytes;
                for (int t : new int[] {1, 2, 3, 8}) { // slots: min(images, 2 x threads), some holding no image
                    Parallel.setNumThreads(t);
                    for (DirectConvShape g : new DirectConvShape[] {
                            new DirectConvShape(5, 20, 9, 8, 33, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                            new DirectConvShape(3, 17, 13, 7, 16, 3, 3, 2, 2, 1, 1, 1, 1, 1),
                            new DirectConvShape(7, 16, 3, 3, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1), // 9-pixel outputs: rows across images
                            new DirectConvShape(2, 40, 6, 5, 24, 3, 2, 1, 1, 2, 0, 2, 1, 1),
                            // batch 1, nine input blocks (a partial one), odd output blocks: by item
                            new DirectConvShape(1, 130, 6, 5, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1)}) {
                        check(g, Pass.WEIGHTS);
                    }
                }
            }
        } finally {
            Parallel.setNumThreads(threads);
            DirectConvWeights.byImage = byImage;
            DirectConvWeights.slotFloats = slotFloats;
            DirectConvWeights.itemBytesByImage = itemBytes;
        }
    }

    @Test
    void bothGradientsAtOnceEqualTheSeparateCallsBitForBit() {
        // backward-weights then reads backward-data's blocked gout (with its border) instead of its own
        SplittableRandom rnd = new SplittableRandom(31);
        for (DirectConvShape g : new DirectConvShape[] {
                new DirectConvShape(3, 20, 9, 8, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                new DirectConvShape(2, 17, 13, 7, 64, 3, 3, 2, 2, 1, 1, 1, 1, 1),
                new DirectConvShape(2, 16, 11, 11, 32, 7, 7, 2, 2, 3, 3, 1, 1, 1),
                new DirectConvShape(3, 24, 10, 9, 32, 3, 3, 1, 1, 2, 2, 2, 2, 1),
                new DirectConvShape(7, 16, 3, 3, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                new DirectConvShape(2, 20, 8, 8, 17, 3, 3, 1, 1, 1, 1, 1, 1, 1)}) { // odd output blocks: separate calls
            try (Arena arena = Arena.ofShared()) {
                MemorySegment x = segment(arena, random(rnd, g.inputElements()), 0), w = segment(arena, random(rnd, g.weightElements()), 0);
                MemorySegment gout = segment(arena, random(rnd, g.outputElements()), 0);
                MemorySegment gx1 = segment(arena, nanArray(g.inputElements()), 0), gw1 = segment(arena, nanArray(g.weightElements()), 0);
                MemorySegment gx2 = segment(arena, nanArray(g.inputElements()), 0), gw2 = segment(arena, nanArray(g.weightElements()), 0);
                DirectConv.backwardData(gout, 0, w, 0, gx1, 0, g);
                DirectConv.backwardWeights(gout, 0, x, 0, gw1, 0, null, 0, g);
                DirectConv.backwardDataAndWeights(gout, 0, x, 0, w, 0, gx2, 0, gw2, 0, g);
                assertEquals(-1, gx1.mismatch(gx2), g + ": input gradient");
                assertEquals(-1, gw1.mismatch(gw2), g + ": weight gradient");
                for (long i = 0; i < g.weightElements(); i++) assertFalse(Float.isNaN(gw2.getAtIndex(F32, i)), g + ": gw[" + i + "]");
            }
        }
    }

    @Test
    void confinedSegmentsAreComputedOnTheCallingThread() {
        // pool threads may not touch a confined arena's memory: the reorders must stay inline
        for (DirectConvShape g : new DirectConvShape[] {DirectConvShape.of(2, 17, 9, 9, 20, 3, 1, 1, 1, 1),
                DirectConvShape.of(2, 17, 9, 9, 20, 1, 1, 0, 1, 1)}) {
            for (Pass pass : Pass.values()) {
                check(g, pass, true);
            }
        }
    }

    private static void check(DirectConvShape g, Pass pass) {
        check(g, pass, false);
    }

    private static void check(DirectConvShape g, Pass pass, boolean confined) {
        SplittableRandom rnd = new SplittableRandom(g.hashCode() * 31L + pass.ordinal());
        float[] x = random(rnd, g.inputElements()), w = random(rnd, g.weightElements());
        float[] gout = random(rnd, g.outputElements()), bias = random(rnd, g.o());
        try (Arena arena = confined ? Arena.ofConfined() : Arena.ofShared()) {
            // a NaN run of the same geometry leaves the blocked work buffers dirty for the real one
            MemorySegment nan = segment(arena, nanArray(Math.max(g.weightElements(), Math.max(g.inputElements(), g.outputElements()))), 2);
            run(arena, g, pass, nan, nan, nan, nan);
            MemorySegment[] got = run(arena, g, pass, segment(arena, x, 3), segment(arena, w, 1),
                    segment(arena, gout, 5), segment(arena, bias, 0));
            Reference want = switch (pass) {
                case FORWARD -> Reference.forward(g, x, w, bias);
                case DATA -> Reference.backwardData(g, gout, w);
                case WEIGHTS -> Reference.backwardWeights(g, gout, x);
            };
            compare(g + " " + pass, want.value, want.magnitude, got[0], 7);
            if (pass == Pass.WEIGHTS) {
                Reference gb = Reference.biasGradient(g, gout);
                compare(g + " bias gradient", gb.value, gb.magnitude, got[1], 11);
            }
        }
    }

    /** Runs one pass into NaN-filled outputs (placed at odd offsets); returns the output segments. */
    private static MemorySegment[] run(Arena arena, DirectConvShape g, Pass pass, MemorySegment x, MemorySegment w,
            MemorySegment gout, MemorySegment bias) {
        long xo = x.byteSize() == 0 ? 0 : 3, wo = 1, go = 5, bo = 0;
        if (x.equals(w)) xo = wo = go = bo = 2;
        switch (pass) {
            case FORWARD -> {
                MemorySegment out = segment(arena, nanArray(g.outputElements() + 7), 0);
                DirectConv.forward(x, xo, w, wo, bias, bo, out, 7, g);
                return new MemorySegment[]{out};
            }
            case DATA -> {
                MemorySegment gx = segment(arena, nanArray(g.inputElements() + 7), 0);
                DirectConv.backwardData(gout, go, w, wo, gx, 7, g);
                return new MemorySegment[]{gx};
            }
            default -> {
                MemorySegment gw = segment(arena, nanArray(g.weightElements() + 7), 0);
                MemorySegment gb = segment(arena, nanArray(g.o() + 11), 0);
                DirectConv.backwardWeights(gout, go, x, xo, gw, 7, gb, 11, g);
                return new MemorySegment[]{gw, gb};
            }
        }
    }

    static void compare(String what, double[] want, double[] magnitude, MemorySegment got, long off) {
        for (int i = 0; i < want.length; i++) {
            float v = got.getAtIndex(F32, off + i);
            double tol = 1e-5 * magnitude[i] + 1e-6;
            if (!(Math.abs(v - want[i]) <= tol)) {
                fail(what + ": element " + i + " is " + v + ", expected " + want[i] + " (tolerance " + tol + ")");
            }
        }
        assertEquals(want.length, (int) want.length);
    }

    static float[] random(SplittableRandom rnd, long n) {
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() * 2 - 1);
        return a;
    }

    static float[] nanArray(long n) {
        float[] a = new float[(int) n];
        java.util.Arrays.fill(a, Float.NaN);
        return a;
    }

    /** The values at element offset {@code off} of a fresh segment whose first elements are NaN. */
    static MemorySegment segment(Arena arena, float[] values, int off) {
        MemorySegment s = arena.allocate((long) (values.length + off) * Float.BYTES, 64);
        s.fill((byte) 0xff); // 0xffffffff is a NaN
        MemorySegment.copy(values, 0, s, F32, (long) off * Float.BYTES, values.length);
        return s;
    }

    /** Float64 seven-loop convolution sums and the sums of their terms' magnitudes. */
    record Reference(double[] value, double[] magnitude) {
        static Reference forward(DirectConvShape g, float[] x, float[] w, float[] bias) {
            Reference r = new Reference(new double[(int) g.outputElements()], new double[(int) g.outputElements()]);
            visit(g, (xi, wi, yi) -> r.add(yi, x[xi] * (double) w[wi]));
            int ohw = g.oh() * g.ow();
            for (int i = 0; i < r.value.length; i++) r.add(i, bias[i / ohw % g.o()]);
            return r;
        }

        static Reference backwardData(DirectConvShape g, float[] gout, float[] w) {
            Reference r = new Reference(new double[(int) g.inputElements()], new double[(int) g.inputElements()]);
            visit(g, (xi, wi, yi) -> r.add(xi, gout[yi] * (double) w[wi]));
            return r;
        }

        static Reference backwardWeights(DirectConvShape g, float[] gout, float[] x) {
            Reference r = new Reference(new double[(int) g.weightElements()], new double[(int) g.weightElements()]);
            visit(g, (xi, wi, yi) -> r.add(wi, gout[yi] * (double) x[xi]));
            return r;
        }

        static Reference biasGradient(DirectConvShape g, float[] gout) {
            Reference r = new Reference(new double[g.o()], new double[g.o()]);
            int ohw = g.oh() * g.ow();
            for (int i = 0; i < gout.length; i++) r.add(i / ohw % g.o(), gout[i]);
            return r;
        }

        void add(int i, double term) {
            value[i] += term;
            magnitude[i] += Math.abs(term);
        }

        interface Term { void at(int xi, int wi, int yi); }

        /** Every (input, weight, output) index triple of one multiply-add of the convolution. */
        static void visit(DirectConvShape g, Term term) {
            int oh = g.oh(), ow = g.ow(), cg = g.cg(), og = g.og();
            for (int b = 0; b < g.n(); b++)
                for (int oc = 0; oc < g.o(); oc++)
                    for (int oy = 0; oy < oh; oy++)
                        for (int ox = 0; ox < ow; ox++)
                            for (int ic = 0; ic < cg; ic++)
                                for (int ky = 0; ky < g.kh(); ky++)
                                    for (int kx = 0; kx < g.kw(); kx++) {
                                        int iy = oy * g.sh() - g.ph() + ky * g.dh(), ix = ox * g.sw() - g.pw() + kx * g.dw();
                                        if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) continue;
                                        int c = oc / og * cg + ic;
                                        term.at(((b * g.c() + c) * g.h() + iy) * g.w() + ix,
                                                ((oc * cg + ic) * g.kh() + ky) * g.kw() + kx,
                                                ((b * g.o() + oc) * oh + oy) * ow + ox);
                                    }
        }
    }
}
