package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * General matrix multiply: {@code C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C}.
 *
 * <p>Every matrix is a base segment, an element offset, and row and column strides in elements,
 * so a transposed operand is just swapped strides and needs no copy. When {@code beta == 0}, C is
 * not read (NaN or garbage there does not leak into the result), as in BLAS. Batched matmul is a
 * loop over this call with per-batch offsets; each call uses the whole worker pool.
 */
public final class Gemm {
    private Gemm() {}

    public static void sgemm(int m, int n, int k, float alpha, MemorySegment a, long aOff, long aRowStride,
            long aColStride, MemorySegment b, long bOff, long bRowStride, long bColStride, float beta,
            MemorySegment c, long cOff, long cRowStride, long cColStride) {
        check(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, cRowStride,
                cColStride, Float.BYTES);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scaleF32(m, n, beta, c, cOff, cRowStride, cColStride);
            return;
        }
        Sgemm.gemm(m, n, k, alpha, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, beta, c,
                cOff, cRowStride, cColStride);
    }

    public static void dgemm(int m, int n, int k, double alpha, MemorySegment a, long aOff, long aRowStride,
            long aColStride, MemorySegment b, long bOff, long bRowStride, long bColStride, double beta,
            MemorySegment c, long cOff, long cRowStride, long cColStride) {
        check(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, cRowStride,
                cColStride, Double.BYTES);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0.0) {
            scaleF64(m, n, beta, c, cOff, cRowStride, cColStride);
            return;
        }
        Dgemm.gemm(m, n, k, alpha, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, beta, c,
                cOff, cRowStride, cColStride);
    }

    private static void scaleF32(int m, int n, float beta, MemorySegment c, long off, long rs, long cs) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long at = off + i * rs + j * cs;
                c.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, at,
                        beta == 0f ? 0f : beta * c.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, at));
            }
        }
    }

    private static void scaleF64(int m, int n, double beta, MemorySegment c, long off, long rs, long cs) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long at = off + i * rs + j * cs;
                c.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, at,
                        beta == 0.0 ? 0.0 : beta * c.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, at));
            }
        }
    }

    /** Validates sizes and that every addressed element lies inside its segment, before any work. */
    private static void check(int m, int n, int k, MemorySegment a, long aOff, long aRs, long aCs, MemorySegment b,
            long bOff, long bRs, long bCs, MemorySegment c, long cOff, long cRs, long cCs, int elementBytes) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        checkSpan("C", c, cOff, m, n, cRs, cCs, elementBytes);
        if (k == 0) {
            return;
        }
        checkSpan("A", a, aOff, m, k, aRs, aCs, elementBytes);
        checkSpan("B", b, bOff, k, n, bRs, bCs, elementBytes);
    }

    private static void checkSpan(String name, MemorySegment s, long off, int rows, int cols, long rs, long cs,
            int elementBytes) {
        if (s == null) {
            throw new IllegalArgumentException("gemm operand " + name + " is null");
        }
        if (off < 0) {
            throw new IllegalArgumentException("gemm operand " + name + " has negative offset " + off);
        }
        long lo = off + Math.min(0, (rows - 1) * rs) + Math.min(0, (cols - 1) * cs);
        long hi = off + Math.max(0, (rows - 1) * rs) + Math.max(0, (cols - 1) * cs);
        if (lo < 0 || (hi + 1) * elementBytes > s.byteSize()) {
            throw new IllegalArgumentException("gemm operand " + name + " [" + rows + " x " + cols + "] with offset "
                    + off + " and strides (" + rs + ", " + cs + ") reaches element " + hi + " outside a segment of "
                    + s.byteSize() / elementBytes + " elements");
        }
    }
}
