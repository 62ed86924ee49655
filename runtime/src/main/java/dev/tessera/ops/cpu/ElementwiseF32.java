package dev.tessera.ops.cpu;

import dev.tessera.ops.cpu.VectorKernels.BinaryKind;
import dev.tessera.ops.cpu.VectorKernels.UnaryKind;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Serial fp32 loops over contiguous ranges: one species constant, vector body, scalar tail. Every
 * op has its own loop so that the vector operator is a compile-time constant (C2 only
 * intrinsifies {@code lanewise} with a constant operator); the one switch per call picks the loop.
 * Offsets and lengths are in elements. ElementwiseF64 is this file with float replaced by double.
 */
final class ElementwiseF32 {
    private ElementwiseF32() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final ValueLayout.OfFloat E = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final long BYTES = Float.BYTES;
    /**
     * Block length of the vector-accumulated inner sums (512 adds per lane); blocks are then
     * combined pairwise. 4096 cost 10% of a 16M sum in per-block overhead (recursion, reduction).
     */
    static final long SUM_BLOCK = 32768;

    private static FloatVector v(MemorySegment s, long index) {
        return FloatVector.fromMemorySegment(S, s, index * BYTES, ORDER);
    }

    private static float get(MemorySegment s, long index) {
        return s.getAtIndex(E, index);
    }

    private static void put(FloatVector x, MemorySegment s, long index) {
        x.intoMemorySegment(s, index * BYTES, ORDER);
    }

    private static FloatVector v(MemorySegment s, long index, VectorMask<Float> m) {
        return FloatVector.fromMemorySegment(S, s, index * BYTES, ORDER, m);
    }

