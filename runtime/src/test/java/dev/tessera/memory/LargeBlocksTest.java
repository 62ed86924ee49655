package dev.tessera.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The large-block pool: scoped blocks come back at close and are reused, zeroed when asked. */
class LargeBlocksTest {
    @Test
    void scopedBlocksReturnAtCloseAndAreReusedZeroed() {
        Assumptions.assumeTrue(LargeBlocks.AVAILABLE, "mmap-backed blocks are not available on this platform");
        long bytes = 3L << 20;
        MemorySegment first;
        try (MemoryScope s = MemoryScope.open()) {
            first = Allocator.allocate(bytes, false);
            first.fill((byte) 7);
        }
        assertThrows(IllegalStateException.class, () -> first.get(ValueLayout.JAVA_BYTE, 0));
        long before = LargeBlocks.reservedBytes();
        try (MemoryScope s = MemoryScope.open()) {
            MemorySegment again = Allocator.allocate(bytes, true);
            // the same-size block came from the pool (nothing new mapped; the cleaner thread may only
            // have unmapped others meanwhile) and was zero-filled
            assertTrue(LargeBlocks.reservedBytes() <= before, "a new block was mapped instead of reusing the pooled one");
            assertEquals(0, again.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(0, again.get(ValueLayout.JAVA_BYTE, bytes - 1));
            assertEquals(bytes, again.byteSize());
            assertTrue(again.address() % Allocator.ALIGNMENT == 0);
        }
    }

    @Test
    void fullPoolEvictsItsOldestBlocksForNewSizes() {
        Assumptions.assumeTrue(LargeBlocks.AVAILABLE, "mmap-backed blocks are not available on this platform");
        long limit = LargeBlocks.poolLimit();
        // phase one fills the pool with 64 MB blocks, phase two releases as much in 2 MB blocks
        // (neither is ever touched, so they cost address space, not RAM)
        for (long size : new long[] {64L << 20, 2L << 20}) {
            try (MemoryScope s = MemoryScope.open()) {
                for (long i = 0; i <= limit / size; i++) Allocator.allocate(size, false);
            }
            assertTrue(LargeBlocks.pooledBytes() <= limit, "pool over its limit");
        }
        // the earlier phase's blocks gave way to the current size
        assertTrue(LargeBlocks.pooledBytes(2L << 20) >= limit - (64L << 20),
                "only " + LargeBlocks.pooledBytes(2L << 20) + " bytes of 2 MB blocks pooled; limit " + limit);
    }

    @Test
    void freshBlocksAreZeroAndAligned() {
        Assumptions.assumeTrue(LargeBlocks.AVAILABLE, "mmap-backed blocks are not available on this platform");
        MemorySegment m = Allocator.allocate((5L << 20) + 3);
        assertEquals((5L << 20) + 3, m.byteSize());
        assertEquals(0, m.get(ValueLayout.JAVA_BYTE, (5L << 20) + 2));
        assertTrue(m.address() % Allocator.ALIGNMENT == 0);
    }

    @Test
    void recycledBlockIsReusedAtOnceAndItsLateCleanupLeavesTheNextOwnerAlone() throws InterruptedException {
        Assumptions.assumeTrue(LargeBlocks.AVAILABLE, "mmap-backed blocks are not available on this platform");
        boolean poison = Allocator.poisonRecycled();
        Allocator.poisonRecycled(false);
        try {
            long bytes = (11L << 20) + (320L << 10); // a whole number of granules no other test allocates
            MemorySegment first = Allocator.allocate(bytes, false);
            long address = first.address();
            WeakReference<MemorySegment> firstRef = new WeakReference<>(first);
            long recycledBefore = Allocator.blockCounters().recycled();
            assertTrue(Allocator.recycle(first));
            assertFalse(Allocator.recycle(first), "a block went back twice");
            assertEquals(1, Allocator.blockCounters().recycled() - recycledBefore);
            MemorySegment second = Allocator.allocate(bytes, false);
            assertEquals(address, second.address(), "the recycled block was not the one reused");
            first = null;
            // the first allocation's arena becomes unreachable: its cleanup must see that the block
            // went back already and now belongs to `second` (it once matched second's token by value)
            for (int i = 0; i < 200 && firstRef.get() != null; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertNull(firstRef.get(), "the first segment was never collected");
            Thread.sleep(200); // the cleaner thread runs the cleanup after the collection
            assertEquals(0, LargeBlocks.pooledBytes(bytes), "the block was pooled while `second` still uses it");
            Reference.reachabilityFence(second);
        } finally {
            Allocator.poisonRecycled(poison);
        }
    }

    @Test
    void onlyGcOwnedLargeBlocksCanBeRecycled() {
        Assumptions.assumeTrue(LargeBlocks.AVAILABLE, "mmap-backed blocks are not available on this platform");
        boolean poison = Allocator.poisonRecycled();
        Allocator.poisonRecycled(false);
        try {
            try (MemoryScope s = MemoryScope.open()) {
                assertFalse(Allocator.recycle(Allocator.allocate(3L << 20, false)), "a scope's block must wait for the scope");
            }
            assertFalse(Allocator.recycle(Allocator.allocate(1024, false)), "small allocations are not pooled");
            MemorySegment block = Allocator.allocate(4L << 20, false);
            assertFalse(Allocator.recycle(block.asSlice(64)), "an address inside a block is not a block");
            assertTrue(Allocator.recycle(block));
        } finally {
            Allocator.poisonRecycled(poison);
        }
    }

    @Test
    void poisonedRecyclingFillsWithNanAndLeavesTheBlockToTheCollector() {
        boolean poison = Allocator.poisonRecycled();
        Allocator.poisonRecycled(true);
        try {
            MemorySegment block = Allocator.allocate(2L << 20, true);
            assertFalse(Allocator.recycle(block));
            assertTrue(Float.isNaN(block.get(ValueLayout.JAVA_FLOAT, 0)));
            assertTrue(Double.isNaN(block.get(ValueLayout.JAVA_DOUBLE, (2L << 20) - 8)));
        } finally {
            Allocator.poisonRecycled(poison);
        }
    }
}
