package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** float32 <-> float64 conversion loops: a half-width float vector pairs with a full double vector. */
final class Casts {
    private Casts() {}

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = VectorSpeciesPair.halfFloat(D);
    private static final int L = D.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    static void f32ToF64(MemorySegment src, long so, MemorySegment dst, long doff, long n) {
        long i = 0;
        long bound = VectorKernels.SCALAR ? 0 : D.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector.fromMemorySegment(F, src, (so + i) * Float.BYTES, ORDER)
                    .convertShape(VectorOperators.F2D, D, 0)
                    .intoMemorySegment(dst, (doff + i) * Double.BYTES, ORDER);
        }
        for (; i < n; i++) {
            dst.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, doff + i,
                    src.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, so + i));
        }
    }

    static void f64ToF32(MemorySegment src, long so, MemorySegment dst, long doff, long n) {
        long i = 0;
        long bound = VectorKernels.SCALAR ? 0 : D.loopBound(n);
        for (; i < bound; i += L) {
            DoubleVector.fromMemorySegment(D, src, (so + i) * Double.BYTES, ORDER)
                    .convertShape(VectorOperators.D2F, F, 0)
                    .intoMemorySegment(dst, (doff + i) * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            dst.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, doff + i,
                    (float) src.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, so + i));
        }
    }

    /** Float species with as many lanes as {@code d} (half its bit size). */
    private static final class VectorSpeciesPair {
        static VectorSpecies<Float> halfFloat(VectorSpecies<Double> d) {
            return VectorSpecies.of(float.class, jdk.incubator.vector.VectorShape.forBitSize(d.vectorBitSize() / 2));
        }
    }
}
