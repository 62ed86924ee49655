package dev.tessera.bench;

import dev.tessera.ops.cpu.Parallel;
import dev.tessera.ops.cpu.VectorKernels;
import dev.tessera.ops.cpu.VectorKernels.BinaryKind;
import dev.tessera.ops.cpu.VectorKernels.UnaryKind;
import java.lang.foreign.MemorySegment;

/** Row softmax composed from kernels (max, subtract, exp, sum, scale), rows split across the pool. */
final class Softmax {
    private Softmax() {}

    static void rowsF32(MemorySegment in, MemorySegment out, long rows, long cols) {
        Parallel.parallelFor(rows, Math.max(1, VectorKernels.PARALLEL_MIN_ELEMENTS / cols), (from, to) -> {
            for (long r = from; r < to; r++) {
                long off = r * cols;
                float max = VectorKernels.maxF32(in, off, cols);
                VectorKernels.binaryScalarF32(BinaryKind.SUB, in, off, max, out, off, cols);
                VectorKernels.unaryF32(UnaryKind.EXP, out, off, out, off, cols);
                float sum = VectorKernels.sumF32(out, off, cols);
                VectorKernels.binaryScalarF32(BinaryKind.MUL, out, off, 1f / sum, out, off, cols);
            }
        });
    }
}
