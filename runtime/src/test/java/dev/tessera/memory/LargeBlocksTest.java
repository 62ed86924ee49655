package dev.tessera.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
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
}
