package dev.tessera.ops.cpu;

/**
 * Walks a strided iteration space of up to three operands as a sequence of innermost rows, so the
 * kernel called per row can run vectorised when that row is contiguous. Rows are split across
 * {@link Parallel} when the whole space is large.
 */
final class StridedLoop {
    /** One innermost row: element offsets of its start and strides along it. */
    interface Row {
        void run(long aOff, long bOff, long outOff, long n, long aStride, long bStride, long outStride);
    }

    private final long[] shape;
    private final long[] as;
    private final long[] bs;
    private final long[] os;
    private final boolean parallel;

    StridedLoop(long[] shape, long[] aStrides, long[] bStrides, long[] outStrides, boolean parallel) {
        int rank = shape.length;
        if (aStrides.length != rank || bStrides.length != rank || outStrides.length != rank) {
            throw new IllegalArgumentException("shape has rank " + rank + " but strides have lengths "
                    + aStrides.length + ", " + bStrides.length + ", " + outStrides.length);
        }
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + java.util.Arrays.toString(shape));
            }
        }
        this.shape = shape;
        this.as = aStrides;
        this.bs = bStrides;
        this.os = outStrides;
        this.parallel = parallel;
    }

    void run(Row row) {
        int rank = shape.length;
        if (rank == 0) {
            row.run(0, 0, 0, 1, 0, 0, 0);
            return;
        }
        long inner = shape[rank - 1];
        long outer = 1;
        for (int d = 0; d < rank - 1; d++) {
            outer *= shape[d];
        }
        if (inner == 0 || outer == 0) {
            return;
        }
        long ia = as[rank - 1];
        long ib = bs[rank - 1];
        long io = os[rank - 1];
        Parallel.parallelFor(outer, parallel ? VectorKernels.grainRows(inner) : Long.MAX_VALUE, (from, to) -> {
            for (long r = from; r < to; r++) {
                long ao = 0;
                long bo = 0;
                long oo = 0;
                long rest = r;
                for (int d = rank - 2; d >= 0; d--) {
                    long idx = rest % shape[d];
                    rest /= shape[d];
                    ao += idx * as[d];
                    bo += idx * bs[d];
                    oo += idx * os[d];
                }
                row.run(ao, bo, oo, inner, ia, ib, io);
            }
        });
    }
}
