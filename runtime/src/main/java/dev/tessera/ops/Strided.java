package dev.tessera.ops;

import dev.tessera.DType;
import java.lang.foreign.MemorySegment;

/**
 * What a backend sees of a tensor operand: memory, dtype, and a strided layout in elements.
 * Broadcasting has already been applied (stride 0 on expanded dims), so every operand of one
 * kernel call has the same shape.
 */
public record Strided(MemorySegment segment, DType dtype, long offset, long[] shape, long[] strides) {
    public int rank() { return shape.length; }

    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** True when the elements are dense and in row-major order starting at offset. */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** Byte offset of element (row-major logical position) {@code flat}. */
    public long byteOffsetOf(long flat) {
        long off = offset;
        for (int i = shape.length - 1; i >= 0; i--) {
            long d = shape[i];
            if (d == 0) return offset * dtype.byteSize();
            off += (flat % d) * strides[i];
            flat /= d;
        }
        return off * dtype.byteSize();
    }
}
