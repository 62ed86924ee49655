package dev.tessera.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Allocates tensor storage: 64-byte aligned (a cache line and an AVX-512 vector), zero-filled.
 *
 * <p>Ownership: inside a {@link MemoryScope} the scope owns the memory and frees it on close.
 * Otherwise each allocation gets its own automatic arena, so the memory is freed once the
 * segment becomes unreachable. Allocations are reserved against the JVM's direct-memory limit
 * ({@code -XX:MaxDirectMemorySize}, by default the heap size), and reaching that limit triggers a
 * collection, so a loop that drops large tensors runs in bounded memory without the user closing
 * anything. Blocks of 128 KiB and more come from {@link LargeBlocks} (mmap, huge pages above 32 MB, pooled reuse).
 */
public final class Allocator {
    public static final long ALIGNMENT = 64;

    private Allocator() {}

    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    /**
     * Runs {@code release} once {@code owner} is unreachable (for resources such as file mappings
     * that have no automatic arena). {@code release} must not reference {@code owner}.
     */
    public static void releaseWhenUnreachable(Object owner, Runnable release) {
        CLEANER.register(owner, release);
    }

    /**
     * Counts since the JVM started of what large-block allocations cost: blocks freshly mapped (each
     * page faults in on first touch), blocks reused from the pool, collections requested to get
     * dropped blocks back, and blocks unmapped. A steady loop should only reuse.
     */
    public record BlockCounters(long freshMappings, long pooledReuses, long collectionRequests, long unmappings) {
        /** The counts accumulated between {@code earlier} and this. */
        public BlockCounters since(BlockCounters earlier) {
            return new BlockCounters(freshMappings - earlier.freshMappings, pooledReuses - earlier.pooledReuses,
                    collectionRequests - earlier.collectionRequests, unmappings - earlier.unmappings);
        }
    }

    public static BlockCounters blockCounters() {
        long[] c = LargeBlocks.counters();
        return new BlockCounters(c[0], c[1], c[2], c[3]);
    }

    public static MemorySegment allocate(long bytes) {
        return allocate(bytes, true);
    }

    /**
     * As {@link #allocate(long)}; with {@code zeroed == false} the contents are unspecified (for
     * kernel outputs that write every element), which lets reused large blocks skip the fill.
     */
    public static MemorySegment allocate(long bytes, boolean zeroed) {
        if (bytes < 0) throw new IllegalArgumentException("negative allocation size: " + bytes);
        MemoryScope scope = MemoryScope.current();
        if (scope != null) {
            scope.recordAllocation(bytes);
            if (bytes >= LargeBlocks.THRESHOLD && LargeBlocks.AVAILABLE) return LargeBlocks.allocate(bytes, zeroed, scope.arena());
            return scope.arena().allocate(Math.max(bytes, 1), ALIGNMENT);
        }
        if (bytes >= LargeBlocks.THRESHOLD && LargeBlocks.AVAILABLE) return LargeBlocks.allocate(bytes, zeroed);
        return Arena.ofAuto().allocate(Math.max(bytes, 1), ALIGNMENT);
    }
}
