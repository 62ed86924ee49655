package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 16 x 16 float transpose in 512-bit registers, for the channel-blocked reorders: row r of the
 * result is column r of the source. Four butterfly stages, each swapping the off-diagonal d x d
 * blocks of every 2d x 2d block (d = 1, 2, 4, 8) with two-vector permutes (vpermt2d), two stages
 * per pass over groups of four rows, so no more than a dozen vectors are live (C2 spilled the
 * kernels here beyond about 17) and the half-transposed rows wait in a 1 KB scratch array in L1.
 * On this machine type it moved 0.12-0.13 ns per float against 0.27-0.29 for the per-row
 * 16-lane gathers it replaces (one core, data in cache).
 */
final class Transpose16 {
    private Transpose16() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final int B = 16;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** The shuffles are written for 512-bit vectors; elsewhere callers keep their scalar forms. */
    static final boolean AVAILABLE = FloatVector.SPECIES_PREFERRED.length() >= B && !VectorKernels.SCALAR;

    // stage d: the first row of a pair keeps its lanes with bit d clear and takes the partner's
    // (shifted down by d) where it is set; the second row the other way round
    private static final IntVector LO1 = stage(1, false), HI1 = stage(1, true), LO2 = stage(2, false), HI2 = stage(2, true);
    private static final IntVector LO4 = stage(4, false), HI4 = stage(4, true), LO8 = stage(8, false), HI8 = stage(8, true);

    private static IntVector stage(int d, boolean second) {
        int[] lanes = new int[B];
        for (int l = 0; l < B; l++) {
            boolean own = (l & d) == 0;
            lanes[l] = second ? (own ? l + d : B + l) : (own ? l : B + l - d); // B + i: lane i of the partner row
        }
        return IntVector.fromArray(I, lanes, 0);
    }

    /**
     * dst[dstBase + 16 r + c] = src[srcBase + c * stride + r] for r, c in [0, 16): the 16 source
     * rows start {@code stride} floats apart. {@code scratch} holds 256 ints.
     */
    static void transpose(float[] src, int srcBase, int stride, int[] scratch, float[] dst, int dstBase) {
        for (int g = 0; g < B; g += 4) {
            firstPass(row(src, srcBase + g * stride), row(src, srcBase + (g + 1) * stride), row(src, srcBase + (g + 2) * stride),
                    row(src, srcBase + (g + 3) * stride), scratch, g);
        }
        secondPass(scratch, dst, dstBase, B);
    }

    /** Stages d = 1 and 2 of source rows g..g+3 into scratch rows g..g+3. */
    private static void firstPass(IntVector a, IntVector b, IntVector c, IntVector d, int[] scratch, int g) {
        IntVector a1 = LO1.selectFrom(a, b), b1 = HI1.selectFrom(a, b), c1 = LO1.selectFrom(c, d), d1 = HI1.selectFrom(c, d);
        LO2.selectFrom(a1, c1).intoArray(scratch, g * B);
        LO2.selectFrom(b1, d1).intoArray(scratch, (g + 1) * B);
        HI2.selectFrom(a1, c1).intoArray(scratch, (g + 2) * B);
        HI2.selectFrom(b1, d1).intoArray(scratch, (g + 3) * B);
    }

    /** Stages d = 4 and 8 from the scratch rows into the result, its rows {@code stride} floats apart. */
    private static void secondPass(int[] scratch, float[] dst, int dstBase, int stride) {
        for (int j = 0; j < 4; j++) {
            IntVector a = IntVector.fromArray(I, scratch, j * B), b = IntVector.fromArray(I, scratch, (j + 4) * B);
            IntVector c = IntVector.fromArray(I, scratch, (j + 8) * B), d = IntVector.fromArray(I, scratch, (j + 12) * B);
            IntVector a1 = LO4.selectFrom(a, b), b1 = HI4.selectFrom(a, b), c1 = LO4.selectFrom(c, d), d1 = HI4.selectFrom(c, d);
            LO8.selectFrom(a1, c1).reinterpretAsFloats().intoArray(dst, dstBase + j * stride);
            LO8.selectFrom(b1, d1).reinterpretAsFloats().intoArray(dst, dstBase + (j + 4) * stride);
            HI8.selectFrom(a1, c1).reinterpretAsFloats().intoArray(dst, dstBase + (j + 8) * stride);
            HI8.selectFrom(b1, d1).reinterpretAsFloats().intoArray(dst, dstBase + (j + 12) * stride);
        }
    }

    /**
     * As {@link #transpose(float[], int, int, int[], float[], int)}, the 16 source rows read from a
     * segment: dst[dstBase + 16 r + c] = the float at byte {@code byteBase + c * byteStride + 4 r}.
     */
    static void transpose(MemorySegment src, long byteBase, long byteStride, int[] scratch, float[] dst, int dstBase) {
        transpose(src, byteBase, byteStride, scratch, dst, dstBase, B);
    }

    /** As above, the result's rows {@code dstStride} floats apart: dst[dstBase + dstStride r + c]. */
    static void transpose(MemorySegment src, long byteBase, long byteStride, int[] scratch, float[] dst, int dstBase,
            int dstStride) {
        for (int g = 0; g < B; g += 4) {
            long at = byteBase + g * byteStride;
            firstPass(row(src, at), row(src, at + byteStride), row(src, at + 2 * byteStride), row(src, at + 3 * byteStride),
                    scratch, g);
        }
        secondPass(scratch, dst, dstBase, dstStride);
    }

    /**
     * Packs a GEMM sliver of B whose columns are contiguous runs (B = W^T): dst[base + p * nr + j]
     * = the float at element off + j * cs + p, for p in [0, kc) and j in [0, nr), 16 columns x 16
     * depths per transpose. Returns false, doing nothing, where vectors have fewer than 16 floats
     * or nr is not a multiple of 16 (the caller's scalar interleave then packs it).
     */
    static boolean packSliver(MemorySegment b, long off, long cs, int kc, int nr, float[] dst, int base, int[] scratch) {
        if (!AVAILABLE || nr % B != 0) return false;
        int whole = kc - kc % B;
        for (int p0 = 0; p0 < whole; p0 += B) {
            for (int j0 = 0; j0 < nr; j0 += B) {
                transpose(b, (off + j0 * cs + p0) * Float.BYTES, cs * Float.BYTES, scratch, dst, base + p0 * nr + j0, nr);
            }
        }
        for (int p = whole; p < kc; p++) {
            for (int j = 0; j < nr; j++) dst[base + p * nr + j] = b.getAtIndex(F32, (off + j * cs + p));
        }
        return true;
    }

    /** The double GEMM's slivers keep their scalar interleave (Dgemm is generated from Sgemm). */
    static boolean packSliver(MemorySegment b, long off, long cs, int kc, int nr, double[] dst, int base, int[] scratch) {
        return false;
    }

    private static IntVector row(MemorySegment src, long at) {
        return FloatVector.fromMemorySegment(S, src, at, ByteOrder.nativeOrder()).reinterpretAsInts();
    }

    private static IntVector row(float[] src, int at) {
        return FloatVector.fromArray(S, src, at).reinterpretAsInts();
    }
}
