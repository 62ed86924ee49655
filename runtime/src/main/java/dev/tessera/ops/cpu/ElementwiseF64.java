package dev.tessera.ops.cpu;

import dev.tessera.ops.cpu.VectorKernels.BinaryKind;
import dev.tessera.ops.cpu.VectorKernels.UnaryKind;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Serial fp64 loops over contiguous ranges: one species constant, vector body, scalar tail. Every
 * op has its own loop so that the vector operator is a compile-time constant (C2 only
 * intrinsifies {@code lanewise} with a constant operator); the one switch per call picks the loop.
 * Offsets and lengths are in elements. Generated from ElementwiseF32 by replacing float with double; keep the two in step.
 */
final class ElementwiseF64 {
    private ElementwiseF64() {}

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final ValueLayout.OfDouble E = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final long BYTES = Double.BYTES;
    /**
     * Block length of the vector-accumulated inner sums (512 adds per lane); blocks are then
     * combined pairwise. 4096 cost 10% of a 16M sum in per-block overhead (recursion, reduction).
     */
    static final long SUM_BLOCK = 32768;

    private static DoubleVector v(MemorySegment s, long index) {
        return DoubleVector.fromMemorySegment(S, s, index * BYTES, ORDER);
    }

    private static double get(MemorySegment s, long index) {
        return s.getAtIndex(E, index);
    }

    private static void put(DoubleVector x, MemorySegment s, long index) {
        x.intoMemorySegment(s, index * BYTES, ORDER);
    }

    private static DoubleVector v(MemorySegment s, long index, VectorMask<Double> m) {
        return DoubleVector.fromMemorySegment(S, s, index * BYTES, ORDER, m);
    }

    private static void put(DoubleVector x, MemorySegment s, long index, VectorMask<Double> m) {
        x.intoMemorySegment(s, index * BYTES, ORDER, m);
    }

    /**
     * Lanes [0, count) of a vector, for the last partial vector of a range (count < L). Kernels
     * end with one masked step instead of a scalar loop: a tail loop that most calls never enter
     * made C2 speculate on it (profiled loop predicates), and calls that did enter it deoptimised
     * the compiled kernel again and again (in a ResNet-18 training loop at batch 1, 22-31
     * recompilations of {@link #binary} after warm-up). Same lanes, same operations, so the same
     * bits as the scalar form.
     */
    private static VectorMask<Double> tail(long count) {
        return S.indexInRange(0, (int) count);
    }

    /** out[i] = a[i] op b[i] for i in [0, n). */
    static void binary(BinaryKind k, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment o, long oo,
            long n) {
        if (VectorKernels.SCALAR) {
            for (long i = 0; i < n; i++) o.setAtIndex(E, oo + i, k.applyF64(get(a, ao + i), get(b, bo + i)));
            return;
        }
        long i = 0, bound = S.loopBound(n);
        // each kind ends with its own masked step, so no vector value is merged across kinds (a
        // phi of vectors is one C2 may have to keep boxed)
        VectorMask<Double> m = tail(n - bound);
        long t = bound;
        switch (k) {
            case ADD -> {
                for (; i < bound; i += L) put(v(a, ao + i).add(v(b, bo + i)), o, oo + i);
                if (t < n) put(v(a, ao + t, m).add(v(b, bo + t, m)), o, oo + t, m);
            }
            case SUB -> {
                for (; i < bound; i += L) put(v(a, ao + i).sub(v(b, bo + i)), o, oo + i);
                if (t < n) put(v(a, ao + t, m).sub(v(b, bo + t, m)), o, oo + t, m);
            }
            case MUL -> {
                for (; i < bound; i += L) put(v(a, ao + i).mul(v(b, bo + i)), o, oo + i);
                if (t < n) put(v(a, ao + t, m).mul(v(b, bo + t, m)), o, oo + t, m);
            }
            case DIV -> {
                for (; i < bound; i += L) put(v(a, ao + i).div(v(b, bo + i)), o, oo + i);
                if (t < n) put(v(a, ao + t, m).div(v(b, bo + t, m)), o, oo + t, m);
            }
            case MAX -> {
                for (; i < bound; i += L) put(v(a, ao + i).max(v(b, bo + i)), o, oo + i);
                if (t < n) put(v(a, ao + t, m).max(v(b, bo + t, m)), o, oo + t, m);
            }
            case MIN -> {
                for (; i < bound; i += L) put(v(a, ao + i).min(v(b, bo + i)), o, oo + i);
                if (t < n) put(v(a, ao + t, m).min(v(b, bo + t, m)), o, oo + t, m);
            }
        }
    }

