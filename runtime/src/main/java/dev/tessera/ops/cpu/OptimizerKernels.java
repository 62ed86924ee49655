package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One pass of SGD over a float32 parameter: reads parameter, gradient and momentum buffer once and
 * writes parameter and buffer once, where the composed update makes five passes and two
 * temporaries. Every element is rounded exactly as the composed tensor ops round it (each
 * multiply and add separately, scalars rounded to float first, no fused multiply-add), so the
 * result is bit-identical to them.
 */
final class OptimizerKernels {
    private OptimizerKernels() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ValueLayout.OfFloat E = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** The step's constants, as float32 tensor ops see them. */
    record SgdConstants(float weightDecay, float momentum, float dampeningComplement, float nesterovMomentum, float negLr,
            boolean hasWeightDecay, boolean hasMomentum, boolean nesterov, boolean firstStep) {}

    /**
     * d = g (+ p * wd); with momentum: buf = d on the first step, else buf = buf * m + d * (1 - dampening);
     * d = nesterov ? d + buf * m : buf; then p = p + d * (-lr). {@code buf} is unused without momentum.
     */
    static void sgdF32(MemorySegment p, long po, MemorySegment g, long go, MemorySegment buf, long bo, long n, SgdConstants c) {
        Parallel.parallelFor(n, VectorKernels.grain(p, g, p), (f, t) -> sgdRange(p, po + f, g, go + f, buf, bo + f, t - f, c));
    }

    private static void sgdRange(MemorySegment p, long po, MemorySegment g, long go, MemorySegment buf, long bo, long n,
            SgdConstants c) {
        long i = 0;
        long bound = VectorKernels.SCALAR ? 0 : S.loopBound(n);
        FloatVector wd = FloatVector.broadcast(S, c.weightDecay()), m = FloatVector.broadcast(S, c.momentum());
        FloatVector damp = FloatVector.broadcast(S, c.dampeningComplement()), nm = FloatVector.broadcast(S, c.nesterovMomentum());
        FloatVector lr = FloatVector.broadcast(S, c.negLr());
        for (; i < bound; i += L) {
            FloatVector pv = v(p, po + i), d = v(g, go + i);
            if (c.hasWeightDecay()) d = d.add(pv.mul(wd));
            if (c.hasMomentum()) {
                FloatVector b = c.firstStep() ? d : v(buf, bo + i).mul(m).add(d.mul(damp));
                b.intoMemorySegment(buf, (bo + i) * Float.BYTES, ORDER);
                d = c.nesterov() ? d.add(b.mul(nm)) : b;
            }
            pv.add(d.mul(lr)).intoMemorySegment(p, (po + i) * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            float pv = p.getAtIndex(E, po + i), d = g.getAtIndex(E, go + i);
            if (c.hasWeightDecay()) d = d + pv * c.weightDecay();
            if (c.hasMomentum()) {
                float b = c.firstStep() ? d : buf.getAtIndex(E, bo + i) * c.momentum() + d * c.dampeningComplement();
                buf.setAtIndex(E, bo + i, b);
                d = c.nesterov() ? d + b * c.nesterovMomentum() : b;
            }
            p.setAtIndex(E, po + i, pv + d * c.negLr());
        }
    }

    private static FloatVector v(MemorySegment s, long index) {
        return FloatVector.fromMemorySegment(S, s, index * Float.BYTES, ORDER);
    }
}
