package dev.tessera.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Large tensor buffers straight from the kernel: anonymous {@code mmap} with transparent huge
 * pages requested ({@code madvise(MADV_HUGEPAGE)}), so first touch costs one fault per 2 MB instead
 * of per 4 KB (on this machine type 0.07-0.5 ms per MB against 3.3), and fresh pages are already
 * zero. Blocks under 32 MB are carved from shared 64 MB regions so that they get huge pages too.
 *
 * <p>Ownership stays with the garbage collector: each block is tied to an automatic arena whose
 * cleanup returns it. Returned blocks are kept in a small pool by exact size, so loops that create
 * and drop same-shaped temporaries reuse memory without faulting it in again. Because the JVM does
 * not see this memory, it is accounted here against the same limit as direct memory
 * ({@code -XX:MaxDirectMemorySize}, by default the heap size): at the limit the pool is released and
 * a collection is requested, and the allocation waits for unreachable blocks to come back.
 */
final class LargeBlocks {
    /**
     * From this size blocks are mapped here: malloc serves larger requests with fresh mappings too
     * (glibc's mmap threshold is 128 KiB) and unmaps them on free, so each 800 KB conv output paid
     * 200 page faults per call (0.3 of 1.1 ms); pooled blocks fault once. From 64 KiB, not 128:
     * below the mmap threshold malloc takes from its heap, which it trims on free, so the 100 KB
     * activations of ResNet-18's last stage faulted in afresh each call (125-148 faults per batch-1
     * forward, about 1.8 ms of 26; none from 64 KiB up).
     */
    static final long THRESHOLD = Long.getLong("tessera.largeBlockBytes", 64L << 10);
    /** Sizes are rounded to this granularity (a huge page) from {@link #HUGE_PAGE_MIN} up, to 64 KiB below. */
    private static final long HUGE_PAGE = 2L << 20, SMALL_GRANULE = 64L << 10;
    private static final int PROT_READ_WRITE = 0x3, MAP_PRIVATE_ANONYMOUS = 0x22, MADV_HUGEPAGE = 14;

    private static final MethodHandle MMAP, MADVISE, MUNMAP;
    static final boolean AVAILABLE;