    /** out[i] = a[i] op s, or s op a[i] when {@code scalarFirst}. */
    static void binaryScalar(BinaryKind k, MemorySegment a, long ao, double s, boolean scalarFirst, MemorySegment o,
            long oo, long n) {
        if (VectorKernels.SCALAR) {
            for (long i = 0; i < n; i++) {
                double ai = get(a, ao + i);
                o.setAtIndex(E, oo + i, scalarFirst ? k.applyF64(s, ai) : k.applyF64(ai, s));
            }
            return;
        }
        long i = 0, bound = S.loopBound(n), t = bound;
        VectorMask<Double> m = tail(n - bound);
        DoubleVector x = DoubleVector.broadcast(S, s);
        if (scalarFirst && k == BinaryKind.SUB) {
            for (; i < bound; i += L) put(x.sub(v(a, ao + i)), o, oo + i);
            if (t < n) put(x.sub(v(a, ao + t, m)), o, oo + t, m);
        } else if (scalarFirst && k == BinaryKind.DIV) {
            for (; i < bound; i += L) put(x.div(v(a, ao + i)), o, oo + i);
            if (t < n) put(x.div(v(a, ao + t, m)), o, oo + t, m);
        } else {
            // The other kinds commute (max/min propagate NaN from either side, as Math.max does).
            switch (k) {
                case ADD -> {
                    for (; i < bound; i += L) put(v(a, ao + i).add(x), o, oo + i);
                    if (t < n) put(v(a, ao + t, m).add(x), o, oo + t, m);
                }
                case SUB -> {
                    for (; i < bound; i += L) put(v(a, ao + i).sub(x), o, oo + i);
                    if (t < n) put(v(a, ao + t, m).sub(x), o, oo + t, m);
                }
                case MUL -> {
                    for (; i < bound; i += L) put(v(a, ao + i).mul(x), o, oo + i);
                    if (t < n) put(v(a, ao + t, m).mul(x), o, oo + t, m);
                }
                case DIV -> {
                    for (; i < bound; i += L) put(v(a, ao + i).div(x), o, oo + i);
                    if (t < n) put(v(a, ao + t, m).div(x), o, oo + t, m);
                }
                case MAX -> {
                    for (; i < bound; i += L) put(v(a, ao + i).max(x), o, oo + i);
                    if (t < n) put(v(a, ao + t, m).max(x), o, oo + t, m);
                }
                case MIN -> {
                    for (; i < bound; i += L) put(v(a, ao + i).min(x), o, oo + i);
                    if (t < n) put(v(a, ao + t, m).min(x), o, oo + t, m);
                }
            }
        }
    }

    /**
     * o = op(a) over a strided space: contiguous innermost rows run {@link #unary}, others
     * {@link UnaryKind#applyF64} per element, which gives the same bits (a view and its contiguous
     * copy get the same results).
     */
    static void unaryStrided(UnaryKind k, long[] shape, MemorySegment a, long ao, long[] aStrides, MemorySegment o, long oo,
            long[] oStrides, boolean parallel) {
        new StridedLoop(shape, aStrides, aStrides, oStrides, parallel).run((ra, rb, ro, n, as, bs, os) -> {
            if (as == 1 && os == 1) {
                unary(k, a, ao + ra, o, oo + ro, n);
            } else {
                for (long i = 0; i < n; i++) o.setAtIndex(E, oo + ro + i * os, k.applyF64(a.getAtIndex(E, ao + ra + i * as)));
            }
        });
    }

