package dev.tessera.ops.cuda;

import dev.tessera.DType;
import dev.tessera.ops.Strided;

/**
 * Row-major batched products on cuBLAS, which is column-major: a row-major C = A B is the
 * column-major C^T = B^T A^T, so B goes in cuBLAS's first operand slot and A in the second, with
 * no data moved. A row-major matrix with unit column stride is its own transpose read
 * column-major ({@code N}); one with unit row stride (a transposed view) is {@code T}. Operands
 * with neither (or a leading dimension cuBLAS rejects) are copied to contiguous memory first;
 * batch strides pass through (0 for a broadcast operand).
 */
final class CudaMatmul {
    private final CudaBackend be;

    CudaMatmul(CudaBackend be) { this.be = be; }

    /** out [B, M, N] = a [B, M, K] @ b [B, K, N]. */
    void bmm(Strided out, Strided a, Strided b) {
        DType t = out.dtype();
        if (t != DType.FLOAT32 && t != DType.FLOAT64) {
            throw new UnsupportedOperationException("\"addmm_cuda\" not implemented for '" + dev.tessera.ops.Dispatcher.typeName(t) + "'");
        }
        if (a.dtype() != t || b.dtype() != t) {
            throw new IllegalArgumentException("expected scalar type " + dev.tessera.ops.Dispatcher.typeName(t) + " for matmul on "
                    + be.device() + ", got " + a.dtype() + " and " + b.dtype());
        }
        gemm(out, a, b, 0.0);
    }

    /** out = a @ b + beta * out over [B, rows, cols] views (any strides); beta 0 does not read out. */
    void gemm(Strided out, Strided a, Strided b, double beta) {
        long batch = out.shape()[0], m = out.shape()[1], n = out.shape()[2], k = a.shape()[2];
        if (batch == 0 || m == 0 || n == 0) return;
        if (k == 0) {
            if (beta == 0) be.fill(out, 0.0);
            return;
        }
        try (CudaBackend.Scratch s = be.new Scratch()) {
            // C^T (n x m, column-major) must be out itself: unit column stride, rows at least n apart
            Layout c = Layout.of(m, n, out.strides()[1], out.strides()[2], false);
            Strided dst = out;
            if (c == null || c.trans || batch > 1 && out.strides()[0] == 0) {
                dst = s.tensor(out.dtype(), out.shape());
                if (beta != 0) be.copy(dst, out);
                c = Layout.of(m, n, n, 1, false);
            }
            Strided bb = b, aa = a;
            Layout lb = Layout.of(k, n, b.strides()[1], b.strides()[2], true);
            if (lb == null) { bb = s.as(b, b.dtype()); lb = Layout.of(k, n, n, 1, true); }
            Layout la = Layout.of(m, k, a.strides()[1], a.strides()[2], true);
            if (la == null) { aa = s.as(a, a.dtype()); la = Layout.of(m, k, k, 1, true); }
            long sa = batch == 1 ? 0 : aa.strides()[0], sb = batch == 1 ? 0 : bb.strides()[0], sc = batch == 1 ? 0 : dst.strides()[0];
            be.rt.gemm(out.dtype(), lb.trans, la.trans, Math.toIntExact(n), Math.toIntExact(m), Math.toIntExact(k), 1.0,
                    CudaBackend.at(bb), lb.ld, sb, CudaBackend.at(aa), la.ld, sa, beta, CudaBackend.at(dst), c.ld, sc,
                    Math.toIntExact(batch));
            if (dst != out) be.copy(out, dst);
        }
    }

    /**
     * How a row-major [rows, cols] matrix with strides (rs, cs) reads as the column-major
     * [cols, rows] matrix cuBLAS wants: as stored ({@code N}, ld = rs) when cs is 1, as a transpose
     * ({@code T}, ld = cs) when rs is 1 and {@code mayTranspose}; null when neither fits. Strides of
     * size-1 dims are free, as cuBLAS only needs ld >= max(1, leading size).
     */
    record Layout(boolean trans, int ld) {
        static Layout of(long rows, long cols, long rs, long cs, boolean mayTranspose) {
            long nRs = rows == 1 ? Math.max(1, cols) : rs, nCs = cols == 1 ? 1 : cs;
            if (nCs == 1 && nRs >= Math.max(1, cols) && nRs <= Integer.MAX_VALUE) return new Layout(false, (int) nRs);
            if (!mayTranspose) return null;
            long tRs = rows == 1 ? 1 : rs, tCs = cols == 1 ? Math.max(1, rows) : cs;
            if (tRs == 1 && tCs >= Math.max(1, rows) && tCs <= Integer.MAX_VALUE) return new Layout(true, (int) tCs);
            return null;
        }
    }
}
