package dev.tessera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random view chains and broadcasting binary ops against a naive reference that keeps a row-major
 * double[] and recomputes every element from explicit index arithmetic (fixed seeds, fast).
 */
class ViewBroadcastPropertyTest {

    /** Naive tensor: a shape and row-major values. */
    private record Naive(long[] shape, double[] v) {
        int size(int d) { return (int) shape[d]; }

        static long[] contiguousStrides(long[] shape) {
            long[] s = new long[shape.length];
            long acc = 1;
            for (int i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
            return s;
        }

        /** Builds a tensor of outShape whose element at multi-index idx is this[src(idx)]. */
        Naive map(long[] outShape, java.util.function.Function<long[], long[]> src) {
            int n = (int) numel(outShape);
            double[] out = new double[n];
            long[] inStrides = contiguousStrides(shape);
            long[] idx = new long[outShape.length];
            for (int k = 0; k < n; k++) {
                long rem = k;
                for (int d = outShape.length - 1; d >= 0; d--) { idx[d] = rem % outShape[d]; rem /= outShape[d]; }
                long[] s = src.apply(idx);
                long flat = 0;
                for (int d = 0; d < s.length; d++) flat += s[d] * inStrides[d];
                out[k] = v[(int) flat];
            }
            return new Naive(outShape, out);
        }
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    private static long[] randomShape(Random r, int maxRank) {
        long[] s = new long[r.nextInt(maxRank + 1)];
        for (int i = 0; i < s.length; i++) s[i] = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(4);
        return s;
    }

    @Test
    void randomViewChainsMatchNaiveIndexing() {
        Random r = new Random(20240611);
        int steps = 0;
        for (int trial = 0; trial < 400; trial++) {
            long[] shape = randomShape(r, 4);
            int n = (int) numel(shape);
            double[] vals = new double[n];
            for (int i = 0; i < n; i++) vals[i] = i;
            Tensor t = Torch.arange(0.0, n, 1.0).to(DType.FLOAT64).reshape(shape);
            Tensor base = t;
            Naive ref = new Naive(shape, vals);
            for (int step = 0; step < 4; step++, steps++) {
                int rank = t.dim();
                String desc;
                switch (r.nextInt(7)) {
                    case 0 -> {
                        if (rank < 2) continue;
                        int a = r.nextInt(rank), b = r.nextInt(rank);
                        t = t.transpose(a, b);
                        long[] s = ref.shape.clone();
                        s[a] = ref.shape[b];
                        s[b] = ref.shape[a];
                        ref = ref.map(s, idx -> { long[] o = idx.clone(); o[a] = idx[b]; o[b] = idx[a]; return o; });
                        desc = "transpose(" + a + "," + b + ")";
                    }
                    case 1 -> {
                        int[] perm = shuffled(r, rank);
                        t = t.permute(perm);
                        long[] s = new long[rank];
                        for (int i = 0; i < rank; i++) s[i] = ref.shape[perm[i]];
                        ref = ref.map(s, idx -> { long[] o = new long[rank]; for (int i = 0; i < rank; i++) o[perm[i]] = idx[i]; return o; });
                        desc = "permute" + Arrays.toString(perm);
                    }
                    case 2 -> {
                        if (rank == 0) continue;
                        int d = r.nextInt(rank);
                        long size = ref.shape[d];
                        long start = r.nextInt((int) size + 1), step2 = 1 + r.nextInt(3);
                        long stop = start + r.nextInt((int) (size - start) + 1);
                        t = t.slice(d, start, stop, step2);
                        long len = stop <= start ? 0 : (stop - start + step2 - 1) / step2;
                        long[] s = ref.shape.clone();
                        s[d] = len;
                        ref = ref.map(s, idx -> { long[] o = idx.clone(); o[d] = start + idx[d] * step2; return o; });
                        desc = "slice(" + d + "," + start + "," + stop + "," + step2 + ")";
                    }
                    case 3 -> {
                        if (rank == 0) continue;
                        int d = r.nextInt(rank);
                        if (ref.shape[d] == 0) continue;
                        long i = r.nextInt((int) ref.shape[d]) - (r.nextBoolean() ? ref.shape[d] : 0);
                        long pos = i < 0 ? i + ref.shape[d] : i;
                        t = t.select(d, i);
                        long[] s = new long[rank - 1];
                        for (int k = 0, j = 0; k < rank; k++) if (k != d) s[j++] = ref.shape[k];
                        ref = ref.map(s, idx -> {
                            long[] o = new long[rank];
                            for (int k = 0, j = 0; k < rank; k++) o[k] = k == d ? pos : idx[j++];
                            return o;
                        });
                        desc = "select(" + d + "," + i + ")";
                    }
                    case 4 -> {
                        int d = r.nextInt(rank + 1);
                        t = t.unsqueeze(d);
                        long[] s = new long[rank + 1];
                        for (int k = 0, j = 0; k <= rank; k++) s[k] = k == d ? 1 : ref.shape[j++];
                        ref = ref.map(s, idx -> {
                            long[] o = new long[rank];
                            for (int k = 0, j = 0; k <= rank; k++) if (k != d) o[j++] = idx[k];
                            return o;
                        });
                        desc = "unsqueeze(" + d + ")";
                    }
                    case 5 -> {
                        // expand size-1 dims to a random size and maybe add a leading dim
                        int lead = r.nextInt(2);
                        long[] s = new long[rank + lead];
                        if (lead == 1) s[0] = r.nextInt(3);
                        for (int k = 0; k < rank; k++) s[k + lead] = ref.shape[k] == 1 ? r.nextInt(4) : ref.shape[k];
                        t = t.expand(s);
                        Naive src = ref;
                        ref = ref.map(s, idx -> {
                            long[] o = new long[rank];
                            for (int k = 0; k < rank; k++) o[k] = src.shape[k] == 1 ? 0 : idx[k + lead];
                            return o;
                        });
                        desc = "expand" + Arrays.toString(s);
                    }
                    default -> {
                        t = t.reshape(-1);
                        ref = new Naive(new long[]{ref.v.length}, ref.v);
                        desc = "reshape(-1)";
                    }
                }
                String where = "trial " + trial + " step " + step + " " + desc;
                assertArrayEquals(ref.shape, t.shapeArray(), where + ": shape");
                assertArrayEquals(ref.v, t.toDoubleArray(), where + ": values");
                if (!desc.startsWith("reshape")) assertSame(base.storage(), t.storage(), where + ": view must share storage");
                assertArrayEquals(ref.v, t.contiguous().toDoubleArray(), where + ": contiguous()");
                base = t;
            }
        }
        assertEquals(true, steps > 1000, "too few steps exercised: " + steps);
    }

    private static int[] shuffled(Random r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    @Test
    void broadcastingBinaryOpsMatchNestedLoops() {
        Random r = new Random(77);
        DType[] types = {DType.FLOAT64, DType.FLOAT32, DType.INT64, DType.INT32};
        for (int trial = 0; trial < 300; trial++) {
            long[] full = randomShape(r, 4);
            long[] sa = dropDims(r, full), sb = dropDims(r, full);
            long[] out = broadcastShape(sa, sb);
            DType ta = types[r.nextInt(types.length)], tb = types[r.nextInt(types.length)];
            Naive a = randomValues(r, sa), b = randomValues(r, sb);
            Tensor x = fromNaive(a, ta), y = fromNaive(b, tb);
            if (r.nextBoolean() && x.dim() >= 2) x = x.transpose(0, 1).contiguous().transpose(0, 1);  // non-contiguous operand
            for (int op = 0; op < 3; op++) {
                Tensor z = switch (op) { case 0 -> x.add(y); case 1 -> x.mul(y); default -> x.sub(y); };
                String where = "trial " + trial + " op " + op + " " + Arrays.toString(sa) + ta + " vs " + Arrays.toString(sb) + tb;
                assertArrayEquals(out, z.shapeArray(), where + ": shape");
                // 0-d operands promote with lower priority; those cases are in the PyTorch goldens
                if ((sa.length == 0) == (sb.length == 0)) assertEquals(DType.promote(ta, tb), z.dtype(), where + ": dtype");
                double[] want = new double[(int) numel(out)];
                long[] idx = new long[out.length];
                for (int k = 0; k < want.length; k++) {
                    long rem = k;
                    for (int d = out.length - 1; d >= 0; d--) { idx[d] = rem % out[d]; rem /= out[d]; }
                    double va = a.v[(int) flatBroadcast(idx, sa)], vb = b.v[(int) flatBroadcast(idx, sb)];
                    want[k] = switch (op) { case 0 -> va + vb; case 1 -> va * vb; default -> va - vb; };
                    if (!z.dtype().isFloatingPoint()) want[k] += 0.0;  // integers have no -0
                }
                assertArrayEquals(want, z.toDoubleArray(), where + ": values");
            }
        }
    }

    private static long[] broadcastShape(long[] a, long[] b) {
        long[] out = new long[Math.max(a.length, b.length)];
        for (int i = 1; i <= out.length; i++) {
            long da = i <= a.length ? a[a.length - i] : 1, db = i <= b.length ? b[b.length - i] : 1;
            out[out.length - i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Right-aligned broadcast: size-1 dims of a read index 0; missing leading dims are ignored. */
    private static long flatBroadcast(long[] idx, long[] shape) {
        long flat = 0, stride = 1;
        for (int d = shape.length - 1, o = idx.length - 1; d >= 0; d--, o--) {
            if (shape[d] != 1) flat += idx[o] * stride;
            stride *= shape[d];
        }
        return flat;
    }

    /** A shape broadcastable to out: leading dims dropped, some dims set to 1. */
    private static long[] dropDims(Random r, long[] out) {
        int drop = r.nextInt(out.length + 1);
        long[] s = Arrays.copyOfRange(out, drop, out.length);
        for (int i = 0; i < s.length; i++) if (r.nextInt(3) == 0) s[i] = 1;
        return s;
    }

    /** Small integers, exact in every dtype used and under + - *. */
    private static Naive randomValues(Random r, long[] shape) {
        double[] v = new double[(int) numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(41) - 20;
        return new Naive(shape, v);
    }

    private static Tensor fromNaive(Naive n, DType t) {
        return Torch.tensor(n.v).to(DType.FLOAT64).to(t).reshape(n.shape);
    }
}
