package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Optimizer steps in one pass over a float32 parameter: SGD reads parameter, gradient and momentum
 * buffer once and writes parameter and buffer once, where the composed update makes five passes
 * and two temporaries; Adam likewise with its two moment buffers (composed: a dozen passes, five
 * temporaries). Every element is rounded exactly as the composed tensor ops round it (each
 * multiply, add, divide and square root separately, scalars rounded to float first, no fused
 * multiply-add), so the results are bit-identical to them.
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

    /** Adam's step constants, as float32 tensor ops see them (scalars rounded to float). */
    record AdamConstants(float weightDecay, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float bc2Sqrt,
            float eps, float negStepSize, boolean hasWeightDecay, boolean amsgrad) {}

    /**
     * g (+ p * wd); m = m * b1 + g * (1 - b1); v = v * b2 + (g * g) * (1 - b2); with AMSGrad
     * vmax = max(vmax, v); denom = sqrt(v or vmax) / sqrt(bc2) + eps; p = p + (m / denom) * -stepSize.
     */
    static void adamF32(MemorySegment p, long po, MemorySegment g, long go, MemorySegment m, long mo, MemorySegment v, long vo,
            MemorySegment vmax, long xo, long n, AdamConstants c) {
        Parallel.parallelFor(n, VectorKernels.grain(p, g, m),
                (f, t) -> adamRange(p, po + f, g, go + f, m, mo + f, v, vo + f, vmax, xo + f, t - f, c));
    }

    private static void adamRange(MemorySegment p, long po, MemorySegment g, long go, MemorySegment m, long mo, MemorySegment v,
            long vo, MemorySegment vmax, long xo, long n, AdamConstants c) {
        long i = 0;
        long bound = VectorKernels.SCALAR ? 0 : S.loopBound(n);
        FloatVector wd = FloatVector.broadcast(S, c.weightDecay()), b1 = FloatVector.broadcast(S, c.beta1());
        FloatVector ob1 = FloatVector.broadcast(S, c.oneMinusBeta1()), b2 = FloatVector.broadcast(S, c.beta2());
        FloatVector ob2 = FloatVector.broadcast(S, c.oneMinusBeta2()), bc2 = FloatVector.broadcast(S, c.bc2Sqrt());
        FloatVector eps = FloatVector.broadcast(S, c.eps()), step = FloatVector.broadcast(S, c.negStepSize());
        for (; i < bound; i += L) {
            FloatVector pv = v(p, po + i), gv = v(g, go + i);
            if (c.hasWeightDecay()) gv = gv.add(pv.mul(wd));
            FloatVector mv = v(m, mo + i).mul(b1).add(gv.mul(ob1));
            FloatVector vv = v(v, vo + i).mul(b2).add(gv.mul(gv).mul(ob2));
            mv.intoMemorySegment(m, (mo + i) * Float.BYTES, ORDER);
            vv.intoMemorySegment(v, (vo + i) * Float.BYTES, ORDER);
            if (c.amsgrad()) {
                vv = v(vmax, xo + i).max(vv);
                vv.intoMemorySegment(vmax, (xo + i) * Float.BYTES, ORDER);
            }
            FloatVector denom = vv.sqrt().div(bc2).add(eps);
            pv.add(mv.div(denom).mul(step)).intoMemorySegment(p, (po + i) * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            float pv = p.getAtIndex(E, po + i), gv = g.getAtIndex(E, go + i);
            if (c.hasWeightDecay()) gv = gv + pv * c.weightDecay();
            float mv = m.getAtIndex(E, mo + i) * c.beta1() + gv * c.oneMinusBeta1();
            float vv = v.getAtIndex(E, vo + i) * c.beta2() + (gv * gv) * c.oneMinusBeta2();
            m.setAtIndex(E, mo + i, mv);
            v.setAtIndex(E, vo + i, vv);
            if (c.amsgrad()) {
                vv = Math.max(vmax.getAtIndex(E, xo + i), vv);
                vmax.setAtIndex(E, xo + i, vv);
            }
            float denom = (float) Math.sqrt(vv) / c.bc2Sqrt() + c.eps();
            p.setAtIndex(E, po + i, pv + (mv / denom) * c.negStepSize());
        }
    }

    private static FloatVector v(MemorySegment s, long index) {
        return FloatVector.fromMemorySegment(S, s, index * Float.BYTES, ORDER);
    }
}
