package dev.tessera.ops.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.ReduceOp;
import dev.tessera.ops.Strided;
import dev.tessera.ops.UnaryOp;
import dev.tessera.ops.ref.RefBackend;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CUDA kernels' semantics, checked without a GPU: the .cu sources compiled for the host
 * ({@link HostKernels}) run on CPU tensors with several blocks and threads, and every result is
 * compared with the reference backend (elementwise, casts, fills, where, reductions, arg-reductions)
 * or with the CPU implementation / an adjoint identity (indexing, convolution columns, pooling,
 * batch norm, softmax). Float tolerances cover libm differences (the kernels use float math for
 * float32, the reference double). Skips, printing why, where g++ is missing.
 */
class CudaKernelsOnHostTest {
    static HostKernels k;
    static final RefBackend REF = new RefBackend();

    @BeforeAll
    static void compile() {
        k = HostKernels.get();
        if (k == null) System.out.println("CudaKernelsOnHostTest: skipped: " + HostKernels.unavailableReason());
        org.junit.jupiter.api.Assumptions.assumeTrue(k != null, HostKernels.unavailableReason());
    }

    static Strided strided(Tensor t) {
        return new Strided(t.storage().segment(), t.dtype(), t.storageOffset(), t.shapeArray(), t.strideArray());
    }

    /** Values with the awkward cases: NaN, signed zero, halves (rounding), infinities. */
    static Tensor floats(DType dt, long seed, long... shape) {
        Tensor t = Torch.randn(shape, DType.FLOAT64).mul(3);
        double[] v = t.toDoubleArray();
        double[] special = {Double.NaN, 0.0, -0.0, 0.5, 1.5, 2.5, -2.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        Random r = new Random(seed);
        for (double s : special) v[r.nextInt(v.length)] = s;
        return Torch.tensor(v).reshape(shape).to(dt);
    }

    static Tensor ints(long seed, int lo, int hi, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) n *= s;
        long[] v = new long[(int) n];
        for (int i = 0; i < n; i++) v[i] = lo + r.nextInt(hi - lo + 1);
        return Torch.tensor(v).reshape(shape);
    }

