package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Elementwise, broadcast, cast and reduction kernels for float32 and float64, on memory segments
 * with offsets and lengths in elements. A backend calls one entry per op family with an op kind,
 * so its dispatcher is a table ({@code BinaryKind -> binaryF32}), not nested switches.
 *
 * <p>Contiguous ranges run vectorised (species {@code SPECIES_PREFERRED}: 512-bit where AVX-512 is
 * present) and split across {@link Parallel} above {@link #PARALLEL_MIN_ELEMENTS}; below it they stay
 * on the caller, so small tensors pay no hand-off. {@code -Dtessera.scalar=true} forces every loop
 * onto its scalar path (for debugging and as a reference).
 */
public final class VectorKernels {
    private VectorKernels() {}

    /** Forces the scalar path of every kernel in this package when true. */
    public static final boolean SCALAR = Boolean.getBoolean("tessera.scalar");

    /** Elementwise work below this many elements stays single-threaded (measured crossover). */
    public static final long PARALLEL_MIN_ELEMENTS = Long.getLong("tessera.parallelMinElements", 1L << 18);

    /** Binary ops; {@code applyF32/applyF64} are the scalar definitions every vector loop must match. */
    public enum BinaryKind {
        ADD, SUB, MUL, DIV, MAX, MIN;

        public float applyF32(float a, float b) {
            return switch (this) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> a / b;
                case MAX -> Math.max(a, b);
                case MIN -> Math.min(a, b);
            };
        }

        public double applyF64(double a, double b) {
            return switch (this) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> a / b;
                case MAX -> Math.max(a, b);
                case MIN -> Math.min(a, b);
            };
        }
    }

    /**
     * Unary ops; relu(NaN) is NaN as in PyTorch; exp, sigmoid, log and tanh use {@link Exp}, {@link Log} and
     * {@link Tanh} (same bits before and after the JIT, vector body and scalar tail alike).
     */
    public enum UnaryKind {
        NEG, ABS, RELU, SQUARE, SQRT, RECIPROCAL, EXP, LOG, TANH, SIGMOID;

        public float applyF32(float x) {
            return switch (this) {
                // exp in float itself: the vector loops compute it so, and must match
                case EXP -> Exp.of(x);
                case SIGMOID -> 1f / (1f + Exp.of(-x));
                case LOG -> Log.of(x);
                case TANH -> Tanh.of(x);
                default -> (float) applyF64(x);
            };
        }

        public double applyF64(double x) {
            return switch (this) {
                case NEG -> -x;
                case ABS -> Math.abs(x);
                case RELU -> Math.max(x, 0.0);
                case SQUARE -> x * x;
                case SQRT -> Math.sqrt(x);
                case RECIPROCAL -> 1.0 / x;
                case EXP -> Exp.of(x);
                case LOG -> Log.of(x);
                case TANH -> Tanh.of(x);
                case SIGMOID -> 1.0 / (1.0 + Exp.of(-x));
            };
        }
    }

    // ---- float32 ----

    /** out[i] = a[i] op b[i], i in [0, n). {@code out} may alias {@code a} or {@code b} exactly. */
    public static void binaryF32(BinaryKind k, MemorySegment a, long aOff, MemorySegment b, long bOff,
            MemorySegment out, long outOff, long n) {
        Parallel.parallelFor(n, grain(a, b, out),
                (f, t) -> ElementwiseF32.binary(k, a, aOff + f, b, bOff + f, out, outOff + f, t - f));
    }

    /** out[i] = a[i] op s (scalar broadcast on the right). */
    public static void binaryScalarF32(BinaryKind k, MemorySegment a, long aOff, float s, MemorySegment out,
            long outOff, long n) {
        Parallel.parallelFor(n, grain(a, a, out),
                (f, t) -> ElementwiseF32.binaryScalar(k, a, aOff + f, s, false, out, outOff + f, t - f));
    }

    /** out[i] = s op b[i] (scalar broadcast on the left). */
    public static void scalarBinaryF32(BinaryKind k, float s, MemorySegment b, long bOff, MemorySegment out,
            long outOff, long n) {
        Parallel.parallelFor(n, grain(b, b, out),
                (f, t) -> ElementwiseF32.binaryScalar(k, b, bOff + f, s, true, out, outOff + f, t - f));
    }

    /** Row broadcast over a contiguous [rows x cols] a: out[i, j] = a[i, j] op row[j]. */
    public static void binaryRowF32(BinaryKind k, MemorySegment a, long aOff, MemorySegment row, long rowOff,
            MemorySegment out, long outOff, long rows, long cols) {
        Parallel.parallelFor(rows, shareable(a, row, out) ? grainRows(cols) : Long.MAX_VALUE, (f, t) -> {
            for (long i = f; i < t; i++) {
                ElementwiseF32.binary(k, a, aOff + i * cols, row, rowOff, out, outOff + i * cols, cols);
            }
        });
    }

    /** Column broadcast over a contiguous [rows x cols] a: out[i, j] = a[i, j] op col[i]. */
    public static void binaryColF32(BinaryKind k, MemorySegment a, long aOff, MemorySegment col, long colOff,
            MemorySegment out, long outOff, long rows, long cols) {
        Parallel.parallelFor(rows, shareable(a, col, out) ? grainRows(cols) : Long.MAX_VALUE, (f, t) -> {
            for (long i = f; i < t; i++) {
                float s = col.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, colOff + i);
                ElementwiseF32.binaryScalar(k, a, aOff + i * cols, s, false, out, outOff + i * cols, cols);
            }
        });
    }

    /**
     * General strided form: shape and strides in elements (stride 0 = broadcast). The innermost
     * dimension runs vectorised when it is contiguous in a and out and b is contiguous or
     * broadcast there (and symmetrically); otherwise it falls back to a scalar loop.
     */
    public static void binaryStridedF32(BinaryKind k, long[] shape, MemorySegment a, long aOff, long[] aStrides,
            MemorySegment b, long bOff, long[] bStrides, MemorySegment out, long outOff, long[] outStrides) {
        if (TransposedBinary.tryRun(k, shape, a, aOff, aStrides, b, bOff, bStrides, out, outOff, outStrides)) return;
        new StridedLoop(shape, aStrides, bStrides, outStrides, shareable(a, b, out)).run((ao, bo, oo, n, as, bs, os) -> {
            if (as == 1 && bs == 1 && os == 1) {
                ElementwiseF32.binary(k, a, aOff + ao, b, bOff + bo, out, outOff + oo, n);
            } else if (as == 1 && bs == 0 && os == 1) {
                float s = b.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, bOff + bo);
                ElementwiseF32.binaryScalar(k, a, aOff + ao, s, false, out, outOff + oo, n);
            } else if (as == 0 && bs == 1 && os == 1) {
                float s = a.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, aOff + ao);
                ElementwiseF32.binaryScalar(k, b, bOff + bo, s, true, out, outOff + oo, n);
            } else {
                for (long i = 0; i < n; i++) {
                    float x = a.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, aOff + ao + i * as);
                    float y = b.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, bOff + bo + i * bs);
                    out.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, outOff + oo + i * os, k.applyF32(x, y));
                }
            }
        });
    }

    /** out = op(a) over a strided space, with the contiguous kernels' bits (see {@link ElementwiseF32#unaryStrided}). */
    public static void unaryStridedF32(UnaryKind k, long[] shape, MemorySegment a, long aOff, long[] aStrides, MemorySegment out,
            long outOff, long[] outStrides) {
        ElementwiseF32.unaryStrided(k, shape, a, aOff, aStrides, out, outOff, outStrides, shareable(a, a, out));
    }

    /** out[i] = op(a[i]). */
    public static void unaryF32(UnaryKind k, MemorySegment a, long aOff, MemorySegment out, long outOff, long n) {
        Parallel.parallelFor(n, grain(a, a, out),
                (f, t) -> ElementwiseF32.unary(k, a, aOff + f, out, outOff + f, t - f));
    }

    public static void fillF32(MemorySegment out, long outOff, long n, float value) {
        Parallel.parallelFor(n, grain(out, out, out), (f, t) -> ElementwiseF32.fill(out, outOff + f, t - f, value));
    }

    /**
     * Sum in float32 accumulation, like PyTorch's CPU sum: 4 x L vector lanes accumulate within
     * 4096-element blocks and blocks combine pairwise lane by lane (lanes reduced once at the end), so error grows with log(n), not n. The
     * result does not depend on the thread count (threads evaluate fixed subtrees).
     */
    public static float sumF32(MemorySegment a, long aOff, long n) {
        checkLength(n);
        int leaves = shareable(a, a, a) ? sumLeaves(n) : 1;
        if (leaves == 1) {
            return ElementwiseF32.sum(a, aOff, 0, n);
        }
        long[] bounds = sumBounds(n, leaves, true);
        FloatVector[] partial = new FloatVector[leaves];
        Parallel.parallelFor(leaves, 1, (f, t) -> {
            for (int i = (int) f; i < t; i++) {
                partial[i] = bounds[i] == bounds[i + 1] ? FloatVector.zero(ElementwiseF32.S) : ElementwiseF32.sumLanes(a, aOff, bounds[i], bounds[i + 1]);
            }
        });
        // the top of the same lane-wise tree the serial sum builds, then its one fixed-order lane reduction
        for (int width = leaves; width > 1; width /= 2) {
            for (int i = 0; i < width / 2; i++) {
                partial[i] = partial[2 * i].add(partial[2 * i + 1]);
            }
        }
        return ElementwiseF32.addLanes(partial[0]);
    }

    /** Maximum; NaN if any element is NaN. */
    public static float maxF32(MemorySegment a, long aOff, long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("max of an empty range (n=" + n + ") has no identity");
        }
        int parts = shareable(a, a, a) ? (int) Math.min(Parallel.getNumThreads(), Math.max(1, n / PARALLEL_MIN_ELEMENTS)) : 1;
        float[] partial = new float[parts];
        Parallel.parallelFor(parts, 1, (f, t) -> {
            for (int i = (int) f; i < t; i++) {
                long from = n * i / parts;
                partial[i] = ElementwiseF32.max(a, aOff + from, n * (i + 1) / parts - from);
            }
        });
        float m = partial[0];
        for (int i = 1; i < parts; i++) {
            m = Math.max(m, partial[i]);
        }
        return m;
    }

    // ---- float64 ----

    /** out[i] = a[i] op b[i], i in [0, n). {@code out} may alias {@code a} or {@code b} exactly. */
    public static void binaryF64(BinaryKind k, MemorySegment a, long aOff, MemorySegment b, long bOff,
            MemorySegment out, long outOff, long n) {
        Parallel.parallelFor(n, grain(a, b, out),
                (f, t) -> ElementwiseF64.binary(k, a, aOff + f, b, bOff + f, out, outOff + f, t - f));
    }

    /** out[i] = a[i] op s (scalar broadcast on the right). */
    public static void binaryScalarF64(BinaryKind k, MemorySegment a, long aOff, double s, MemorySegment out,
            long outOff, long n) {
        Parallel.parallelFor(n, grain(a, a, out),
                (f, t) -> ElementwiseF64.binaryScalar(k, a, aOff + f, s, false, out, outOff + f, t - f));
    }

    /** out[i] = s op b[i] (scalar broadcast on the left). */
    public static void scalarBinaryF64(BinaryKind k, double s, MemorySegment b, long bOff, MemorySegment out,
            long outOff, long n) {
        Parallel.parallelFor(n, grain(b, b, out),
                (f, t) -> ElementwiseF64.binaryScalar(k, b, bOff + f, s, true, out, outOff + f, t - f));
    }

    /** Row broadcast over a contiguous [rows x cols] a: out[i, j] = a[i, j] op row[j]. */
    public static void binaryRowF64(BinaryKind k, MemorySegment a, long aOff, MemorySegment row, long rowOff,
            MemorySegment out, long outOff, long rows, long cols) {
        Parallel.parallelFor(rows, shareable(a, row, out) ? grainRows(cols) : Long.MAX_VALUE, (f, t) -> {
            for (long i = f; i < t; i++) {
                ElementwiseF64.binary(k, a, aOff + i * cols, row, rowOff, out, outOff + i * cols, cols);
            }
        });
    }

    /** Column broadcast over a contiguous [rows x cols] a: out[i, j] = a[i, j] op col[i]. */
    public static void binaryColF64(BinaryKind k, MemorySegment a, long aOff, MemorySegment col, long colOff,
            MemorySegment out, long outOff, long rows, long cols) {
        Parallel.parallelFor(rows, shareable(a, col, out) ? grainRows(cols) : Long.MAX_VALUE, (f, t) -> {
            for (long i = f; i < t; i++) {
                double s = col.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, colOff + i);
                ElementwiseF64.binaryScalar(k, a, aOff + i * cols, s, false, out, outOff + i * cols, cols);
            }
        });
    }

    /**
     * General strided form: shape and strides in elements (stride 0 = broadcast). The innermost
     * dimension runs vectorised when it is contiguous in a and out and b is contiguous or
     * broadcast there (and symmetrically); otherwise it falls back to a scalar loop.
     */
    public static void binaryStridedF64(BinaryKind k, long[] shape, MemorySegment a, long aOff, long[] aStrides,
            MemorySegment b, long bOff, long[] bStrides, MemorySegment out, long outOff, long[] outStrides) {
        new StridedLoop(shape, aStrides, bStrides, outStrides, shareable(a, b, out)).run((ao, bo, oo, n, as, bs, os) -> {
            if (as == 1 && bs == 1 && os == 1) {
                ElementwiseF64.binary(k, a, aOff + ao, b, bOff + bo, out, outOff + oo, n);
            } else if (as == 1 && bs == 0 && os == 1) {
                double s = b.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, bOff + bo);
                ElementwiseF64.binaryScalar(k, a, aOff + ao, s, false, out, outOff + oo, n);
            } else if (as == 0 && bs == 1 && os == 1) {
                double s = a.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, aOff + ao);
                ElementwiseF64.binaryScalar(k, b, bOff + bo, s, true, out, outOff + oo, n);
            } else {
                for (long i = 0; i < n; i++) {
                    double x = a.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, aOff + ao + i * as);
                    double y = b.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, bOff + bo + i * bs);
                    out.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, outOff + oo + i * os, k.applyF64(x, y));
                }
            }
        });
    }

    /** {@link #unaryStridedF32} for float64. */
    public static void unaryStridedF64(UnaryKind k, long[] shape, MemorySegment a, long aOff, long[] aStrides, MemorySegment out,
            long outOff, long[] outStrides) {
        ElementwiseF64.unaryStrided(k, shape, a, aOff, aStrides, out, outOff, outStrides, shareable(a, a, out));
    }

    /** out[i] = op(a[i]). */
    public static void unaryF64(UnaryKind k, MemorySegment a, long aOff, MemorySegment out, long outOff, long n) {
        Parallel.parallelFor(n, grain(a, a, out),
                (f, t) -> ElementwiseF64.unary(k, a, aOff + f, out, outOff + f, t - f));
    }

    public static void fillF64(MemorySegment out, long outOff, long n, double value) {
        Parallel.parallelFor(n, grain(out, out, out), (f, t) -> ElementwiseF64.fill(out, outOff + f, t - f, value));
    }

    /**
     * Sum in float64 accumulation, same blocking and pairwise tree as {@link #sumF32}: 4 x L vector lanes accumulate within
     * 4096-element blocks and blocks combine pairwise lane by lane (lanes reduced once at the end), so error grows with log(n), not n. The
     * result does not depend on the thread count (threads evaluate fixed subtrees).
     */
    public static double sumF64(MemorySegment a, long aOff, long n) {
        checkLength(n);
        int leaves = shareable(a, a, a) ? sumLeaves(n) : 1;
        if (leaves == 1) {
            return ElementwiseF64.sum(a, aOff, 0, n);
        }
        long[] bounds = sumBounds(n, leaves, false);
        DoubleVector[] partial = new DoubleVector[leaves];
        Parallel.parallelFor(leaves, 1, (f, t) -> {
            for (int i = (int) f; i < t; i++) {
                partial[i] = bounds[i] == bounds[i + 1] ? DoubleVector.zero(ElementwiseF64.S) : ElementwiseF64.sumLanes(a, aOff, bounds[i], bounds[i + 1]);
            }
        });
        // the top of the same lane-wise tree the serial sum builds, then its one fixed-order lane reduction
        for (int width = leaves; width > 1; width /= 2) {
            for (int i = 0; i < width / 2; i++) {
                partial[i] = partial[2 * i].add(partial[2 * i + 1]);
            }
        }
        return ElementwiseF64.addLanes(partial[0]);
    }

    /** Maximum; NaN if any element is NaN. */
    public static double maxF64(MemorySegment a, long aOff, long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("max of an empty range (n=" + n + ") has no identity");
        }
        int parts = shareable(a, a, a) ? (int) Math.min(Parallel.getNumThreads(), Math.max(1, n / PARALLEL_MIN_ELEMENTS)) : 1;
        double[] partial = new double[parts];
        Parallel.parallelFor(parts, 1, (f, t) -> {
            for (int i = (int) f; i < t; i++) {
                long from = n * i / parts;
                partial[i] = ElementwiseF64.max(a, aOff + from, n * (i + 1) / parts - from);
            }
        });
        double m = partial[0];
        for (int i = 1; i < parts; i++) {
            m = Math.max(m, partial[i]);
        }
        return m;
    }

    // Named forms for direct callers and benchmarks.
    public static void addF32(MemorySegment a, long aOff, MemorySegment b, long bOff, MemorySegment out, long outOff,
            long n) {
        binaryF32(BinaryKind.ADD, a, aOff, b, bOff, out, outOff, n);
    }

    public static void mulF32(MemorySegment a, long aOff, MemorySegment b, long bOff, MemorySegment out, long outOff,
            long n) {
        binaryF32(BinaryKind.MUL, a, aOff, b, bOff, out, outOff, n);
    }

    public static void reluF32(MemorySegment a, long aOff, MemorySegment out, long outOff, long n) {
        unaryF32(UnaryKind.RELU, a, aOff, out, outOff, n);
    }

    // ---- casts ----

    public static void castF32ToF64(MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long n) {
        Parallel.parallelFor(n, grain(src, src, dst), (f, t) -> Casts.f32ToF64(src, srcOff + f, dst, dstOff + f, t - f));
    }

    public static void castF64ToF32(MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long n) {
        Parallel.parallelFor(n, grain(src, src, dst), (f, t) -> Casts.f64ToF32(src, srcOff + f, dst, dstOff + f, t - f));
    }

    // ---- shared helpers ----

    /** Elementwise grain: the crossover, or everything on the caller for confined segments. */
    static long grain(MemorySegment a, MemorySegment b, MemorySegment out) {
        return shareable(a, b, out) ? PARALLEL_MIN_ELEMENTS : Long.MAX_VALUE;
    }

    static boolean shareable(MemorySegment a, MemorySegment b, MemorySegment out) {
        return Parallel.shareable(a, b, out);
    }

    static long grainRows(long cols) {
        return Math.max(1, PARALLEL_MIN_ELEMENTS / Math.max(1, cols));
    }

    static void checkLength(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + n);
        }
    }

    /** Leaves of the pairwise tree evaluated in parallel: a power of two covering the threads. */
    static int sumLeaves(long n) {
        if (n < 2 * PARALLEL_MIN_ELEMENTS || Parallel.getNumThreads() == 1) {
            return 1;
        }
        int leaves = 1;
        while (leaves < Parallel.getNumThreads() && leaves < 8) {
            leaves *= 2;
        }
        return leaves;
    }

    /** Range bounds of the top {@code log2(leaves)} levels of the same tree the serial sum uses. */
    static long[] sumBounds(long n, int leaves, boolean f32) {
        long[] bounds = new long[leaves + 1];
        bounds[leaves] = n;
        fillBounds(bounds, 0, leaves, 0, n, f32);
        return bounds;
    }

    private static void fillBounds(long[] bounds, int lo, int hi, long from, long to, boolean f32) {
        bounds[lo] = from;
        if (hi - lo == 1) {
            return;
        }
        long block = f32 ? ElementwiseF32.SUM_BLOCK : ElementwiseF64.SUM_BLOCK;
        long mid = to - from <= block ? to : (f32 ? ElementwiseF32.sumSplit(from, to) : ElementwiseF64.sumSplit(from, to));
        int half = lo + (hi - lo) / 2;
        fillBounds(bounds, lo, half, from, mid, f32);
        fillBounds(bounds, half, hi, mid, to, f32);
    }
}
