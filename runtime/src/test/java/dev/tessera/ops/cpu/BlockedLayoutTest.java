package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tessera.DType;
import dev.tessera.ops.ChannelEpilogue;
import dev.tessera.ops.Strided;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The activation reorders against element-by-element references: rows and planes narrower than,
 * equal to and wider than a 16-pixel run (the register transpose, its overlapping last run, and
 * the gathers), channel counts that leave a partial last block, borders, offsets into the
 * segment, a bias, and destinations that start dirty (NaN), so an element left unwritten shows.
 */
class BlockedLayoutTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int B = 16;

    @BeforeAll
    static void needsWideVectors() {
        Assumptions.assumeTrue(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() >= B,
                "the blocked layouts are for 16-float vectors; this CPU's are narrower");
    }

    @Test
    void transposeIsATranspose() {
        float[] src = new float[40 * 16 + 3];
        for (int i = 0; i < src.length; i++) src[i] = i;
        float[] dst = new float[256 + 5];
        Arrays.fill(dst, Float.NaN);
        Transpose16.transpose(src, 3, 40, new int[256], dst, 5);
        for (int r = 0; r < 16; r++) {
            for (int c = 0; c < 16; c++) assertEquals(src[3 + c * 40 + r], dst[5 + 16 * r + c], "row " + r + " column " + c);
        }
    }

    @Test
    void toBlockedMatchesTheReference() {
        int[][] cases = { // n, c, h, w, top, left, extra rows, extra columns
            {1, 3, 5, 5, 1, 1, 1, 1}, {2, 16, 3, 16, 0, 0, 0, 0}, {1, 20, 4, 17, 1, 1, 2, 1}, {2, 33, 3, 31, 2, 3, 0, 2},
            {1, 64, 2, 56, 1, 1, 1, 1}, {3, 5, 2, 15, 0, 1, 0, 0}, {1, 16, 1, 32, 3, 0, 1, 5},
        };
        SplittableRandom rnd = new SplittableRandom(7);
        for (int[] k : cases) {
            int n = k[0], c = k[1], h = k[2], w = k[3], top = k[4], left = k[5], hp = top + h + k[6], wp = left + w + k[7];
            int cbs = BlockedLayout.blocks(c);
            long off = 3;
            float[] x = random(rnd, n * c * h * w);
            try (Arena arena = Arena.ofShared()) {
                MemorySegment seg = arena.allocate((off + x.length) * Float.BYTES);
                MemorySegment.copy(x, 0, seg, F32, off * Float.BYTES, x.length);
                float[] got = new float[n * cbs * hp * wp * B];
                Arrays.fill(got, Float.NaN);
                BlockedLayout.toBlocked(seg, off, n, c, h, w, got, cbs, hp, wp, top, left);
                for (int img = 0; img < n; img++)
                    for (int cb = 0; cb < cbs; cb++)
                        for (int y = 0; y < hp; y++)
                            for (int xx = 0; xx < wp; xx++)
                                for (int l = 0; l < B; l++) {
                                    int ch = cb * B + l, iy = y - top, ix = xx - left;
                                    float want = ch < c && iy >= 0 && iy < h && ix >= 0 && ix < w ? x[((img * c + ch) * h + iy) * w + ix] : 0f;
                                    float v = got[(((img * cbs + cb) * hp + y) * wp + xx) * B + l];
                                    if (Float.compare(v, want) != 0) {
                                        fail(Arrays.toString(k) + ": image " + img + " channel " + ch + " row " + y + " column " + xx + " is "
                                                + v + ", expected " + want);
                                    }
                                }
            }
        }
    }

    @Test
    void fromBlockedMatchesTheReference() {
        int[][] cases = { // n, c, hw, epilogue: 0 none, 1 affine, 2 affine + ReLU, 3 affine + residual + ReLU
            {1, 5, 1, 0}, {2, 16, 4, 1}, {1, 40, 15, 3}, {2, 16, 16, 0}, {1, 20, 17, 2}, {3, 33, 49, 3}, {1, 64, 196, 1},
            {1, 16, 3136, 0}, {2, 24, 20, 3}, {1, 16, 3136, 2},
        };
        SplittableRandom rnd = new SplittableRandom(11);
        for (int[] k : cases) {
            int n = k[0], c = k[1], hw = k[2], cbs = BlockedLayout.blocks(c), kind = k[3];
            float[] src = random(rnd, n * cbs * hw * B);
            float[] alpha = random(rnd, c), beta = random(rnd, c), residual = random(rnd, n * c * hw);
            long off = 5;
            try (Arena arena = Arena.ofShared()) {
                MemorySegment dst = arena.allocate((off + (long) n * c * hw + 4) * Float.BYTES);
                dst.fill((byte) 0xff); // NaN
                OutputEpilogue epilogue = null;
                if (kind > 0) {
                    Strided a = vector(arena, alpha, new long[]{c}), b = vector(arena, beta, new long[]{c});
                    Strided r = kind == 3 ? vector(arena, residual, new long[]{n, c, hw}) : null;
                    epilogue = OutputEpilogue.of(new ChannelEpilogue(a, b, r, kind >= 2), c, (long) n * c * hw);
                }
                BlockedLayout.fromBlocked(src, cbs, hw, dst, off, n, c, epilogue);
                for (int img = 0; img < n; img++)
                    for (int ch = 0; ch < c; ch++)
                        for (int p = 0; p < hw; p++) {
                            int cb = ch / B, l = ch % B, at = (img * c + ch) * hw + p;
                            float want = src[((img * cbs + cb) * hw + p) * B + l];
                            if (kind > 0) want = Math.fma(want, alpha[ch], beta[ch]);
                            if (kind == 3) want += residual[at];
                            if (kind >= 2) want = Math.max(want, 0f);
                            float v = dst.getAtIndex(F32, off + at);
                            if (Float.compare(v, want) != 0) {
                                fail(Arrays.toString(k) + ": image " + img + " channel " + ch + " pixel " + p + " is " + v + ", expected " + want);
                            }
                        }
                // nothing written past the end
                for (long i = off + (long) n * c * hw; i < off + (long) n * c * hw + 4; i++) {
                    assertEquals(true, Float.isNaN(dst.getAtIndex(F32, i)), "element " + i + " past the output");
                }
            }
        }
    }

    private static Strided vector(Arena arena, float[] values, long[] shape) {
        MemorySegment s = arena.allocate((long) values.length * Float.BYTES + 8);
        MemorySegment.copy(values, 0, s, F32, 8, values.length); // two elements in: a non-zero offset
        long[] strides = new long[shape.length];
        for (int d = shape.length - 1, st = 1; d >= 0; st *= (int) shape[d], d--) strides[d] = st;
        return new Strided(s, DType.FLOAT32, 2, shape, strides);
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextDouble() * 2 - 1);
        return a;
    }
}
