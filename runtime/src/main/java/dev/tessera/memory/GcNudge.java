package dev.tessera.memory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * How {@link LargeBlocks} asks the JVM to find dropped tensors. System.gc() is a full collection:
 * with the serial collector about 12 ms on this machine type however little the heap holds (it
 * scans the code cache, which Vector API kernels make large), once per ResNet-18 training step or
 * two (8% of a batch-1 step). But the tensor handles a loop drops were allocated since the last
 * collection and are still in the young generation; so where the young generation is a fixed
 * eden (serial and parallel collectors) with little room left, the nudge fills that room with
 * short-lived arrays, and the young collection that follows (about a millisecond) finds them.
 * Every {@link #FULL_EVERY}th nudge, and always with other collectors (G1's eden grows to much of
 * the heap; ZGC has none) or a large free eden, it is a full collection as before, which also finds
 * handles promoted before they were dropped. {@code -Dtessera.youngNudge=false} keeps full ones.
 */
final class GcNudge {
    private GcNudge() {}

    /** Free eden beyond this is cheaper to collect fully than to fill (zeroing runs at about 10 GB/s). */
    private static final long FILL_LIMIT = 48L << 20;
    private static final int CHUNK = 256 << 10, FULL_EVERY = 8;
    private static final boolean ENABLED = !"false".equals(System.getProperty("tessera.youngNudge"));
    private static final MemoryPoolMXBean EDEN;
    private static final GarbageCollectorMXBean YOUNG;

    static {
        MemoryPoolMXBean eden = null;
        GarbageCollectorMXBean young = null;
        try {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                // the serial and parallel collectors' young collections; G1's eden is not a fixed space
                if (gc.getName().equals("Copy") || gc.getName().equals("PS Scavenge")) young = gc;
            }
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getName().endsWith("Eden Space")) eden = pool;
            }
        } catch (RuntimeException | LinkageError unavailable) {
            young = null; // no management beans: full collections only
        }
        boolean usable = ENABLED && young != null && eden != null && List.of(young.getMemoryPoolNames()).contains(eden.getName());
        EDEN = usable ? eden : null;
        YOUNG = usable ? young : null;
    }

    private static int nudges;
    private static long young, full;
    @SuppressWarnings("unused") private static volatile byte[] sink; // keeps the filler arrays from being optimized away

    /** A young collection where it will do, else a full one (see the class comment). */
    static synchronized void collect() {
        if (YOUNG == null || ++nudges % FULL_EVERY == 0 || !fillEden()) {
            full++;
            System.gc();
        }
    }

    /** Allocates short-lived arrays until a young collection runs; false if it did not (then nothing was won). */
    private static boolean fillEden() {
        MemoryUsage u = EDEN.getUsage();
        long room = u.getCommitted() - u.getUsed();
        if (room > FILL_LIMIT) return false;
        long before = YOUNG.getCollectionCount();
        for (long filled = 0; filled <= room + 2L * CHUNK; filled += CHUNK) {
            sink = new byte[CHUNK];
            if (YOUNG.getCollectionCount() != before) {
                sink = null;
                young++;
                return true;
            }
        }
        sink = null;
        return false;
    }

    /** {young, full} collections requested so far, for tests and diagnostics. */
    static synchronized long[] counts() {
        return new long[] {young, full};
    }
}
