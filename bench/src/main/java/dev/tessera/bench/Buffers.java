package dev.tessera.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** 64-byte aligned float32 buffers in a shared arena (shared so that the worker pool may read them). */
final class Buffers {
    private Buffers() {}

    static MemorySegment randomF32(Arena arena, long n, long seed) {
        MemorySegment s = arena.allocate(n * Float.BYTES, 64);
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < n; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (r.nextDouble() * 2 - 1));
        }
        return s;
    }
}
