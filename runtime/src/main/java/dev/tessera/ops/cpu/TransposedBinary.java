package dev.tessera.ops.cpu;

import dev.tessera.ops.cpu.VectorKernels.BinaryKind;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 {@code out = a op b} over [rows x cols] where one operand is a transposed view (element
 * (i, j) at i + j * ld: {@code x.t()} of a row-major x, or the weight gradient a linear layer's
 * backward hands to {@code .grad}), the output is row-major and the other operand row-major or a
 * scalar. The general strided loop reads such an operand one bounds-checked element at a time
 * (about 1 ns per element; it was 43% of a batch-1 MLP training step, in the gradient
 * accumulation). Here 16 x 16 tiles are read as 16 contiguous columns and transposed in registers
 * ({@link Transpose16}); each result is the same single IEEE operation as the scalar form, so the
 * bits are the same. Edges narrower than a tile run the scalar form.
 */
final class TransposedBinary {
    private TransposedBinary() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int B = 16;

    /**
     * Runs the operation when the layout is the one handled here and returns true; false (nothing
     * done) otherwise. Strides in elements; {@code bStrides} {0, 0} is a scalar.
     */
    static boolean tryRun(BinaryKind k, long[] shape, MemorySegment a, long aOff, long[] as, MemorySegment b, long bOff,
            long[] bs, MemorySegment out, long outOff, long[] os) {
        // 512-bit vectors only: Transpose16 is written for them (elsewhere the strided loop stays)
        if (!Transpose16.AVAILABLE || shape.length != 2 || shape[0] < B || shape[1] < B || os[1] != 1 || os[0] < shape[1]) return false;
        boolean aT = transposed(shape, as), bT = transposed(shape, bs);
        // x op x with x transposed: the strided copy (max(x, x) is x, bit for bit)
        boolean same = aT && bT && a.equals(b) && aOff == bOff && as[1] == bs[1];
        if (aT == bT && !same) return false;
        long[] other = aT ? bs : as;
        boolean scalar = other[0] == 0 && other[1] == 0;
        if (!same && !scalar && (other[1] != 1 || other[0] < shape[1])) return false;
        // a result written over the transposed operand's memory (x.add_(x.t())) would be read back by
        // later tiles: left to the element-by-element loop, which gives what it always gave
        long rows = shape[0], cols = shape[1];
        MemorySegment t = aT ? a : b;
        long tOff = aT ? aOff : bOff, tLd = aT ? as[1] : bs[1];
        MemorySegment written = out.asSlice(outOff * Float.BYTES, ((rows - 1) * os[0] + cols) * Float.BYTES);
        if (written.asOverlappingSlice(t.asSlice(tOff * Float.BYTES, (rows + (cols - 1) * tLd) * Float.BYTES)).isPresent()) {
            return false;
        }
        if (same) {
            run(k, true, rows, cols, t, tOff, tLd, t, tOff, SAME, out, outOff, os[0]);
        } else if (aT) {
            run(k, true, rows, cols, t, tOff, tLd, b, bOff, scalar ? SCALAR : other[0], out, outOff, os[0]);
        } else {
            run(k, false, rows, cols, t, tOff, tLd, a, aOff, scalar ? SCALAR : other[0], out, outOff, os[0]);
        }
        return true;
    }

    /** rLd values that are not strides: r is the scalar at rOff, or r is t itself. */
    private static final long SCALAR = -1, SAME = -2;

    /** (i, j) at i + j * ld with ld covering the rows: a column-major block. */
    private static boolean transposed(long[] shape, long[] s) {
        return s[0] == 1 && s[1] >= shape[0];
    }

    /**
     * out[i][j] = t(i, j) op r(i, j) when {@code tFirst}, else r(i, j) op t(i, j); t(i, j) at
     * tOff + i + j * tLd, r(i, j) at rOff + i * rLd + j ({@link #SCALAR}: the scalar at rOff;
     * {@link #SAME}: t(i, j)).
     */
    private static void run(BinaryKind k, boolean tFirst, long rows, long cols, MemorySegment t, long tOff, long tLd,
            MemorySegment r, long rOff, long rLd, MemorySegment out, long outOff, long oLd) {
        long tileRows = rows / B, tileCols = cols / B;
        long grain = Parallel.shareable(t, r, out) ? Math.max(1, VectorKernels.PARALLEL_MIN_ELEMENTS / (B * cols)) : Long.MAX_VALUE;
        Parallel.parallelFor(tileRows, grain, (from, to) -> {
            int[] scratch = new int[B * B];
            float[] tile = new float[B * B];
            FloatVector scalar = rLd == SCALAR ? FloatVector.broadcast(S, r.getAtIndex(F, rOff)) : null;
            for (long ti = from; ti < to; ti++) {
                long i0 = ti * B;
                for (long tj = 0; tj < tileCols; tj++) {
                    long j0 = tj * B;
                    // tile[16 q + c] = t(i0 + q, j0 + c): the columns j0.. are contiguous runs of t
                    Transpose16.transpose(t, (tOff + i0 + j0 * tLd) * Float.BYTES, tLd * Float.BYTES, scratch, tile, 0);
                    for (int q = 0; q < B; q++) {
                        FloatVector x = FloatVector.fromArray(S, tile, q * B);
                        FloatVector y = rLd == SAME ? x : rLd == SCALAR ? scalar
                                : FloatVector.fromMemorySegment(S, r, (rOff + (i0 + q) * rLd + j0) * Float.BYTES, ORDER);
                        apply(k, tFirst ? x : y, tFirst ? y : x)
                                .intoMemorySegment(out, (outOff + (i0 + q) * oLd + j0) * Float.BYTES, ORDER);
                    }
                }
                scalar(k, tFirst, i0, i0 + B, tileCols * B, cols, t, tOff, tLd, r, rOff, rLd, out, outOff, oLd);
            }
        });
        scalar(k, tFirst, tileRows * B, rows, 0, cols, t, tOff, tLd, r, rOff, rLd, out, outOff, oLd);
    }

    private static FloatVector apply(BinaryKind k, FloatVector x, FloatVector y) {
        return switch (k) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAX -> x.max(y);
            case MIN -> x.min(y);
        };
    }

    /** Rows [i0, i1) x columns [j0, j1) one element at a time (the tiles' edges). */
    private static void scalar(BinaryKind k, boolean tFirst, long i0, long i1, long j0, long j1, MemorySegment t, long tOff,
            long tLd, MemorySegment r, long rOff, long rLd, MemorySegment out, long outOff, long oLd) {
        for (long i = i0; i < i1; i++) {
            for (long j = j0; j < j1; j++) {
                float x = t.getAtIndex(F, tOff + i + j * tLd);
                float y = rLd == SAME ? x : r.getAtIndex(F, rLd == SCALAR ? rOff : rOff + i * rLd + j);
                out.setAtIndex(F, outOff + i * oLd + j, tFirst ? k.applyF32(x, y) : k.applyF32(y, x));
            }
        }
    }
}
