package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reorders between PyTorch's contiguous layouts (NCHW activations, OIHW weights) and the
 * channel-blocked layouts the direct convolution reads (oneDNN's nChw16c and OIhw16i16o): 16
 * consecutive channels of one pixel are adjacent, so one 512-bit load takes a pixel's block and
 * no kernel needs a gather. Channel counts are padded up to a multiple of 16 with zeros.
 *
 * <p>Activations may carry a zero border ({@code top}, {@code left}, and as many rows and columns
 * as the padded plane has beyond the image), which turns the convolution's padding into plain
 * reads. Blocked data lives in heap arrays (see {@link DirectConvKernels}); every element of a
 * destination range is written, so reused (dirty) buffers are safe. Planes are split over the
 * worker pool; within a plane, runs of 16 pixels x 16 channels are transposed in registers
 * ({@link Transpose16}: 2.2x the rate of the 16-lane gathers that moved one pixel's channels
 * each); rows and planes narrower than 16 pixels still gather.
 */
final class BlockedLayout {
    private BlockedLayout() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final int B = DirectConvKernels.B;
    private static final VectorSpecies<Float> S = DirectConvKernels.S;

    static int blocks(int channels) { return (channels + B - 1) / B; }

    /** Grain for work that touches {@code s}: a confined arena's segment stays on the calling thread. */
    static long grain(MemorySegment s) { return Parallel.shareable(s, s, s) ? 1 : Long.MAX_VALUE; }

    /**
     * dst[n][cbs][hp][wp][16] (from element 0) = src[n][c][h][w] (from element {@code off}) placed at
     * row {@code top}, column {@code left}; zero everywhere else, including channels c..16*cbs.
     */
    /** toBlocked's staging rows, per thread and grown on demand (allocated per chunk: 90 MB of garbage in 13 s of training). */
    private static final ThreadLocal<float[][]> STAGING = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    private static float[] stagingRows(int length) {
        float[][] holder = STAGING.get();
        if (holder[0].length < length) holder[0] = new float[length];
        return holder[0];
    }

    static void toBlocked(MemorySegment src, long off, int n, int c, int h, int w, float[] dst, int cbs, int hp,
            int wp, int top, int left) {
        int plane = hp * wp * B, hw = h * w;
        int[] channelRows = new int[B]; // lane ci gathers from channel row ci of the staged block
        for (int ci = 0; ci < B; ci++) channelRows[ci] = ci * hw;
        Parallel.parallelFor((long) n * cbs, grain(src), (from, to) -> {
            float[] rows = stagingRows(B * hw);
            int[] scratch = new int[B * B];
            for (int item = (int) from; item < (int) to; item++) {
                int img = item / cbs, cb = item % cbs, base = item * plane, ins = Math.max(0, Math.min(B, c - cb * B));
                // the block's channels are contiguous in NCHW: one bulk copy, zero rows past c
                if (ins > 0) {
                    MemorySegment.copy(src, F32, (off + ((long) img * c + cb * B) * hw) * Float.BYTES, rows, 0, ins * hw);
                }
                if (ins < B) Arrays.fill(rows, ins * hw, B * hw, 0f);
                Arrays.fill(dst, base, base + (top * wp + left) * B, 0f);
                for (int y = 0; y < h; y++) {
                    int d = base + ((y + top) * wp + left) * B, s = y * w;
                    if (w >= B) {
                        // 16 pixels at a time by transposing in registers; a last run overlapping the
                        // one before it rewrites a few pixels with the same values
                        for (int x0 = 0; ; x0 += B) {
                            int x = Math.min(x0, w - B);
                            Transpose16.transpose(rows, s + x, hw, scratch, dst, d + x * B);
                            if (x == w - B) break;
                        }
                    } else {
                        for (int x = 0; x < w; x++) {
                            FloatVector.fromArray(S, rows, s + x, channelRows, 0).intoArray(dst, d + x * B);
                        }
                    }
                    // right border of this row and left border of the next
                    int next = y + 1 < h ? base + ((y + 1 + top) * wp + left) * B : base + plane;
                    Arrays.fill(dst, d + w * B, next, 0f);
                }
            }
        });
    }

    /**
     * dst[n][c][hw] (from element {@code off}) = epilogue(src[n][cbs][hw][16]) (epilogue null for
     * a plain copy): the channels past c in the last block are dropped. Each run of 16 pixels (1 KB) is
     * transposed in registers into its 16 channels' rows; planes of fewer than 16 pixels are copied
     * element by element.
     */
    static void fromBlocked(float[] src, int cbs, int hw, MemorySegment dst, long off, int n, int c, OutputEpilogue epilogue) {
        Parallel.parallelFor((long) n * cbs, grain(dst), (from, to) -> {
            int[] scratch = new int[B * B];
            float[] tile = new float[B * B];
            for (int item = (int) from; item < (int) to; item++) {
                int img = item / cbs, cb = item % cbs, base = item * hw * B, chans = Math.min(B, c - cb * B);
                long plane = (off + ((long) img * c + cb * B) * hw) * Float.BYTES; // channel cb * 16's row
                if (hw >= B) {
                    for (int p0 = 0; ; p0 += B) {
                        int p = Math.min(p0, hw - B); // a last run may overlap the one before it
                        Transpose16.transpose(src, base + p * B, B, scratch, tile, 0);
                        for (int ci = 0; ci < chans; ci++) {
                            FloatVector v = FloatVector.fromArray(S, tile, ci * B);
                            long at = plane + ((long) ci * hw + p) * Float.BYTES;
                            if (epilogue != null) v = epilogue.apply(v, cb * B + ci, at - off * Float.BYTES);
                            v.intoMemorySegment(dst, at, ByteOrder.nativeOrder());
                        }
                        if (p == hw - B) break;
                    }
                } else {
                    for (int ci = 0; ci < chans; ci++) {
                        for (int p = 0; p < hw; p++) {
                            long at = plane + ((long) ci * hw + p) * Float.BYTES;
                            float v = src[base + p * B + ci];
                            dst.set(F32, at, epilogue == null ? v : epilogue.apply(v, cb * B + ci, at - off * Float.BYTES));
                        }
                    }
                }
            }
        });
    }

    /**
     * Forward weights of output blocks [ob0, ob0 + count): dst[ob - ob0][cb][tap][16 i][16 o]
     * (OIhw16i16o) from w[o][c][kh][kw]; blocks past o are zeros. Runs on the calling thread: the
     * convolution reorders a block pair's weights inside the work item that uses them, so they are
     * still in L2 when its tiles read them (at 512 channels the weights are 9.4 MB, and reordering
     * them all in a pass of their own cost about as much as the batch-1 convolution itself). The
     * 16 output channels' runs are staged in {@code rows} ({@link #stagingFloats} floats) and
     * transposed 16 taps at a time ({@link Transpose16}), so each destination vector (16 output
     * channels of one input channel and tap) is a row of the result.
     */
    static void weightsForward(MemorySegment w, long off, int o, int c, int taps, float[] dst, int ob0, int count,
            float[] rows) {
        int cbs = blocks(c), blk = taps * B * B, row = B * taps;
        int[] scratch = new int[B * B];
        float[] tile = new float[B * B];
        for (int item = 0; item < count * cbs; item++) {
            int ob = ob0 + item / cbs, cb = item % cbs, base = item * blk;
            stage(w, off, o, c, taps, ob, cb, rows);
            // per input channel ii and 16 taps from t0: the 16 output channels' runs are the
            // transpose's rows, so row t of the result is the vector of tap t0 + t
            for (int ii = 0; ii < B; ii++) {
                for (int t0 = 0; t0 < taps; t0 += B) {
                    Transpose16.transpose(rows, ii * taps + t0, row, scratch, tile, 0);
                    for (int t = 0, end = Math.min(B, taps - t0); t < end; t++) {
                        FloatVector.fromArray(S, tile, t * B).intoArray(dst, base + ((t0 + t) * B + ii) * B);
                    }
                }
            }
        }
    }

    /** Staging floats for {@link #weightsForward} and {@link #weightsBackwardData}: the transposes read up to 15 past a run. */
    static int stagingFloats(int taps) { return B * B * taps + B; }

    /**
     * rows[oi * 16 taps + ii * taps + t] = w[ob * 16 + oi][cb * 16 + ii][t], zero where the
     * output or input channel is past o or c (every element is written).
     */
    private static void stage(MemorySegment w, long off, int o, int c, int taps, int ob, int cb, float[] rows) {
        int row = B * taps, ins = Math.max(0, Math.min(B, c - cb * B));
        for (int oi = 0; oi < B; oi++) {
            int at = oi * row;
            if (ob * B + oi >= o || ins == 0) {
                Arrays.fill(rows, at, at + row, 0f);
                continue;
            }
            // the block's input channels of one output channel are one contiguous run
            MemorySegment.copy(w, F32, (off + ((long) (ob * B + oi) * c + cb * B) * taps) * Float.BYTES, rows, at,
                    ins * taps);
            if (ins < B) Arrays.fill(rows, at + ins * taps, at + row, 0f);
        }
    }

    /**
     * Backward-data weights of input blocks [cb0, cb0 + count): dst[cb - cb0][ob][tap'][16 o][16 i]
     * with the taps reversed (tap' = taps - 1 - tap), so a run of taps walks the gradient forward;
     * blocks past c are zeros. On the calling thread, staged as for {@link #weightsForward}; an output
     * channel's 16 input-channel runs (taps apart) are transposed 16 taps at a time.
     */
    static void weightsBackwardData(MemorySegment w, long off, int o, int c, int taps, float[] dst, int cb0, int count,
            float[] rows) {
        int obs = blocks(o), blk = taps * B * B, row = B * taps;
        int[] scratch = new int[B * B];
        float[] tile = new float[B * B];
        for (int item = 0; item < count * obs; item++) {
            int cb = cb0 + item / obs, ob = item % obs, base = item * blk;
            stage(w, off, o, c, taps, ob, cb, rows);
            // per output channel oi and 16 taps from t0: its 16 input channels' runs (taps apart)
            // are the transpose's rows, so row t of the result is the vector of tap t0 + t
            for (int oi = 0; oi < B; oi++) {
                for (int t0 = 0; t0 < taps; t0 += B) {
                    Transpose16.transpose(rows, oi * row + t0, taps, scratch, tile, 0);
                    for (int t = 0, end = Math.min(B, taps - t0); t < end; t++) {
                        FloatVector.fromArray(S, tile, t * B).intoArray(dst, base + ((taps - 1 - t0 - t) * B + oi) * B);
                    }
                }
            }
        }
    }

    /** bias[o] into a zero-padded array of {@code obs} blocks. */
    static float[] bias(MemorySegment bias, long off, int o, int obs) {
        float[] b = new float[obs * B];
        MemorySegment.copy(bias, F32, off * Float.BYTES, b, 0, o);
        return b;
    }
}