    static void assertClose(Tensor expected, Tensor actual, double rel, String what) {
        double[] e = expected.to(DType.FLOAT64).contiguous().toDoubleArray(), a = actual.to(DType.FLOAT64).contiguous().toDoubleArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) || Double.isNaN(a[i])) {
                assertTrue(Double.isNaN(e[i]) && Double.isNaN(a[i]), what + " at " + i + ": expected " + e[i] + ", got " + a[i]);
            } else if (Double.isInfinite(e[i]) || rel == 0) {
                assertEquals(e[i], a[i], 0.0, what + " at " + i);
            } else {
                assertEquals(e[i], a[i], rel * Math.max(1, Math.abs(e[i])), what + " at " + i);
            }
        }
    }

    static double tol(DType t) { return t == DType.FLOAT32 ? 3e-6 : t == DType.FLOAT64 ? 1e-13 : 0; }

    @Test
    void unaryOpsMatchTheReferenceOnStridedViews() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            for (UnaryOp op : UnaryOp.values()) {
                if (!dt.isFloatingPoint() && !op.keepsIntegers()) continue;
                Tensor in = (dt == DType.INT64 ? ints(op.ordinal(), -9, 9, 6, 5) : floats(dt, op.ordinal(), 6, 5)).t(); // [5, 6], strides (1, 5)
                Tensor want = Torch.empty(in.shapeArray(), dt), got = Torch.empty(in.shapeArray(), dt);
                REF.unary(op, strided(want), strided(in));
                k.grid(KernelAbi.unary(op, dt), HostKernels.ptr(got), k.desc(got), HostKernels.ptr(in), k.desc(in), in.numel());
                assertClose(want, got, op == UnaryOp.ERF || op == UnaryOp.GELU ? Math.max(tol(dt), 1e-12) : tol(dt), op + " " + dt);
            }
        }
    }

    @Test
    void binaryOpsBroadcastAndMatchTheReference() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            for (BinaryOp op : BinaryOp.values()) {
                if (dt == DType.INT64 && op == BinaryOp.DIV) continue;
                Tensor a, b;
                if (dt == DType.INT64) {
                    a = ints(op.ordinal(), -20, 20, 4, 1, 3);
                    // divisors without 0 for floor_divide/remainder; small non-negative exponents for pow
                    b = op == BinaryOp.POW ? ints(7, 0, 5, 1, 5, 3) : ints(8, 1, 6, 1, 5, 3).mul(ints(9, 0, 1, 1, 5, 3).mul(2).add(-1));
                } else {
                    a = floats(dt, 1 + op.ordinal(), 4, 1, 3);
                    b = floats(dt, 2 + op.ordinal(), 1, 5, 3);
                }
                long[] shape = {4, 5, 3};
                Tensor ae = a.expand(shape), be = b.expand(shape);
                DType outType = op.boolResult() ? DType.BOOL : dt;
                Tensor want = Torch.empty(shape, outType), got = Torch.empty(shape, outType);
                REF.binary(op, strided(want), strided(ae), strided(be), dt);
                MemorySegment err = k.errWord();
                k.grid(KernelAbi.binary(op, dt), HostKernels.ptr(got), k.desc(got), HostKernels.ptr(ae), k.desc(ae),
                        HostKernels.ptr(be), k.desc(be), want.numel(), err.address());
                assertClose(want, got, op == BinaryOp.POW ? Math.max(tol(dt), 1e-6 * (dt == DType.FLOAT32 ? 1 : 1e-8)) : tol(dt), op + " " + dt);
                assertEquals(0, err.get(ValueLayout.JAVA_INT, 0), op + " " + dt + " reported an error");
            }
        }
    }

    @Test
    void integerDivisionByZeroIsReportedNotSilent() {
        for (BinaryOp op : new BinaryOp[]{BinaryOp.FLOOR_DIVIDE, BinaryOp.REMAINDER}) {
            Tensor a = Torch.tensor(new long[]{7, -7, 3}), b = Torch.tensor(new long[]{2, 0, -2}), got = Torch.empty(new long[]{3}, DType.INT64);
            MemorySegment err = k.errWord();
            k.grid(KernelAbi.binary(op, DType.INT64), HostKernels.ptr(got), k.desc(got), HostKernels.ptr(a), k.desc(a),
                    HostKernels.ptr(b), k.desc(b), 3L, err.address());
            assertEquals(KernelAbi.ERR_ZERO_DIV, err.get(ValueLayout.JAVA_INT, 0), op.toString());
            long[] g = got.to(DType.INT64).toLongArray();
            assertEquals(op == BinaryOp.FLOOR_DIVIDE ? 3 : 1, g[0]);
            assertEquals(op == BinaryOp.FLOOR_DIVIDE ? -2 : -1, g[2]); // Python rules: floor, divisor's sign
        }
    }

    static final DType[] CASTS = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32, DType.UINT8, DType.BOOL};

    @Test
    void castsBetweenEveryPairMatchTheReference() {
        double[] values = {0, 0.5, 1, 2.9, 7, 100, 127, 255, -3.7, -1};
        for (DType from : CASTS) {
            for (DType to : CASTS) {
                // negative values only where both sides are signed (float -> uint8 is undefined in C++)
                int n = from == DType.UINT8 || to == DType.UINT8 ? 8 : 10;
                Tensor src = Torch.tensor(java.util.Arrays.copyOf(values, n)).to(from).reshape(2, n / 2).t(); // strided
                Tensor want = Torch.empty(src.shapeArray(), to), got = Torch.empty(src.shapeArray(), to);
                REF.copy(strided(want), strided(src));
                k.grid(KernelAbi.cast(from, to), HostKernels.ptr(got), k.desc(got), HostKernels.ptr(src), k.desc(src), src.numel());
                assertClose(want, got, 0, "cast " + from + " -> " + to);
            }
        }
    }

    @Test
    void fillsWriteOnlyTheView() {
        for (DType dt : CASTS) {
            Tensor base = Torch.zeros(new long[]{4, 6}, dt);
            // every other column of rows 1..3: offset 6, strides (6, 2)
            Tensor view = Tensor.fromStorage(base.storage(), dt, new long[]{3, 3}, new long[]{6, 2}, 6);
            Object value = dt.isFloatingPoint() ? (Object) 2.5 : (Object) (dt == DType.BOOL ? 1L : (dt == DType.INT64 ? (1L << 60) + 3 : 77L));
            k.grid(KernelAbi.of("fill", dt), HostKernels.ptr(view), k.desc(view), view.numel(), value);
            Tensor want = Torch.zeros(new long[]{4, 6}, dt);
            Tensor wantView = Tensor.fromStorage(want.storage(), dt, new long[]{3, 3}, new long[]{6, 2}, 6);
            if (dt.isFloatingPoint()) REF.fill(strided(wantView), 2.5);
            else REF.fillLong(strided(wantView), (Long) value);
            assertEquals(java.util.Arrays.toString(want.to(DType.INT64).toLongArray()) + want.to(DType.FLOAT64).sum().item(),
                    java.util.Arrays.toString(base.to(DType.INT64).toLongArray()) + base.to(DType.FLOAT64).sum().item(), "fill " + dt);
            if (dt == DType.INT64) assertEquals((1L << 60) + 3, base.toLongArray()[6], "int64 fills are exact beyond 2^53");
        }
    }

    @Test
    void whereBroadcastsItsCondition() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL}) {
            Tensor cond = ints(3, 0, 1, 1, 5).to(DType.BOOL).expand(4, 5);
            Tensor a = ints(4, -9, 9, 4, 5).to(dt), b = ints(5, -9, 9, 4, 1).to(dt).expand(4, 5);
            Tensor want = Torch.empty(new long[]{4, 5}, dt), got = Torch.empty(new long[]{4, 5}, dt);
            REF.where(strided(want), strided(cond), strided(a), strided(b));
            k.grid(KernelAbi.of("where", dt), HostKernels.ptr(got), k.desc(got), HostKernels.ptr(cond), k.desc(cond),
                    HostKernels.ptr(a), k.desc(a), HostKernels.ptr(b), k.desc(b), 20L);
            assertClose(want, got, 0, "where " + dt);
        }
    }

    /** The reduce ABI: the input desc lists kept dims first, reduced dims last; the output has the kept dims. */
    void reduceOnHost(ReduceOp op, Tensor in, boolean[] reduced, Tensor out) {
        int r = in.shapeArray().length, at = 0;
        long[] sizes = new long[r], strides = new long[r];
        for (int d = 0; d < r; d++) if (!reduced[d]) { sizes[at] = in.shapeArray()[d]; strides[at++] = in.strideArray()[d]; }
        int keptRank = at;
        for (int d = 0; d < r; d++) if (reduced[d]) { sizes[at] = in.shapeArray()[d]; strides[at++] = in.strideArray()[d]; }
        long[] os = java.util.Arrays.copyOf(sizes, keptRank), ost = new long[keptRank];
        long st = 1;
        for (int d = keptRank - 1; d >= 0; d--) { ost[d] = st; st *= os[d]; }
        k.rows(KernelAbi.reduce(op, in.dtype()), HostKernels.ptr(out), k.desc(os, ost, 0), HostKernels.ptr(in),
                k.desc(sizes, strides, in.storageOffset()), keptRank);
    }

    @Test
    void reductionsOverAnyDimsMatchTheReference() {
        boolean[][] patterns = {{false, true, false}, {true, false, true}, {true, true, true}, {false, false, false}, {false, false, true}};
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            for (ReduceOp op : ReduceOp.values()) {
                for (boolean[] red : patterns) {
                    Tensor base = dt == DType.INT64 ? ints(op.ordinal(), -3, 3, 5, 4, 3) : Torch.randn(new long[]{5, 4, 3}, DType.FLOAT64);
                    if (dt.isFloatingPoint() && (op == ReduceOp.MAX || op == ReduceOp.MIN)) {
                        double[] v = base.toDoubleArray();
                        v[17] = Double.NaN; // NaN propagates through max and min
                        base = Torch.tensor(v).reshape(5, 4, 3);
                    }
                    Tensor in = base.to(dt).permute(2, 0, 1); // [3, 5, 4], non-contiguous
                    long[] outShape = in.shapeArray().clone();
                    long keptN = 1;
                    for (int d = 0; d < 3; d++) if (red[d]) outShape[d] = 1; else keptN *= outShape[d];
                    Tensor want = Torch.empty(outShape, dt);
                    REF.reduce(op, strided(want), strided(in), red);
                    Tensor got = Torch.empty(new long[]{keptN}, dt);
                    reduceOnHost(op, in, red, got);
                    assertClose(want, got, dt == DType.FLOAT32 ? 1e-5 : tol(dt) * 100, op + " " + dt + " over " + java.util.Arrays.toString(red));
                }
            }
        }
    }

    @Test
    void argmaxAndArgminTakeTheFirstExtremeAndNaN() {
        // ties, a NaN row, and a row of equal values; reduce along dim 1 and (through the desc) dim 0
        Tensor x = Torch.tensor(new double[][]{{1, 5, 5, 2, -1, 5}, {3, Double.NaN, 7, Double.NaN, 9, 0}, {2, 2, 2, 2, 2, 2}, {-4, -8, 3, -8, 0, 1}});
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            Tensor in = dt == DType.INT64 ? ints(11, -3, 3, 4, 6) : x.to(dt);
            for (int dim = 0; dim < 2; dim++) {
                for (boolean max : new boolean[]{true, false}) {
                    long[] os = in.shapeArray().clone();
                    os[dim] = 1;
                    Tensor want = Torch.empty(os, DType.INT64);
                    REF.argReduce(max, strided(want), strided(in), dim);
                    int other = 1 - dim;
                    Tensor got = Torch.empty(new long[]{in.shapeArray()[other]}, DType.INT64);
                    k.rows(KernelAbi.of(max ? "argmax" : "argmin", dt), HostKernels.ptr(got), k.desc(got), HostKernels.ptr(in),
                            k.desc(new long[]{in.shapeArray()[other], in.shapeArray()[dim]}, new long[]{in.strideArray()[other], in.strideArray()[dim]}, in.storageOffset()));
                    assertClose(want, got, 0, (max ? "argmax " : "argmin ") + dt + " dim " + dim);
                }
            }
        }
    }
}
