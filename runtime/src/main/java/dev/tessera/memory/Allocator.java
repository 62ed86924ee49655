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
 * anything. Blocks of 64 KiB and more come from {@link LargeBlocks} (mmap, huge pages above 32 MB, pooled reuse).
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
     * dropped blocks back, blocks unmapped, and blocks handed back early through {@link #recycle}.
     * A steady loop should only reuse.
     */
    public record BlockCounters(long freshMappings, long pooledReuses, long collectionRequests, long unmappings, long recycled) {
        /** The counts accumulated between {@code earlier} and this. */
        public BlockCounters since(BlockCounters earlier) {
            return new BlockCounters(freshMappings - earlier.freshMappings, pooledReuses - earlier.pooledReuses,
                    collectionRequests - earlier.collectionRequests, unmappings - earlier.unmappings, recycled - earlier.recycled);
        }
    }

    /**
     * Tells the allocator that most tensors a step made have just become unreachable (autograd
     * calls it when a backward pass has released its graph): where the GC nudges are young
     * collections, a full one is done here if handles were promoted (see {@code GcNudge}).
     */
    public static void atQuiescentPoint() {
        if (LargeBlocks.AVAILABLE) LargeBlocks.atQuiescentPoint();
    }

    /**
     * Tells the allocator that a backward pass has started which ends with {@link #atQuiescentPoint}
     * (the caller guarantees that call, also when the pass fails): until then a young collection
     * that does not return a block of the size asked for maps a fresh one instead of collecting
     * fully, the quiescent point's full collection bringing those blocks back for the next step.
     */
    public static void quiescentPointAhead() {
        if (LargeBlocks.AVAILABLE) LargeBlocks.quiescentPointAhead();
    }

    /**
     * Tells the allocator that {@code zeroGrad(true)} has just dropped gradients of {@code bytes} in
     * all: the next backward pass allocates as many again. If a full collection ran since they were
     * made (it promoted their handles, and a young collection cannot find them once dropped), one
     * runs now, while few tensors are alive, so that backward finds their blocks in the pool
     * instead of collecting fully mid-pass or mapping a second set (see {@code GcNudge}).
     */
    public static void gradientsDropped(long bytes) {
        if (LargeBlocks.AVAILABLE && bytes >= LargeBlocks.THRESHOLD) LargeBlocks.gradientsDropped();
    }

    public static BlockCounters blockCounters() {
        long[] c = LargeBlocks.counters();
        return new BlockCounters(c[0], c[1], c[2], c[3], c[4]);
    }

    public static MemorySegment allocate(long bytes) {
        return allocate(bytes, true);
    }

    private static volatile boolean poisonRecycled = Boolean.getBoolean("tessera.poisonRecycled");

    /**
     * Returns a GC-owned large block from {@link #allocate} to the pool now instead of when it is
     * unreachable; the caller guarantees nothing reads or writes {@code block} again (autograd does
     * this for gradient buffers it alone holds). Returns false for memory this cannot take back
     * early (small allocations, scoped or foreign memory); that memory is released as before.
     * With {@link #poisonRecycled} on, the block is filled with NaN bits and left to the GC instead,
     * so that a reader the caller overlooked sees NaN rather than another tensor's data.
     */
    public static boolean recycle(MemorySegment block) {
        java.util.Objects.requireNonNull(block, "recycle: block is null");
        if (poisonRecycled) {
            block.fill((byte) 0xFF);
            return false;
        }
        return LargeBlocks.AVAILABLE && LargeBlocks.recycle(block.address());
    }

    /**
     * For tests and debugging of early release (also {@code -Dtessera.poisonRecycled=true}):
     * {@link #recycle} poisons blocks with NaN bits instead of reusing them.
     */
    public static void poisonRecycled(boolean on) { poisonRecycled = on; }

    public static boolean poisonRecycled() { return poisonRecycled; }

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