    /** out[i] = op(a[i]). */
    static void unary(UnaryKind k, MemorySegment a, long ao, MemorySegment o, long oo, long n) {
        if (VectorKernels.SCALAR) {
            for (long i = 0; i < n; i++) o.setAtIndex(E, oo + i, k.applyF64(get(a, ao + i)));
            return;
        }
        long i = 0, bound = S.loopBound(n), t = bound;
        VectorMask<Double> m = tail(n - bound);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        switch (k) {
            case NEG -> {
                for (; i < bound; i += L) put(v(a, ao + i).neg(), o, oo + i);
                if (t < n) put(v(a, ao + t, m).neg(), o, oo + t, m);
            }
            case ABS -> {
                for (; i < bound; i += L) put(v(a, ao + i).abs(), o, oo + i);
                if (t < n) put(v(a, ao + t, m).abs(), o, oo + t, m);
            }
            case RELU -> {
                for (; i < bound; i += L) put(v(a, ao + i).max(zero), o, oo + i);
                if (t < n) put(v(a, ao + t, m).max(zero), o, oo + t, m);
            }
            case SQUARE -> {
                for (; i < bound; i += L) { DoubleVector x = v(a, ao + i); put(x.mul(x), o, oo + i); }
                if (t < n) { DoubleVector x = v(a, ao + t, m); put(x.mul(x), o, oo + t, m); }
            }
            case SQRT -> {
                for (; i < bound; i += L) put(v(a, ao + i).sqrt(), o, oo + i);
                if (t < n) put(v(a, ao + t, m).sqrt(), o, oo + t, m);
            }
            case RECIPROCAL -> {
                for (; i < bound; i += L) put(one.div(v(a, ao + i)), o, oo + i);
                if (t < n) put(one.div(v(a, ao + t, m)), o, oo + t, m);
            }
            case EXP -> {
                for (; i < bound; i += L) put(Exp.of(v(a, ao + i)), o, oo + i);
                if (t < n) put(Exp.of(v(a, ao + t, m)), o, oo + t, m);
            }
            // log and tanh keep their vector loops in Log and Tanh, and a scalar tail of the same bits
            case LOG -> {
                for (i = Log.vectorF64(a, ao, o, oo, bound); i < n; i++) o.setAtIndex(E, oo + i, Log.of(get(a, ao + i)));
            }
            case TANH -> {
                for (i = Tanh.vectorF64(a, ao, o, oo, bound); i < n; i++) o.setAtIndex(E, oo + i, Tanh.of(get(a, ao + i)));
            }
            case SIGMOID -> {
                for (; i < bound; i += L) put(one.div(Exp.of(v(a, ao + i).neg()).add(one)), o, oo + i);
                if (t < n) put(one.div(Exp.of(v(a, ao + t, m).neg()).add(one)), o, oo + t, m);
            }
        }
    }

    static void fill(MemorySegment o, long oo, long n, double value) {
        long i = 0;
        long bound = VectorKernels.SCALAR ? 0 : S.loopBound(n);
        DoubleVector x = DoubleVector.broadcast(S, value);
        for (; i < bound; i += L) put(x, o, oo + i);
        if (VectorKernels.SCALAR) {
            for (; i < n; i++) o.setAtIndex(E, oo + i, value);
        } else if (i < n) {
            put(x, o, oo + i, tail(n - i));
        }
    }

    /**
     * Sum of a[from, to) in double, pairwise over blocks of {@link #SUM_BLOCK} elements; the split
     * point depends only on the range, so callers may evaluate subtrees on different threads and
     * get the same bits.
     */
    static double sum(MemorySegment a, long ao, long from, long to) {
        return addLanes(sumLanes(a, ao, from, to));
    }

