package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.DType;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.ReduceOp;
import dev.tessera.ops.Strided;
import dev.tessera.ops.UnaryOp;
import dev.tessera.ops.ref.RefBackend;
import dev.tessera.tensor.Elements;
import dev.tessera.tensor.Shapes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Differential test of the CPU backend (SIMD, multithreaded, fast paths) against the scalar
 * reference backend: every op on random shapes (empty, odd lengths, above the parallel crossover),
 * contiguous, transposed, sliced and broadcast layouts, float32 and float64.
 */
class CpuBackendTest {
    private static final CpuBackend CPU = new CpuBackend();
    private static final RefBackend REF = new RefBackend();
    private final SplittableRandom rnd = new SplittableRandom(20261127);
    private final Arena arena = Arena.ofAuto();

    /** A random operand of the given logical shape: contiguous, transposed, strided (every other element) or broadcast. */
    private Strided operand(DType t, long[] shape, int layout) {
        long n = Math.max(Shapes.numel(shape), 1);
        long[] strides;
        long extent;
        switch (layout) {
            case 1 -> { // reversed-dims (transposed) layout
                strides = new long[shape.length];
                long s = 1;
                for (int i = 0; i < shape.length; i++) {
                    strides[i] = s;
                    s *= Math.max(shape[i], 1);
                }
                extent = n;
            }
            case 2 -> { // every other element
                strides = Shapes.contiguousStrides(shape);
                for (int i = 0; i < strides.length; i++) strides[i] *= 2;
                extent = 2 * n;
            }
            case 3 -> { // broadcast along the first dim
                strides = Shapes.contiguousStrides(shape);
                if (strides.length > 0) strides[0] = 0;
                extent = n;
            }
            default -> {
                strides = Shapes.contiguousStrides(shape);
                extent = n;
            }
        }
        MemorySegment seg = arena.allocate(extent * t.byteSize() + 8, 64);
        for (long i = 0; i < extent; i++) {
            double v = rnd.nextInt(10) == 0 ? 0.0 : rnd.nextDouble(-3, 3);
            Elements.setDouble(seg, t, i * t.byteSize(), v);
        }
        return new Strided(seg, t, 0, shape, strides);
    }

    private Strided fresh(DType t, long[] shape) {
        long n = Math.max(Shapes.numel(shape), 1);
        return new Strided(arena.allocate(n * t.byteSize(), 64), t, 0, shape, Shapes.contiguousStrides(shape));
    }

    private long[] randomShape() {
        int rank = 1 + rnd.nextInt(3);
        long[] s = new long[rank];
        for (int i = 0; i < rank; i++) {
            int kind = rnd.nextInt(10);
            s[i] = kind == 0 ? 0 : kind == 1 ? 1 : kind < 8 ? 1 + rnd.nextInt(37) : 300 + rnd.nextInt(700);
        }
        if (Shapes.numel(s) > 400_000) s[0] = 1;
        return s;
    }

    private static double[] values(Strided s) {
        int n = (int) s.numel();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Elements.getDouble(s.segment(), s.dtype(), s.byteOffsetOf(i));
        return v;
    }

