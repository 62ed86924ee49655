package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * softmax and log_softmax over the rows of contiguous float32 data, one row at a time while it
 * sits in cache: max, then exp(x - max) with its sum, then the scaling. The steps are PyTorch's
 * vectorised last-dim kernels: softmax multiplies by 1 / sum, log_softmax writes
 * (x - max) - log(sum). exp is {@link Exp}, as in {@link VectorKernels.UnaryKind#EXP} (scalar tail:
 * its scalar definition), so results equal {@code exp()} followed by the same arithmetic.
 */
public final class SoftmaxKernels {
    private SoftmaxKernels() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Rows of {@code cols} elements from element offsets xOff (input) and outOff (output). */
    public static void softmaxF32(MemorySegment x, long xOff, MemorySegment out, long outOff, long rows, long cols,
            boolean log) {
        long grain = Parallel.shareable(x, out, out) ? Math.max(1, (1L << 14) / Math.max(1, cols)) : Long.MAX_VALUE;
        Parallel.parallelFor(rows, grain, (from, to) -> {
            for (long r = from; r < to; r++) {
                row(x, (xOff + r * cols) * Float.BYTES, out, (outOff + r * cols) * Float.BYTES, cols, log);
            }
        });
    }

    private static void row(MemorySegment x, long xa, MemorySegment out, long oa, long n, boolean log) {
        boolean vector = !VectorKernels.SCALAR;
        long bound = vector ? S.loopBound(n) : 0;
        float max = Float.NEGATIVE_INFINITY;
        long i = 0;
        if (vector && bound > 0) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (; i < bound; i += L) acc = acc.max(load(x, xa, i));
            max = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) max = Math.max(max, x.get(F32, xa + i * Float.BYTES));

        FloatVector vmax = FloatVector.broadcast(S, max);
        FloatVector vsum = FloatVector.zero(S);
        float sum = 0f;
        for (i = 0; i < bound; i += L) {
            FloatVector e = Exp.of(load(x, xa, i).sub(vmax));
            if (!log) e.intoMemorySegment(out, oa + i * Float.BYTES, ORDER);
            vsum = vsum.add(e);
        }
        for (; i < n; i++) {
            float e = VectorKernels.UnaryKind.EXP.applyF32(x.get(F32, xa + i * Float.BYTES) - max);
            if (!log) out.set(F32, oa + i * Float.BYTES, e);
            sum += e;
        }
        sum += ElementwiseF32.addLanes(vsum);

        if (log) {
            float lse = (float) Math.log(sum);
            FloatVector vlse = FloatVector.broadcast(S, lse);
            for (i = 0; i < bound; i += L) {
                load(x, xa, i).sub(vmax).sub(vlse).intoMemorySegment(out, oa + i * Float.BYTES, ORDER);
            }
            for (; i < n; i++) out.set(F32, oa + i * Float.BYTES, x.get(F32, xa + i * Float.BYTES) - max - lse);
        } else {
            float inv = 1f / sum;
            FloatVector vinv = FloatVector.broadcast(S, inv);
            for (i = 0; i < bound; i += L) load(out, oa, i).mul(vinv).intoMemorySegment(out, oa + i * Float.BYTES, ORDER);
            for (; i < n; i++) out.set(F32, oa + i * Float.BYTES, out.get(F32, oa + i * Float.BYTES) * inv);
        }
    }

    private static FloatVector load(MemorySegment s, long byteBase, long i) {
        return FloatVector.fromMemorySegment(S, s, byteBase + i * Float.BYTES, ORDER);
    }
}
