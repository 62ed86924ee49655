package dev.tessera.ops;

import dev.tessera.DType;
import dev.tessera.tensor.Elements;
import java.lang.foreign.MemorySegment;

/** The host loop behind nonzero: coordinates of the nonzero elements of a contiguous host tensor. */
public final class NonzeroScan {
    private NonzeroScan() {}

    /**
     * coords[j * rank + k] (int64) = coordinate k of the j-th nonzero element of {@code mask} in
     * row-major order, for the first {@code count} of them; a mask with more nonzeros than
     * count (it changed since they were counted) is an error rather than a write past coords.
     */
    public static void coordinates(Strided mask, MemorySegment coords, long count) {
        if (!mask.isContiguous()) throw new IllegalArgumentException("nonzero scans a contiguous mask");
        long[] shape = mask.shape();
        int rank = shape.length;
        long n = mask.numel();
        long[] index = new long[rank];
        long j = 0;
        DType t = mask.dtype();
        MemorySegment s = mask.segment();
        long size = t.byteSize(), base = mask.offset() * size;
        boolean floating = t.isFloatingPoint();
        for (long i = 0; i < n; i++) {
            long at = base + i * size;
            boolean nonzero = floating ? Elements.getDouble(s, t, at) != 0 : Elements.getLong(s, t, at) != 0;
            if (nonzero) {
                if (j == count) throw new IllegalStateException("nonzero: the mask has more than the " + count + " nonzeros counted");
                for (int k = 0; k < rank; k++) coords.setAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, j * rank + k, index[k]);
                j++;
            }
            for (int k = rank - 1; k >= 0; k--) { // row-major odometer
                if (++index[k] < shape[k]) break;
                index[k] = 0;
            }
        }
        if (j != count) throw new IllegalStateException("nonzero: counted " + count + " nonzeros but found " + j);
    }
}