    private static void assertClose(String what, Strided expected, Strided actual, double ulps) {
        double[] e = values(expected), a = values(actual);
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) && Double.isNaN(a[i])) continue;
            double tol = ulps * Math.ulp((float) Math.max(Math.abs(e[i]), 1e-30)) + (ulps > 0 ? 1e-30 : 0);
            if (Math.abs(e[i] - a[i]) > tol) {
                throw new AssertionError(what + " differs at " + i + ": reference " + e[i] + " vs cpu " + a[i]);
            }
        }
    }

    @Test
    void elementwiseBinaryOpsMatchTheReference() {
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM, BinaryOp.MINIMUM,
                BinaryOp.GT, BinaryOp.LE, BinaryOp.EQ};
        for (int c = 0; c < 300; c++) {
            DType t = rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
            BinaryOp op = ops[rnd.nextInt(ops.length)];
            long[] shape = randomShape();
            Strided a = operand(t, shape, rnd.nextInt(4));
            Strided b = rnd.nextInt(5) == 0 ? new Strided(operand(t, new long[0], 0).segment(), t, 0, shape, new long[shape.length])
                    : operand(t, shape, rnd.nextInt(4));
            DType outType = op.boolResult() ? DType.BOOL : t;
            Strided ref = fresh(outType, shape), cpu = fresh(outType, shape);
            REF.binary(op, ref, a, b, t);
            CPU.binary(op, cpu, a, b, t);
            assertClose(op + " " + t + " " + Arrays.toString(shape), ref, cpu, 0);
        }
    }

    @Test
    void unaryOpsFillsAndCopiesMatchTheReference() {
        UnaryOp[] ops = UnaryOp.values();
        for (int c = 0; c < 200; c++) {
            DType t = rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
            long[] shape = randomShape();
            Strided in = operand(t, shape, rnd.nextInt(3));
            UnaryOp op = ops[rnd.nextInt(ops.length)];
            Strided ref = fresh(t, shape), cpu = fresh(t, shape);
            REF.unary(op, ref, in);
            CPU.unary(op, cpu, in);
            // transcendental kernels may round differently from Math.* in the last bits
            assertClose(op + " " + t + " " + Arrays.toString(shape), ref, cpu, 4);

            DType to = new DType[]{DType.FLOAT32, DType.FLOAT64, DType.BOOL}[rnd.nextInt(3)];
            Strided refCopy = fresh(to, shape), cpuCopy = fresh(to, shape);
            REF.copy(refCopy, in);
            CPU.copy(cpuCopy, in);
            assertClose("copy " + t + "->" + to, refCopy, cpuCopy, 0);
            Strided mask = operand(DType.BOOL, shape, 0);
            Strided refMask = fresh(t, shape), cpuMask = fresh(t, shape);
            REF.copy(refMask, mask);
            CPU.copy(cpuMask, mask);
            assertClose("bool->" + t, refMask, cpuMask, 0);

            Strided refFill = fresh(t, shape), cpuFill = fresh(t, shape);
            REF.fill(refFill, -1.25);
            CPU.fill(cpuFill, -1.25);
            assertClose("fill", refFill, cpuFill, 0);
        }
    }

    /** exp, log, tanh, ... of a transposed or strided view: the contiguous kernels' bits, not the reference's. */
    @Test
    void unaryKernelsGiveAViewTheBitsOfItsContiguousCopy() {
        UnaryOp[] ops = {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.SQRT, UnaryOp.RECIPROCAL, UnaryOp.NEG,
            UnaryOp.RELU};
        for (int c = 0; c < 120; c++) {
            DType t = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            long[] shape = randomShape();
            Strided view = operand(t, shape, 1 + rnd.nextInt(2)), copy = fresh(t, shape);
            CPU.copy(copy, view);
            UnaryOp op = ops[c % ops.length];
            Strided fromView = fresh(t, shape), fromCopy = fresh(t, shape);
            CPU.unary(op, fromView, view);
            CPU.unary(op, fromCopy, copy);
            double[] a = values(fromView), b = values(fromCopy);
            for (int i = 0; i < a.length; i++) {
                if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i]) && !(Double.isNaN(a[i]) && Double.isNaN(b[i]))) {
                    throw new AssertionError(op + " " + t + " " + Arrays.toString(shape) + " at " + i + ": view " + a[i] + ", copy " + b[i]);
                }
            }
        }
    }

    @Test
    void reductionsMatchTheReference() {
        for (int c = 0; c < 300; c++) {
            DType t = rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
            long[] shape = randomShape();
            if (Shapes.numel(shape) == 0) continue;
            Strided in = operand(t, shape, 0);
            boolean[] reduced = new boolean[shape.length];
            if (rnd.nextBoolean()) {
                int from = rnd.nextInt(shape.length);
                for (int d = from; d < shape.length; d++) reduced[d] = true;
            } else {
                // any mask, e.g. batch-norm's {0, 2, 3}
                for (int d = 0; d < shape.length; d++) reduced[d] = rnd.nextBoolean();
                reduced[shape.length - 1] = true;
            }
            long[] outShape = shape.clone();
            for (int d = 0; d < shape.length; d++) if (reduced[d]) outShape[d] = 1;
            ReduceOp op = rnd.nextBoolean() ? ReduceOp.SUM : ReduceOp.MAX;
            Strided ref = fresh(t, outShape), cpu = fresh(t, outShape);
            REF.reduce(op, ref, in, reduced);
            CPU.reduce(op, cpu, in, reduced);
            String what = op + " " + t + " " + Arrays.toString(shape);
            if (op == ReduceOp.MAX) {
                assertClose(what, ref, cpu, 0);
                continue;
            }
            // the CPU sum accumulates in the dtype (as PyTorch), the reference in double: allow the
            // summation error bound len * eps * max|x| (|x| < 3 here)
            long len = Shapes.numel(shape) / Shapes.numel(outShape);
            double eps = t == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
            double[] e = values(ref), g = values(cpu);
            for (int i = 0; i < e.length; i++) assertEquals(e[i], g[i], 2 * len * eps * 3 + eps, what + " " + Arrays.toString(reduced) + " at " + i);
        }
    }

    @Test
    void batchNormStatisticsShapeUsesTheMixedPath() {
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            long[] shape = {4, 3, 10, 10};
            Strided in = operand(t, shape, 0);
            boolean[] reduced = {true, false, true, true};
            for (ReduceOp op : new ReduceOp[]{ReduceOp.SUM, ReduceOp.MAX}) {
                Strided ref = fresh(t, new long[]{1, 3, 1, 1}), cpu = fresh(t, new long[]{1, 3, 1, 1});
                REF.reduce(op, ref, in, reduced);
                CPU.reduce(op, cpu, in, reduced);
                double[] e = values(ref), g = values(cpu);
                for (int i = 0; i < 3; i++) assertEquals(e[i], g[i], t == DType.FLOAT32 ? 1e-4 : 1e-12, op + " " + t + " channel " + i);
            }
        }
    }

    @Test
    void batchedMatmulMatchesTheReference() {
        for (int c = 0; c < 60; c++) {
            DType t = rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
            long batch = 1 + rnd.nextInt(3), m = rnd.nextInt(40), n = rnd.nextInt(40), k = rnd.nextInt(70);
            Strided a = operand(t, new long[]{batch, m, k}, rnd.nextInt(2));
            Strided b = operand(t, new long[]{batch, k, n}, rnd.nextInt(2));
            Strided ref = fresh(t, new long[]{batch, m, n}), cpu = fresh(t, new long[]{batch, m, n});
            REF.matmul(ref, a, b);
            CPU.matmul(cpu, a, b);
            double[] e = values(ref), g = values(cpu);
            for (int i = 0; i < e.length; i++) {
                double tol = (t == DType.FLOAT32 ? 1e-5 : 1e-12) * (k + 1) * 9;
                assertEquals(e[i], g[i], tol, "matmul " + t + " " + batch + "x" + m + "x" + k + "x" + n + " at " + i);
            }
        }
    }
}