    /**
     * The sum of x's lanes in one fixed order: the upper half of the lanes is added onto the
     * lower half until one lane is left. {@code reduceLanes(ADD)} leaves the order unspecified
     * (the interpreter adds lanes left to right, C2 uses a tree), so the same input gave different
     * bits before and after the JIT compiled a kernel. Every lane sum goes here.
     */
    static double addLanes(DoubleVector x) {
        // lane i + lane (i + half) for every i < half, as rotations: no array to box into, and
        // small enough that C2 always inlines it (a vector passed to a call that is not inlined
        // is boxed: this was 230 MB of garbage in 13 s of ResNet-18 training)
        for (VectorShuffle<Double> rotation : HALVING) x = x.add(x.rearrange(rotation));
        return x.lane(0);
    }

    /** Rotations by L/2, L/4, ..., 1 lanes, for {@link #addLanes}. */
    private static final VectorShuffle<Double>[] HALVING = halvingRotations();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Double>[] halvingRotations() {
        java.util.List<VectorShuffle<Double>> steps = new java.util.ArrayList<>();
        for (int half = L / 2; half > 0; half /= 2) {
            int h = half;
            steps.add(VectorShuffle.fromOp(S, i -> (i + h) % L));
        }
        return steps.toArray(new VectorShuffle[0]);
    }

    /**
     * {@link #sum} before its final lane reduction: blocks combine pairwise lane by lane, and lanes
     * are reduced once at the top. On the scalar path the sum sits in lane 0, the other lanes zero,
     * so the final reduction returns it exactly.
     */
    static DoubleVector sumLanes(MemorySegment a, long ao, long from, long to) {
        long len = to - from;
        if (len <= SUM_BLOCK) {
            return sumBlock(a, ao + from, len);
        }
        long mid = sumSplit(from, to);
        return sumLanes(a, ao, from, mid).add(sumLanes(a, ao, mid, to));
    }

    static long sumSplit(long from, long to) {
        long blocks = (to - from + SUM_BLOCK - 1) / SUM_BLOCK;
        return from + (blocks + 1) / 2 * SUM_BLOCK;
    }

    /** Four vector accumulators (4 x L independent lanes) over one block; a tail adds into lane 0. */
    private static DoubleVector sumBlock(MemorySegment a, long ao, long n) {
        long i = 0;
        double tail = 0.0;
        DoubleVector lanes = DoubleVector.zero(S);
        if (!VectorKernels.SCALAR) {
            DoubleVector s0 = lanes, s1 = s0, s2 = s0, s3 = s0;
            long bound4 = n - n % (4L * L);
            for (; i < bound4; i += 4L * L) {
                s0 = s0.add(v(a, ao + i));
                s1 = s1.add(v(a, ao + i + L));
                s2 = s2.add(v(a, ao + i + 2L * L));
                s3 = s3.add(v(a, ao + i + 3L * L));
            }
            long bound = S.loopBound(n);
            for (; i < bound; i += L) {
                s0 = s0.add(v(a, ao + i));
            }
            lanes = s0.add(s1).add(s2.add(s3));
        }
        if (i == n) {
            return lanes;
        }
        for (; i < n; i++) {
            tail += get(a, ao + i);
        }
        return lanes.withLane(0, lanes.lane(0) + tail);
    }

    /** Max of a[ao, ao + n), n >= 1; NaN anywhere gives NaN, like torch.max. */
    static double max(MemorySegment a, long ao, long n) {
        long i = 0;
        double m = Double.NEGATIVE_INFINITY;
        if (!VectorKernels.SCALAR && n >= L) {
            DoubleVector acc = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
            long bound = S.loopBound(n);
            for (; i < bound; i += L) {
                acc = acc.max(v(a, ao + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, get(a, ao + i));
        }
        return m;
    }
}
