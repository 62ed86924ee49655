package dev.tessera.ops.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The caching allocator's bookkeeping against a fake device of fixed capacity. */
class CachingAllocatorTest {
    static final long KiB = 1024, MiB = 1024 * 1024;

    /** A device with a capacity: hands out disjoint address ranges, checks every free. */
    static final class FakeDevice implements RawDeviceMemory {
        final long capacity;
        final TreeMap<Long, Long> live = new TreeMap<>();
        long used, next = 0x7f00_0000_0000L, mallocs, frees, failures;

        FakeDevice(long capacity) { this.capacity = capacity; }

        @Override
        public synchronized long malloc(long bytes) {
            if (used + bytes > capacity) {
                failures++;
                return 0;
            }
            long p = next;
            next += bytes + 4096; // a gap, so a block overrunning its segment would land outside any
            live.put(p, bytes);
            used += bytes;
            mallocs++;
            return p;
        }

        @Override
        public synchronized void free(long pointer) {
            Long size = live.remove(pointer);
            if (size == null) throw new AssertionError("free of a pointer the device did not hand out: " + pointer);
            used -= size;
            frees++;
        }
    }

    @Test
    void smallRequestsRoundTo512AndShareA2MiBSegment() {
        FakeDevice dev = new FakeDevice(1L << 40);
        CachingAllocator a = new CachingAllocator(dev, "GPU 0");
        long p = a.allocate(1);
        assertEquals(512, a.memoryAllocated());
        assertEquals(2 * MiB, a.memoryReserved());
        long q = a.allocate(513);
        assertEquals(512 + 1024, a.memoryAllocated());
        long r = a.allocate(MiB); // the largest small request still fits the same 2 MiB segment
        assertEquals(1, dev.mallocs);
        assertEquals(p + 512, q);
        assertEquals(q + 1024, r);
        assertEquals(2 * MiB, a.memoryReserved());
        assertEquals(0, a.allocate(0));
        a.free(0);
        checkInvariants(a, dev);
    }

    @Test
    void largeRequestsUse20MiBSegmentsBelow10MiBAndRoundTo2MiBAbove() {
        FakeDevice dev = new FakeDevice(1L << 40);
        CachingAllocator a = new CachingAllocator(dev, "GPU 0");
        a.allocate(MiB + 1);
        assertEquals(20 * MiB, a.memoryReserved());
        assertEquals(MiB + 512, a.memoryAllocated());
        a.allocate(3 * MiB); // carved from the same 20 MiB segment's remainder
        assertEquals(20 * MiB, a.memoryReserved());
        a.allocate(11 * MiB); // still fits the segment's rest (16 MiB - 512)
        assertEquals(20 * MiB, a.memoryReserved());
        a.allocate(11 * MiB); // rest is 5 MiB: a new segment of 12 MiB (11 MiB rounded to 2 MiB)
        assertEquals(32 * MiB, a.memoryReserved());
        assertEquals(2, dev.mallocs);
        checkInvariants(a, dev);
    }

    @Test
    void freeingMergesNeighboursBackIntoTheWholeSegment() {
        FakeDevice dev = new FakeDevice(1L << 40);
        CachingAllocator a = new CachingAllocator(dev, "GPU 0");
        long x = a.allocate(100 * KiB), y = a.allocate(200 * KiB), z = a.allocate(300 * KiB);
        assertEquals(1, a.snapshot().size());
        a.free(y); // a hole between two allocated blocks
        assertEquals(List.of(true, false, true, false), allocatedFlags(a));
        a.free(x); // merges with the hole on its right
        assertEquals(List.of(false, true, false), allocatedFlags(a));
        a.free(z); // merges both sides: one free block spanning the segment
        List<CachingAllocator.SegmentInfo> s = a.snapshot();
        assertEquals(1, s.getFirst().blocks().size());
        assertEquals(new CachingAllocator.BlockInfo(s.getFirst().base(), 2 * MiB, false), s.getFirst().blocks().getFirst());
        assertEquals(0, a.memoryAllocated());
        assertEquals(2 * MiB, a.memoryReserved()); // cached, not returned
        assertEquals(0, dev.frees);
        a.emptyCache();
        assertEquals(0, a.memoryReserved());
        assertEquals(0, dev.used);
        assertEquals(1, dev.frees);
        assertTrue(a.snapshot().isEmpty());
    }