    static {
        MethodHandle mmap = null, madvise = null, munmap = null;
        boolean ok = false;
        try {
            if (System.getProperty("os.name", "").toLowerCase().contains("linux") && !Boolean.getBoolean("tessera.noMmap")) {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_LONG));
                madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                ok = true;
            }
        } catch (Throwable unavailable) {
            ok = false; // no native access (e.g. --enable-native-access not granted): automatic arenas serve instead
        }
        MMAP = mmap;
        MADVISE = madvise;
        MUNMAP = munmap;
        AVAILABLE = ok;
    }

    private static final boolean HUGE_PAGES = !Boolean.getBoolean("tessera.noHugePages");
    /** From this size a block is a mapping of its own; smaller ones are carved from shared regions. */
    private static final long HUGE_PAGE_MIN = Long.getLong("tessera.hugePageMinBytes", 32L << 20);
    private static final long REGION = 2 * HUGE_PAGE_MIN;
    private static final long LIMIT = Long.getLong("tessera.maxNativeMemory", directMemoryLimit());
    private static final long POOL_LIMIT = Math.min(LIMIT / 4, 1L << 30);

    /**
     * Fresh mappings between collection requests. Dropped tensors come back only when the GC runs,
     * and a heap holding little but small tensor handles is rarely collected: without a nudge every
     * temporary would fault in new memory until the limit is reached.
     */
    private static final long GC_NUDGE = Long.getLong("tessera.gcNudgeBytes", Math.max(64L << 20, Math.min(LIMIT / 16, 256L << 20)));
    /**
     * After a collection, how long an allocation waits for the next block to come back before it maps
     * a fresh one, and at most in all. A busy machine can hold the cleaner thread off for longer than
     * the default quiet spell; {@code -Dtessera.cleanerQuietMicros} lengthens it.
     */
    private static final long AFTER_COLLECTION_QUIET_NANOS = Long.getLong("tessera.cleanerQuietMicros", 2_000) * 1_000;
    private static final long AFTER_COLLECTION_MAX_NANOS = Math.max(AFTER_COLLECTION_QUIET_NANOS, 20_000_000);

    // All guarded by LargeBlocks.class.
    private static long reserved;      // bytes mapped: live blocks plus pooled ones
    private static long handedOutSinceCollection; // GC-owned bytes, fresh or reused
    private static long collectionInterval = GC_NUDGE;
    private static int waiters;                   // allocations waiting for cleaners after a collection
    private static long lastReleaseNanos;         // when a block last came back, so a waiter sees the cleaner at work
    private static long collectionEnded;          // System.nanoTime() when the last requested collection returned; 0 before
    private static long pooled;
    private static long regionNext, regionEnd;     // the region fresh small blocks are carved from
    private static long freshMappings, pooledReuses, collectionRequests, unmappings; // diagnostics
    private static final Map<Long, ArrayDeque<Long>> POOL = new HashMap<>();
    /** GC-owned blocks handed out and not yet back, by address: each allocation's own token. */
    private static final Map<Long, GcOwned> GC_OWNED = new HashMap<>();
    private static long recycled; // diagnostics: blocks handed back early
    private static long handedOutSinceQuiescentPoint; // GC-owned bytes, fresh or reused, less those recycled

    /**
     * Identifies one allocation of a GC-owned block (the address alone is reused), by identity: a
     * record's equality would let a recycled block's late cleanup match the next allocation of the
     * same size at the same address and pool that one while in use.
     */
    private static final class GcOwned {
        private final long size;

        GcOwned(long size) { this.size = size; }

        long size() { return size; }
    }
    /** Pooled blocks, address to size, oldest release first: the pool evicts from here when full. */
    private static final java.util.LinkedHashMap<Long, Long> POOL_AGE = new java.util.LinkedHashMap<>();

    private LargeBlocks() {}

    /** -XX:MaxDirectMemorySize when set, else the JVM's default for it (the maximum heap size). */
    private static long directMemoryLimit() {
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            long v = Long.parseLong(bean.getVMOption("MaxDirectMemorySize").getValue());
            if (v > 0) return v;
        } catch (RuntimeException | LinkageError unknown) {
            // not a HotSpot JVM: fall back to the documented default
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** A block of at least {@code bytes}, zero-filled when {@code zeroed}, returned when unreachable. */
    static MemorySegment allocate(long bytes, boolean zeroed) {
        return allocate(bytes, zeroed, Arena.ofAuto(), true);
    }

    /** A block whose lifetime is a scope's arena: returned the moment the scope closes. */
    static MemorySegment allocate(long bytes, boolean zeroed, Arena owner) {
        return allocate(bytes, zeroed, owner, false);
    }

    /**
     * {@code collected}: the block comes back only when the GC finds it unreachable (an automatic
     * arena), so it counts towards the next collection request.
     */
    private static MemorySegment allocate(long bytes, boolean zeroed, Arena owner, boolean collected) {
        long granule = bytes >= HUGE_PAGE_MIN ? HUGE_PAGE : SMALL_GRANULE;
        long size = (bytes + granule - 1) / granule * granule;
        Long address = takePooled(size, collected);
        if (address == null) {
            boolean young = false, ahead;
            synchronized (LargeBlocks.class) {
                ahead = quiescentPointsAhead > 0;
            }
            if (collectionDue()) {
                young = GcNudge.collect(ahead);
                updateCollectionInterval();
            }
            // while the cleaner is still returning what a collection found, every miss waits for it,
            // not only the one that asked: otherwise a lagging cleaner becomes a run of fresh mappings
            address = takePooledAfterCollection(size, collected);
            if (address == null && young) {
                // the young collection did not find a block of this size: the dropped tensors that
                // hold one were promoted before they died, and only a full collection finds them.
                // Inside a backward pass that ends at a quiescent point (a training step's, where
                // the last step's .grad tensors, dropped by zeroGrad after a full collection
                // promoted them, are what is missing) that collection is due at its end anyway: map
                // one block now and let it bring these back for the next step, instead of a ~12 ms
                // full collection mid-pass that promotes the live activations and so calls for
                // another one at the end (two per 8x224 ResNet-18 step, 5% of it).
                if (ahead) {
                    GcNudge.collectFullyAtQuiescentPoint();
                } else {
                    GcNudge.collectFully();
                    updateCollectionInterval();
                    address = takePooledAfterCollection(size, collected);
                }
            }
        }
        boolean fresh = address == null;
        if (fresh) {
            reserve(size);
            try {
                address = map(size);
            } catch (RuntimeException | Error e) {
                synchronized (LargeBlocks.class) {
                    reserved -= size;
                }
                throw e;
            }
            synchronized (LargeBlocks.class) {
                freshMappings++;
                if (collected) {
                    handedOutSinceCollection += size;
                    handedOutSinceQuiescentPoint += size;
                }
            }
        }
        long addr = address;
        MemorySegment block;
        if (collected) {
            // the cleanup returns the block only if recycle() has not already: by then it may be another tensor's
            GcOwned token = new GcOwned(size);
            synchronized (LargeBlocks.class) {
                GC_OWNED.put(addr, token);
            }
            block = MemorySegment.ofAddress(addr).reinterpret(size, owner, s -> releaseUnlessRecycled(addr, token));
        } else {
            block = MemorySegment.ofAddress(addr).reinterpret(size, owner, s -> release(addr, size));
        }
        if (zeroed && !fresh) block.fill((byte) 0);   // fresh anonymous pages are already zero
        return block.asSlice(0, bytes);
    }

    /**
     * On a pool miss: has enough GC-owned memory been handed out (fresh or reused) since the last
     * request that a collection would likely return a block? Counting reuses matters: counting only
     * fresh mappings let a loop drain the pool after each collection and then map (and fault in)
     * a whole interval of fresh blocks before the next one, so it ran at full speed and at a fifth
     * of it in alternating phases.
     */
    private static synchronized boolean collectionDue() {
        // Half an interval, not a whole one: a loop whose steps drop blocks of several sizes finds
        // one size short now and then (the pool holds what was dead at the last collection, and the
        // collection landed mid-step); collecting then returns it, where waiting for the whole
        // interval mapped fresh blocks.
        if (handedOutSinceCollection < collectionInterval / 2) return false;
        handedOutSinceCollection = 0;
        collectionRequests++;
        return true;
    }

    /** Backward passes running that end at a quiescent point (guarded by LargeBlocks.class). */
    private static int quiescentPointsAhead;

    /** A backward pass that releases its graph has started; its end calls {@link #atQuiescentPoint}. */
    static void quiescentPointAhead() {
        synchronized (LargeBlocks.class) {
            quiescentPointsAhead++;
        }
        GcNudge.backwardStarting();
    }

    /** See {@link Allocator#gradientsDropped}; a collection there counts as a requested one. */
    static void gradientsDropped() {
        if (!GcNudge.atGradientsDropped()) return;
        synchronized (LargeBlocks.class) {
            handedOutSinceCollection = 0;
            collectionRequests++;
        }
        updateCollectionInterval();
    }

    /** See {@link GcNudge#atQuiescentPoint}; a collection there counts as a requested one. */
    static void atQuiescentPoint() {
        boolean youngDue;
        synchronized (LargeBlocks.class) {
            if (quiescentPointsAhead > 0) quiescentPointsAhead--;
            long stepBytes = handedOutSinceQuiescentPoint;
            handedOutSinceQuiescentPoint = 0;
            if (collectionRequests == 0) return; // a program that has not needed a collection yet needs none here
            // What the step handed out (and backward did not recycle) is mostly dead now: if it is
            // much, collect it now (a young collection finds it), so that the next step takes it
            // from the pool. Otherwise it waits for a nudge somewhere in the next step, and when
            // that comes late a step maps a part of its activations afresh (ResNet-18 at 8x96:
            // 60-90 blocks in ten warm steps; at 8x224 7-9 once). Small steps are left alone:
            // filling the eden to collect would cost more than they do, however much else is live.
            youngDue = stepBytes >= collectionInterval / 8;
        }
        if (!GcNudge.atQuiescentPoint(youngDue)) return;
        synchronized (LargeBlocks.class) {
            handedOutSinceCollection = 0;
            collectionRequests++;
        }
        updateCollectionInterval();
    }

    /**
     * After a requested collection: a full collection costs time in proportion to the live heap, so
     * with a big one, ask less often and the GC's share of the work stays bounded; but never for
     * more than the pool can take back, or returned blocks would be unmapped and mapped afresh.
     * Measured right after the collection (live data only, not the garbage a busy heap holds
     * between collections), so the interval stays steady and a repeating loop finds in the pool
     * what it dropped one interval before.
     */
    private static void updateCollectionInterval() {
        Runtime rt = Runtime.getRuntime();
        long live = rt.totalMemory() - rt.freeMemory();
        synchronized (LargeBlocks.class) {
            collectionInterval = Math.min(Math.max(GC_NUDGE, live), Math.max(GC_NUDGE, POOL_LIMIT));
            collectionEnded = System.nanoTime();
        }
    }

    /**
     * Cleaners return blocks shortly after a collection, one by one: within
     * {@link #AFTER_COLLECTION_MAX_NANOS} of the last requested collection, wait for one of the right
     * size while they keep coming (each release wakes us), giving up after a quiet spell with none
     * (the collection found nothing more). Outside that window, returns null at once.
     */
    private static synchronized Long takePooledAfterCollection(long size, boolean collected) {
        long start = collectionEnded;
        if (start == 0 || System.nanoTime() - start > AFTER_COLLECTION_MAX_NANOS) return null;
        Long address;
        while ((address = takePooled(size, collected)) == null) {
            long lastRelease = Math.max(start, lastReleaseNanos);
            long left = Math.min(lastRelease + AFTER_COLLECTION_QUIET_NANOS, start + AFTER_COLLECTION_MAX_NANOS) - System.nanoTime();
            if (left <= 0) return null;
            waiters++;
            try {
                LargeBlocks.class.wait(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } finally {
                waiters--;
            }
        }
        return address;
    }

    private static synchronized Long takePooled(long size, boolean collected) {
        Long address = takePooled(size);
        if (address != null) {
            pooledReuses++;
            if (collected) {
                handedOutSinceCollection += size;
                handedOutSinceQuiescentPoint += size;
            }
        }
        return address;
    }

    private static synchronized Long takePooled(long size) {
        ArrayDeque<Long> q = POOL.get(size);
        if (q == null || q.isEmpty()) return null;
        pooled -= size;
        Long address = q.pop();
        POOL_AGE.remove(address);
        return address;
    }

    private static void reserve(long size) {
        synchronized (LargeBlocks.class) {
            if (reserved + size <= LIMIT) {
                reserved += size;
                return;
            }
            drainPool();
        }
        // Over the limit: ask the GC to find dropped tensors and wait for their blocks to come back.
        long sleep = 1;
        for (int attempt = 0; attempt < 12; attempt++) {
            synchronized (LargeBlocks.class) {
                drainPool();
                if (reserved + size <= LIMIT) {
                    reserved += size;
                    return;
                }
            }
            if (attempt % 4 == 0) {
                synchronized (LargeBlocks.class) {
                    collectionRequests++;
                }
                System.gc();
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep = Math.min(sleep * 2, 64);
        }
        throw new OutOfMemoryError("Tessera: cannot allocate " + size + " bytes of tensor memory: " + reserved
                + " bytes are in use by reachable tensors (limit " + LIMIT + ", set -XX:MaxDirectMemorySize or "
                + "-Dtessera.maxNativeMemory)");
    }

    /**
     * A fresh block. Below {@link #HUGE_PAGE_MIN} blocks are carved one after another out of
     * {@link #REGION}-byte regions aligned to a huge page and advised as such: on this machine type a
     * 4 KB page fault costs about 13 us (3.3 ms per MB, a VM exit each), a 2 MB one a tenth of that
     * per byte, and a fresh JVM's first steps fault in everything they allocate (the first 125
     * matmuls at 512 ran at a quarter of their speed, each faulting its 1 MB output).
     */
    private static long map(long size) {
        if (HUGE_PAGES && size < HUGE_PAGE_MIN) return carve(size);
        long p = mapRaw(size);
        // A hint: the kernel aligns mappings of whole huge pages itself.
        if (HUGE_PAGES) adviseHugePages(p, size);
        return p;
    }

    private static synchronized long carve(long size) {
        if (regionEnd - regionNext < size) {
            // the old region's tail was never handed out: give it back rather than keep it mapped
            if (regionEnd > regionNext) unmapRaw(regionNext, regionEnd - regionNext);
            regionNext = regionEnd = 0;
            long raw = mapRaw(REGION + HUGE_PAGE);
            long start = (raw + HUGE_PAGE - 1) & -HUGE_PAGE;
            if (start > raw) unmapRaw(raw, start - raw);
            unmapRaw(start + REGION, raw + HUGE_PAGE - start);
            adviseHugePages(start, REGION);
            regionNext = start;
            regionEnd = start + REGION;
        }
        long address = regionNext;
        regionNext += size;
        return address;
    }

    private static long mapRaw(long size) {
        MemorySegment p;
        try {
            p = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap failed", t);
        }
        if (p.address() == -1L || p.address() == 0L) throw new OutOfMemoryError("Tessera: mmap of " + size + " bytes failed");
        return p.address();
    }

    private static void adviseHugePages(long address, long size) {
        try {
            int ignored = (int) MADVISE.invokeExact(MemorySegment.ofAddress(address), size, MADV_HUGEPAGE);
        } catch (Throwable t) {
            throw new IllegalStateException("madvise failed", t);
        }
    }

    /**
     * Runs on the cleaner thread once a block's last segment is unreachable. A full pool evicts its
     * oldest blocks: it keeps what the program allocates now, not the sizes of an earlier phase
     * (a pool left full of 64 MB blocks made every ResNet-18 buffer a fresh, faulting mapping: 2.7x
     * slower training steps).
     */
    private static void release(long address, long size) {
        java.util.List<long[]> evicted = new java.util.ArrayList<>();
        synchronized (LargeBlocks.class) {
            if (size > POOL_LIMIT) {
                reserved -= size;
                evicted.add(new long[] {address, size});
            } else {
                var oldest = POOL_AGE.entrySet().iterator();
                while (pooled + size > POOL_LIMIT && oldest.hasNext()) {
                    var e = oldest.next();
                    oldest.remove();
                    POOL.get(e.getValue()).removeFirstOccurrence(e.getKey());
                    pooled -= e.getValue();
                    reserved -= e.getValue();
                    evicted.add(new long[] {e.getKey(), e.getValue()});
                }
                POOL.computeIfAbsent(size, k -> new ArrayDeque<>()).push(address);
                POOL_AGE.put(address, size);
                pooled += size;
                lastReleaseNanos = System.nanoTime();
                if (waiters > 0) LargeBlocks.class.notifyAll();
            }
        }
        for (long[] block : evicted) unmap(block[0], block[1]);
    }

    private static void releaseUnlessRecycled(long address, GcOwned token) {
        synchronized (LargeBlocks.class) {
            if (!GC_OWNED.remove(address, token)) return;
        }
        release(address, token.size());
    }

    /**
     * Takes a GC-owned block back before the GC finds it unreachable (see {@link Allocator#recycle});
     * false when {@code address} is not the start of such a block. It counts as not handed out, so
     * a loop that recycles what it allocates does not call for collections.
     */
    static boolean recycle(long address) {
        GcOwned token;
        synchronized (LargeBlocks.class) {
            token = GC_OWNED.remove(address);
            if (token == null) return false;
            recycled++;
            handedOutSinceCollection = Math.max(0, handedOutSinceCollection - token.size());
            handedOutSinceQuiescentPoint = Math.max(0, handedOutSinceQuiescentPoint - token.size());
        }
        release(address, token.size());
        return true;
    }

    private static void drainPool() {
        for (Map.Entry<Long, ArrayDeque<Long>> e : POOL.entrySet()) {
            for (Long a : e.getValue()) {
                unmap(a, e.getKey());
                reserved -= e.getKey();
            }
        }
        POOL.clear();
        POOL_AGE.clear();
        pooled = 0;
    }

    private static void unmap(long address, long size) {
        synchronized (LargeBlocks.class) {
            unmappings++;
        }
        unmapRaw(address, size);
    }

    private static void unmapRaw(long address, long size) {
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), size);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }

    /** Pooled bytes in blocks of exactly {@code size} bytes (a mapped size), for tests. */
    static synchronized long pooledBytes(long size) {
        ArrayDeque<Long> q = POOL.get(size);
        return q == null ? 0 : q.size() * size;
    }

    /** Pooled bytes in all sizes, for tests. */
    static synchronized long pooledBytes() { return pooled; }

    static long poolLimit() { return POOL_LIMIT; }

    /** {fresh mappings, pooled reuses, collection requests, unmappings, recycled} since start, for diagnostics. */
    static synchronized long[] counters() {
        return new long[] {freshMappings, pooledReuses, collectionRequests, unmappings, recycled};
    }

    /** Bytes currently mapped (live and pooled), for tests and diagnostics. */
    static synchronized long reservedBytes() { return reserved; }
}