    private static void put(FloatVector x, MemorySegment s, long index, VectorMask<Float> m) {
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
    private static VectorMask<Float> tail(long count) {
        return S.indexInRange(0, (int) count);
    }

    /** out[i] = a[i] op b[i] for i in [0, n). */
    static void binary(BinaryKind k, MemorySegment a, long ao, MemorySegment b, long bo, MemorySegment o, long oo,
            long n) {
        if (VectorKernels.SCALAR) {
            for (long i = 0; i < n; i++) o.setAtIndex(E, oo + i, k.applyF32(get(a, ao + i), get(b, bo + i)));
            return;
        }
        long i = 0, bound = S.loopBound(n);
        // each kind ends with its own masked step, so no vector value is merged across kinds (a
        // phi of vectors is one C2 may have to keep boxed)
        VectorMask<Float> m = tail(n - bound);
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
    static void binaryScalar(BinaryKind k, MemorySegment a, long ao, float s, boolean scalarFirst, MemorySegment o,
            long oo, long n) {
        if (VectorKernels.SCALAR) {
            for (long i = 0; i < n; i++) {
                float ai = get(a, ao + i);
                o.setAtIndex(E, oo + i, scalarFirst ? k.applyF32(s, ai) : k.applyF32(ai, s));
            }
            return;
        }
        long i = 0, bound = S.loopBound(n), t = bound;
        VectorMask<Float> m = tail(n - bound);
        FloatVector x = FloatVector.broadcast(S, s);
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
     * {@link UnaryKind#applyF32} per element, which gives the same bits (a view and its contiguous
     * copy get the same results).
     */
    static void unaryStrided(UnaryKind k, long[] shape, MemorySegment a, long ao, long[] aStrides, MemorySegment o, long oo,
            long[] oStrides, boolean parallel) {
        new StridedLoop(shape, aStrides, aStrides, oStrides, parallel).run((ra, rb, ro, n, as, bs, os) -> {
            if (as == 1 && os == 1) {
                unary(k, a, ao + ra, o, oo + ro, n);
            } else {
                for (long i = 0; i < n; i++) o.setAtIndex(E, oo + ro + i * os, k.applyF32(a.getAtIndex(E, ao + ra + i * as)));
            }
        });
    }

    /** out[i] = op(a[i]). */
    static void unary(UnaryKind k, MemorySegment a, long ao, MemorySegment o, long oo, long n) {
        if (VectorKernels.SCALAR) {
            for (long i = 0; i < n; i++) o.setAtIndex(E, oo + i, k.applyF32(get(a, ao + i)));
            return;
        }
        long i = 0, bound = S.loopBound(n), t = bound;
        VectorMask<Float> m = tail(n - bound);
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
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
                for (; i < bound; i += L) { FloatVector x = v(a, ao + i); put(x.mul(x), o, oo + i); }
                if (t < n) { FloatVector x = v(a, ao + t, m); put(x.mul(x), o, oo + t, m); }
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
                for (i = Log.vectorF32(a, ao, o, oo, bound); i < n; i++) o.setAtIndex(E, oo + i, Log.of(get(a, ao + i)));
            }
            case TANH -> {
                for (i = Tanh.vectorF32(a, ao, o, oo, bound); i < n; i++) o.setAtIndex(E, oo + i, Tanh.of(get(a, ao + i)));
            }
            case SIGMOID -> {
                for (; i < bound; i += L) put(one.div(Exp.of(v(a, ao + i).neg()).add(one)), o, oo + i);
                if (t < n) put(one.div(Exp.of(v(a, ao + t, m).neg()).add(one)), o, oo + t, m);
            }
        }
    }

    static void fill(MemorySegment o, long oo, long n, float value) {
        long i = 0;
        long bound = VectorKernels.SCALAR ? 0 : S.loopBound(n);
        FloatVector x = FloatVector.broadcast(S, value);
        for (; i < bound; i += L) put(x, o, oo + i);
        if (VectorKernels.SCALAR) {
            for (; i < n; i++) o.setAtIndex(E, oo + i, value);
        } else if (i < n) {
            put(x, o, oo + i, tail(n - i));
        }
    }

    /**
     * Sum of a[from, to) in float, pairwise over blocks of {@link #SUM_BLOCK} elements; the split
     * point depends only on the range, so callers may evaluate subtrees on different threads and
     * get the same bits.
     */
    static float sum(MemorySegment a, long ao, long from, long to) {
        return addLanes(sumLanes(a, ao, from, to));
    }

    /**
     * The sum of x's lanes in one fixed order: the upper half of the lanes is added onto the
     * lower half until one lane is left. {@code reduceLanes(ADD)} leaves the order unspecified
     * (the interpreter adds lanes left to right, C2 uses a tree), so the same input gave different
     * bits before and after the JIT compiled a kernel. Every lane sum goes here.
     */
    static float addLanes(FloatVector x) {
        // lane i + lane (i + half) for every i < half, as rotations: no array to box into, and
        // small enough that C2 always inlines it (a vector passed to a call that is not inlined
        // is boxed: this was 230 MB of garbage in 13 s of ResNet-18 training)
        for (VectorShuffle<Float> rotation : HALVING) x = x.add(x.rearrange(rotation));
        return x.lane(0);
    }

    /** Rotations by L/2, L/4, ..., 1 lanes, for {@link #addLanes}. */
    private static final VectorShuffle<Float>[] HALVING = halvingRotations();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] halvingRotations() {
        java.util.List<VectorShuffle<Float>> steps = new java.util.ArrayList<>();
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
    static FloatVector sumLanes(MemorySegment a, long ao, long from, long to) {
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
    private static FloatVector sumBlock(MemorySegment a, long ao, long n) {
        long i = 0;
        float tail = 0f;
        FloatVector lanes = FloatVector.zero(S);
        if (!VectorKernels.SCALAR) {
            FloatVector s0 = lanes, s1 = s0, s2 = s0, s3 = s0;
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
    static float max(MemorySegment a, long ao, long n) {
        long i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (!VectorKernels.SCALAR && n >= L) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
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