    @Test
    void bestFitPicksTheSmallestFreeBlockThatFits() {
        FakeDevice dev = new FakeDevice(1L << 40);
        CachingAllocator a = new CachingAllocator(dev, "GPU 0");
        long[] p = new long[6];
        long[] sizes = {16 * KiB, 4 * KiB, 8 * KiB, 4 * KiB, 12 * KiB, 4 * KiB};
        for (int i = 0; i < p.length; i++) p[i] = a.allocate(sizes[i]);
        a.free(p[0]); // 16 KiB hole
        a.free(p[2]); // 8 KiB hole
        a.free(p[4]); // 12 KiB hole
        assertEquals(p[2], a.allocate(6 * KiB), "the 8 KiB hole is the best fit for 6 KiB");
        assertEquals(p[4], a.allocate(9 * KiB), "then the 12 KiB hole for 9 KiB");
        checkInvariants(a, dev);
    }

    @Test
    void reuseAvoidsTheDevice() {
        FakeDevice dev = new FakeDevice(1L << 40);
        CachingAllocator a = new CachingAllocator(dev, "GPU 0");
        for (int i = 0; i < 1000; i++) a.free(a.allocate(64 * MiB));
        assertEquals(1, dev.mallocs, "a freed 64 MiB block is reused, not reallocated");
        assertEquals(64 * MiB, a.memoryReserved());
        assertEquals(64 * MiB, a.maxMemoryAllocated());
    }

    @Test
    void outOfMemoryReleasesTheCacheAndRetries() {
        FakeDevice dev = new FakeDevice(24 * MiB);
        CachingAllocator a = new CachingAllocator(dev, "GPU 0");
        a.free(a.allocate(3 * MiB)); // a cached 20 MiB segment
        a.free(a.allocate(512 * KiB)); // and a cached 2 MiB one: 22 MiB reserved, nothing allocated
        assertEquals(22 * MiB, a.memoryReserved());
        long p = a.allocate(21 * MiB); // needs a 22 MiB segment: the device refuses, the cache goes, the retry succeeds
        assertNotEquals(0, p);
        assertEquals(1, dev.failures);
        assertEquals(22 * MiB, a.memoryReserved());
        assertEquals(22 * MiB, dev.used);
        checkInvariants(a, dev);
    }

