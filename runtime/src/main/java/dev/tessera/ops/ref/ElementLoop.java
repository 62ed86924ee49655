package dev.tessera.ops.ref;

import dev.tessera.ops.Strided;

/**
 * Visits every element of equally shaped strided operands in row-major order and hands the body
 * each operand's byte offset. The reference backend's only loop construct: simple, general, slow.
 */
final class ElementLoop {
    private ElementLoop() {}

    interface Body1 { void at(long o0); }

    interface Body2 { void at(long o0, long o1); }

    interface Body3 { void at(long o0, long o1, long o2); }

    interface Body4 { void at(long o0, long o1, long o2, long o3); }

    static void run(Strided a, Body1 body) {
        walk(a.shape(), new Strided[]{a}, o -> body.at(o[0]));
    }

    static void run(Strided a, Strided b, Body2 body) {
        walk(a.shape(), new Strided[]{a, b}, o -> body.at(o[0], o[1]));
    }

    static void run(Strided a, Strided b, Strided c, Body3 body) {
        walk(a.shape(), new Strided[]{a, b, c}, o -> body.at(o[0], o[1], o[2]));
    }

    static void run(Strided a, Strided b, Strided c, Strided d, Body4 body) {
        walk(a.shape(), new Strided[]{a, b, c, d}, o -> body.at(o[0], o[1], o[2], o[3]));
    }

    interface BodyN { void at(long[] offsets); }

    /** Any number of operands: the body gets every operand's byte offset, in the operands' order. */
    static void runAll(Strided[] ops, BodyN body) {
        walk(ops[0].shape(), ops, body);
    }

    private static void walk(long[] shape, Strided[] ops, BodyN body) {
        int rank = shape.length;
        int n = ops.length;
        for (long d : shape) if (d == 0) return;
        long[] offsets = new long[n];
        long[][] byteStrides = new long[n][rank];
        for (int k = 0; k < n; k++) {
            int size = ops[k].dtype().byteSize();
            offsets[k] = ops[k].offset() * size;
            for (int i = 0; i < rank; i++) byteStrides[k][i] = ops[k].strides()[i] * size;
        }
        if (rank == 0) {
            body.at(offsets);
            return;
        }
        long[] index = new long[rank];
        long inner = shape[rank - 1];
        while (true) {
            long[] cur = offsets.clone();
            for (long j = 0; j < inner; j++) {
                body.at(cur);
                for (int k = 0; k < n; k++) cur[k] += byteStrides[k][rank - 1];
            }
            // advance the outer index like an odometer
            int dim = rank - 2;
            while (dim >= 0) {
                index[dim]++;
                for (int k = 0; k < n; k++) offsets[k] += byteStrides[k][dim];
                if (index[dim] < shape[dim]) break;
                for (int k = 0; k < n; k++) offsets[k] -= byteStrides[k][dim] * shape[dim];
                index[dim] = 0;
                dim--;
            }
            if (dim < 0) return;
        }
    }
}
