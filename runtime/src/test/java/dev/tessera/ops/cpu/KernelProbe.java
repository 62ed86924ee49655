package dev.tessera.ops.cpu;

import dev.tessera.ops.cpu.VectorKernels.BinaryKind;
import dev.tessera.ops.cpu.VectorKernels.UnaryKind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Run in a child JVM by {@link JitHealthTest}: warms every kernel family, then prints
 * "gflops=X" for a 256^3 sgemm and "check K=V" lines of results that must not depend on the
 * vector/scalar path.
 */
public final class KernelProbe {
    public static void main(String[] args) {
        int n = 256;
        long elems = (long) n * n;
        Arena arena = Arena.ofShared();
        MemorySegment a = arena.allocate(elems * 4, 64), b = arena.allocate(elems * 4, 64), c = arena.allocate(elems * 4, 64);
        MemorySegment d = arena.allocate(elems * 8, 64);
        for (long i = 0; i < elems; i++) {
            a.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) ((i * 7 % 13) - 6) / 8f);
            b.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) ((i * 5 % 11) - 5) / 4f);
        }
        long deadline = System.nanoTime() + Long.parseLong(args.length > 0 ? args[0] : "3000") * 1_000_000L;
        double best = Double.MAX_VALUE;
        int reps = 0;
        while (reps < 40 || System.nanoTime() < deadline && reps < 4000) {
            long t = System.nanoTime();
            Gemm.sgemm(n, n, n, 1f, a, 0, n, 1, b, 0, n, 1, 0f, c, 0, n, 1);
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
            Gemm.sgemm(n, 64, n, 1f, a, 0, n, 1, b, 0, n, 1, 0f, c, 0, 64, 1); // few columns: microRows
            Gemm.sgemm(64, 100, n, 1f, a, 0, n, 1, b, 0, 1, n, 0f, c, 0, 100, 1); // transposed B: packColumns
            Gemm.dgemm(30, 30, 30, 1, d, 0, 30, 1, d, 0, 30, 1, 0, d, 900, 30, 1);
            for (BinaryKind k : BinaryKind.values()) VectorKernels.binaryF32(k, a, 0, b, 0, c, elems / 2, elems / 2 - 3);
            for (UnaryKind k : UnaryKind.values()) VectorKernels.unaryF32(k, a, 0, c, 0, 1001);
            VectorKernels.sumF32(a, 0, elems);
            VectorKernels.castF32ToF64(a, 0, d, 0, elems - 1);
            reps++;
        }
        System.out.println("gflops=" + (2.0 * n * n * n / best / 1e9));
        // Exact results (the vector and scalar paths must agree bit for bit on these).
        for (BinaryKind k : BinaryKind.values()) {
            VectorKernels.binaryF32(k, a, 0, b, 0, c, 0, elems - 5);
            System.out.println("check " + k + "=" + bits(c, elems - 5));
        }
        VectorKernels.unaryF32(UnaryKind.RELU, a, 0, c, 0, 1001);
        System.out.println("check RELU=" + bits(c, 1001));
        VectorKernels.castF32ToF64(a, 0, d, 0, 999);
        VectorKernels.castF64ToF32(d, 0, c, 0, 999);
        System.out.println("check CAST=" + bits(c, 999));
        System.out.println("check MAX=" + VectorKernels.maxF32(a, 0, elems - 1));
    }

    private static long bits(MemorySegment s, long n) {
        long h = 0;
        for (long i = 0; i < n; i++) h = h * 31 + Float.floatToRawIntBits(s.getAtIndex(ValueLayout.JAVA_FLOAT, i));
        return h;
    }
}