    @Test
    void outOfMemoryAfterTheRetryIsAClearError() {
        FakeDevice dev = new FakeDevice(24 * MiB);
        CachingAllocator a = new CachingAllocator(dev, "GPU 0");
        a.allocate(11 * MiB); // a 12 MiB segment whose 1 MiB rest is too small to split off: 12 MiB allocated
        a.free(a.allocate(100)); // a cached small segment that the retry releases
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> a.allocate(13 * MiB));
        assertTrue(e.getMessage().startsWith("CUDA out of memory. Tried to allocate 13.00 MiB (GPU 0; 12.00 MiB already allocated; "
                + "12.00 MiB reserved in total by Tessera"), e.getMessage());
        assertEquals(13 * MiB, e.requested());
        assertEquals(2, dev.failures); // first try and the retry
        assertEquals(12 * MiB, a.memoryReserved()); // the cached 2 MiB segment went back
        checkInvariants(a, dev);
        assertEquals("1.50 KiB", CachingAllocator.formatSize(1536));
        assertEquals("1024 bytes", CachingAllocator.formatSize(1024));
        assertEquals("2.00 GiB", CachingAllocator.formatSize(2L << 30));
    }

    @Test
    void badPointersAndSizesAreRejected() {
        CachingAllocator a = new CachingAllocator(new FakeDevice(1L << 30), "GPU 0");
        long p = a.allocate(10);
        a.free(p);
        var e = assertThrows(IllegalArgumentException.class, () -> a.free(p));
        assertTrue(e.getMessage().contains(Long.toHexString(p)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.free(p + 512));
        assertThrows(IllegalArgumentException.class, () -> a.allocate(-1));
    }

    @Test
    void randomAllocationsKeepTheBookkeepingExact() {
        Random rnd = new Random(12345);
        FakeDevice dev = new FakeDevice(400 * MiB);
        CachingAllocator a = new CachingAllocator(dev, "GPU 0");
        Map<Long, Long> mine = new HashMap<>(); // pointer -> requested bytes
        int ooms = 0;
        for (int step = 0; step < 4000; step++) {
            if (!mine.isEmpty() && rnd.nextInt(100) < 45) {
                long p = new ArrayList<>(mine.keySet()).get(rnd.nextInt(mine.size()));
                mine.remove(p);
                a.free(p);
            } else if (rnd.nextInt(200) == 0) {
                a.emptyCache();
            } else {
                long bytes = switch (rnd.nextInt(4)) {
                    case 0 -> 1 + rnd.nextInt(4096);
                    case 1 -> 1 + rnd.nextInt((int) MiB);
                    case 2 -> MiB + rnd.nextInt((int) (9 * MiB));
                    default -> rnd.nextInt((int) (40 * MiB));
                };
                try {
                    long p = a.allocate(bytes);
                    if (p != 0) mine.put(p, bytes);
                } catch (DeviceOutOfMemoryException e) {
                    ooms++;
                    assertTrue(e.getMessage().contains("Tried to allocate " + CachingAllocator.formatSize(bytes)), e.getMessage());
                }
            }
            long expected = 0;
            for (long b : mine.values()) expected += CachingAllocator.roundSize(b);
            // a large block keeps a remainder of <= 1 MiB unsplit, so allocated can exceed the rounded sum
            assertTrue(a.memoryAllocated() >= expected && a.memoryAllocated() <= expected + mine.size() * MiB, "step " + step);
            if (step % 20 == 0) {
                checkInvariants(a, dev);
                Map<Long, Long> blocks = new HashMap<>();
                for (var s : a.snapshot()) for (var b : s.blocks()) if (b.allocated()) blocks.put(b.ptr(), b.size());
                assertEquals(mine.keySet(), blocks.keySet(), "allocated blocks are exactly the live pointers");
                for (var e : mine.entrySet()) {
                    long need = CachingAllocator.roundSize(e.getValue()), got = blocks.get(e.getKey());
                    assertTrue(got == need || (need > MiB && got - need <= MiB), "block of " + got + " for " + need);
                }
            }
        }
        assertTrue(ooms > 0, "the run must reach the out-of-memory path");
        for (long p : mine.keySet()) a.free(p);
        checkInvariants(a, dev);
        a.emptyCache();
        assertEquals(0, a.memoryReserved());
        assertEquals(0, dev.used);
        assertEquals(dev.mallocs, dev.frees);
    }

    @Test
    void concurrentUseKeepsTheBookkeepingExact() throws Exception {
        FakeDevice dev = new FakeDevice(1L << 40);
        CachingAllocator a = new CachingAllocator(dev, "GPU 0");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                fs.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    List<Long> held = new ArrayList<>();
                    for (int i = 0; i < 3000; i++) {
                        if (!held.isEmpty() && rnd.nextBoolean()) a.free(held.remove(rnd.nextInt(held.size())));
                        else held.add(a.allocate(1 + rnd.nextInt((int) (3 * MiB))));
                    }
                    held.forEach(a::free);
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdown();
        }
        assertEquals(0, a.memoryAllocated());
        checkInvariants(a, dev);
        a.emptyCache();
        assertEquals(0, dev.used);
    }

    private static List<Boolean> allocatedFlags(CachingAllocator a) {
        return a.snapshot().getFirst().blocks().stream().map(CachingAllocator.BlockInfo::allocated).toList();
    }

    /**
     * Segments are exactly the device's live ranges; each segment's blocks tile it without gaps or
     * overlap; no two free blocks are adjacent (merging happened); the counters are the sums.
     */
    static void checkInvariants(CachingAllocator a, FakeDevice dev) {
        long reserved = 0, allocated = 0;
        Map<Long, Long> segs = new TreeMap<>();
        for (var s : a.snapshot()) {
            segs.put(s.base(), s.size());
            reserved += s.size();
            long at = s.base();
            boolean prevFree = false;
            for (var b : s.blocks()) {
                assertEquals(at, b.ptr(), "blocks tile their segment");
                assertTrue(b.size() > 0 && b.size() % 512 == 0, "block sizes are multiples of 512");
                assertTrue(!(prevFree && !b.allocated()), "adjacent free blocks were not merged");
                prevFree = !b.allocated();
                if (b.allocated()) allocated += b.size();
                at += b.size();
            }
            assertEquals(s.base() + s.size(), at, "blocks cover the whole segment");
            if (s.small()) assertEquals(2 * MiB, s.size());
        }
        assertEquals(dev.live, segs, "segments are the device's live allocations");
        assertEquals(reserved, a.memoryReserved());
        assertEquals(allocated, a.memoryAllocated());
    }
}
