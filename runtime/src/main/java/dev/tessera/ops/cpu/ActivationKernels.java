package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Fused activation backward passes over contiguous float32: one read of each input, one write. */
final class ActivationKernels {
    private ActivationKernels() {}

    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** out = y <= 0 ? 0 : g (PyTorch's threshold_backward at 0: +0.0 where masked, NaN in y passes g). Offsets in elements. */
    static void reluBackwardF32(MemorySegment out, long oOff, MemorySegment g, long gOff, MemorySegment y, long yOff, long n) {
        long grain = Parallel.shareable(out, g, y) ? VectorKernels.PARALLEL_MIN_ELEMENTS : Long.MAX_VALUE;
        Parallel.parallelFor(n, grain, (from, to) -> {
            long i = from;
            if (!VectorKernels.SCALAR) {
                FloatVector zero = FloatVector.zero(SF);
                for (long bound = from + SF.loopBound(to - from); i < bound; i += SF.length()) {
                    FloatVector vy = FloatVector.fromMemorySegment(SF, y, (yOff + i) * Float.BYTES, ORDER);
                    VectorMask<Float> masked = vy.compare(VectorOperators.LE, zero);
                    FloatVector.fromMemorySegment(SF, g, (gOff + i) * Float.BYTES, ORDER).blend(zero, masked)
                            .intoMemorySegment(out, (oOff + i) * Float.BYTES, ORDER);
                }
            }
            for (; i < to; i++) {
                float yv = y.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, yOff + i);
                out.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, oOff + i,
                        yv <= 0 ? 0f : g.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, gOff + i));
            }
        });
    }
}
