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
 *
 * <p>Young collections cannot find handles in the old generation, and a full collection promotes
 * every handle alive at that moment (mid-step: the activations so far), so full collections are
 * placed where few tensors are alive: at the end of a backward pass ({@link #atQuiescentPoint}),
 * when the old generation has grown by more than {@link #PROMOTED_LIMIT} since the last such one
 * (the first steps of a program, while the JIT's garbage brings young collections every few
 * milliseconds). A nudge is also a full collection every {@link #FULL_EVERY}th time (loops without
 * backward), when the free eden is large, and always with other collectors (G1's eden grows to
 * much of the heap; ZGC has none); and when a young one did not return a block of the size asked
 * for, a full one follows at once ({@link LargeBlocks}). {@code -Dtessera.youngNudge=false} keeps
 * full collections only.
 */
final class GcNudge {
    private GcNudge() {}

    /** Free eden beyond this is cheaper to collect fully than to fill (zeroing runs at about 10 GB/s). */
    private static final long FILL_LIMIT = 48L << 20;
    private static final int CHUNK = 256 << 10, FULL_EVERY = 32;
    private static final boolean ENABLED = !"false".equals(System.getProperty("tessera.youngNudge"));
    /**
     * Old-generation growth beyond which the end of a backward pass collects fully: promoted handles
     * hold their blocks until a full collection finds them (with young nudges alone and full ones
     * mid-step, a ResNet-18 training loop's peak resident set grew by half).
     */
    private static final long PROMOTED_LIMIT = 1L << 20;
    private static final MemoryPoolMXBean EDEN, OLD;
    private static final GarbageCollectorMXBean YOUNG;

    static {
        MemoryPoolMXBean eden = null, old = null;
        GarbageCollectorMXBean young = null;
        try {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                // the serial and parallel collectors' young collections; G1's eden is not a fixed space
                if (gc.getName().equals("Copy") || gc.getName().equals("PS Scavenge")) young = gc;
            }
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() != MemoryType.HEAP) continue;
                if (pool.getName().endsWith("Eden Space")) eden = pool;
                if (pool.getName().equals("Tenured Gen") || pool.getName().equals("PS Old Gen")) old = pool;
            }
        } catch (RuntimeException | LinkageError unavailable) {
            young = null; // no management beans: full collections only
        }
        boolean usable = ENABLED && young != null && eden != null && old != null
                && List.of(young.getMemoryPoolNames()).contains(eden.getName());
        EDEN = usable ? eden : null;
        OLD = usable ? old : null;
        YOUNG = usable ? young : null;
    }

    private static int nudges;
    private static long young, full, oldBaseline = -PROMOTED_LIMIT - 1, oldAtNudge; // the first check collects
    @SuppressWarnings("unused") private static volatile byte[] sink; // keeps the filler arrays from being optimized away

    /**
     * A young collection where it will do, else a full one (see the class comment); true for a young
     * one. {@code quiescentPointAhead}: a backward pass is running whose end
     * ({@link #atQuiescentPoint}) collects fully when asked, so the periodic full collection is
     * left to it: one mid-pass promotes every live activation's handle and so calls for a second
     * one at the end.
     */
    static synchronized boolean collect(boolean quiescentPointAhead) {
        // handles promoted since the last nudge (young collections of the program's own): a young
        // collection would not find them, so collect fully while that goes on (a program's first steps)
        boolean promoting = YOUNG != null && OLD.getUsage().getUsed() > oldAtNudge + PROMOTED_LIMIT;
        boolean periodic = ++nudges % FULL_EVERY == 0;
        if (periodic && quiescentPointAhead && YOUNG != null) {
            collectFullyAtQuiescentPoint();
            periodic = false;
        }
        if (YOUNG != null && !promoting && !periodic && fillEden()) {
            oldAtNudge = OLD.getUsage().getUsed();
            return true;
        }
        collectFully();
        return false;
    }

    /** A full collection, as System.gc() does. */
    static synchronized void collectFully() {
        full++;
        System.gc();
        if (OLD != null) {
            oldAtNudge = OLD.getUsage().getUsed();
            // this promoted the handles alive now; once they die only a full collection finds them,
            // so the next quiescent point collects fully whatever the old generation's growth
            oldBaseline = -PROMOTED_LIMIT - 1;
        }
    }

    /** Full collections counted when the last backward pass started. */
    private static long fullAtBackwardStart;

    static synchronized void backwardStarting() { fullAtBackwardStart = full; }

    /**
     * zeroGrad(true) dropped the gradients the last backward pass made: if a full collection ran
     * since that pass started, it promoted their handles, so collect fully now (few tensors are
     * alive between steps), and the next pass takes their blocks from the pool. Without this the
     * first such step set off a cycle: its young nudge missed the gradients, a full collection
     * mid-pass promoted the live activations, the one at the end of the pass promoted the new
     * gradients, and so on every step (two full collections per 8x224 ResNet-18 step).
     * True if it collected.
     */
    static synchronized boolean atGradientsDropped() {
        if (YOUNG == null || full == fullAtBackwardStart) return false;
        collectFully();
        oldBaseline = OLD.getUsage().getUsed(); // nothing promoted is left for the end of the next pass
        fullAtBackwardStart = full;
        return true;
    }

    /** Makes the next {@link #atQuiescentPoint} collect fully (a young nudge missed during a backward pass). */
    static synchronized void collectFullyAtQuiescentPoint() {
        oldBaseline = -PROMOTED_LIMIT - 1;
    }

    /**
     * At a point where most of a program's temporaries have just become unreachable (the end of a
     * backward pass): if handles were promoted since the last such check, a full collection now
     * finds them dead and promotes little that is alive. Mid-step full collections promote every
     * live activation's handle, which young collections then cannot find once it dies; doing the
     * full ones here keeps the young nudges in between effective. Otherwise, when {@code youngDue}
     * (the step's dead blocks are many), a young collection returns them for the next step. True
     * if it collected.
     */
    static synchronized boolean atQuiescentPoint(boolean youngDue) {
        if (YOUNG == null) return false;
        long used = OLD.getUsage().getUsed();
        if (used <= oldBaseline + PROMOTED_LIMIT) {
            if (!youngDue || !fillEden()) return false;
            oldAtNudge = OLD.getUsage().getUsed();
            return true;
        }
        collectFully();
        oldBaseline = OLD.getUsage().getUsed(); // few tensors are alive here: nothing to collect later
        return true;
    }

    /** Allocates short-lived arrays until a young collection runs; false if it did not (then nothing was won). */
    private static boolean fillEden() {
        MemoryUsage u = EDEN.getUsage();
        long room = u.getCommitted() - u.getUsed();
        if (room > FILL_LIMIT) return false;
        long before = YOUNG.getCollectionCount();
        // up to the whole eden, not just the room measured: its usage counts the threads' allocation
        // buffers as they were handed out, so the room can be larger than it reads
        for (long filled = 0; filled <= u.getCommitted() + 2L * CHUNK; filled += CHUNK) {
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
