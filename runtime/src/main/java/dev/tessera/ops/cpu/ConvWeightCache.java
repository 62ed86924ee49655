package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Inference keeps each convolution weight in the direct kernels' blocked layout between calls. At
 * batch 1 reordering the weights was about a tenth of a ResNet-18 forward (47 MB read and written
 * per pass, more than the activations), and in inference they do not change. An entry lives as long
 * as its owner (the weight's storage, held weakly; one entry per element offset, as several weights
 * may share a storage) and is rebuilt when the owner comes back with another version (an in-place
 * write such as an optimizer step or load_state_dict) or geometry. It costs about as much heap as
 * the weights themselves, so only weights that do not train use it: calls without grad mode, and
 * frozen layers (a trained weight changes every step). {@code -Dtessera.cacheConvWeights=false}
 * turns it off.
 */
final class ConvWeightCache {
    private ConvWeightCache() {}

    static final boolean ENABLED = !"false".equals(System.getProperty("tessera.cacheConvWeights"));

    /** What the blocked weight depends on (batch, image size, stride and padding do not matter). */
    private record WeightShape(int o, int c, int kh, int kw, int groups) {}

    /** {@code blocked} is null until the weight's second call (see {@link #forward}). */
    private record Entry(int version, WeightShape shape, float[] blocked) {}

    /** Per owner, entries by the weight's element offset (several weights may share one storage). */
    private static final Map<Object, Map<Long, Entry>> ENTRIES = new WeakHashMap<>();
    private static long builds; // guarded by ENTRIES; for tests

    /**
     * The blocked forward weights for {@code owner} at {@code version}, or null: where forward does
     * not block, and on the first call with this owner, version and offset. A weight is blocked and
     * kept on its second call: one computed afresh for every call (a masked or normalised weight)
     * would otherwise cost a whole-weight pass and an array per call instead of the per-pair reorder.
     */
    static float[] forward(Object owner, int version, MemorySegment w, long wOff, DirectConvShape g) {
        if (!ENABLED) return null;
        WeightShape key = new WeightShape(g.o(), g.c(), g.kh(), g.kw(), g.groups());
        synchronized (ENTRIES) {
            Map<Long, Entry> byOffset = ENTRIES.computeIfAbsent(owner, o -> new java.util.HashMap<>());
            Entry e = byOffset.get(wOff);
            if (e == null || e.version != version || !e.shape.equals(key)) {
                // a new version makes every weight of this storage stale: keep only the current ones
                byOffset.values().removeIf(old -> old.version != version);
                byOffset.put(wOff, new Entry(version, key, null)); // seen once
                return null;
            }
            if (e.blocked != null) return e.blocked;
        }
        float[] blocked = DirectConv.blockForward(w, wOff, g);
        if (blocked == null) return null;
        synchronized (ENTRIES) {
            builds++;
            Map<Long, Entry> byOffset = ENTRIES.computeIfAbsent(owner, o -> new java.util.HashMap<>());
            Entry e = byOffset.get(wOff);
            if (e != null && e.version == version && e.shape.equals(key)) byOffset.put(wOff, new Entry(version, key, blocked));
        }
        return blocked;
    }

    /** Blocked weights built so far (misses), for tests. */
    static long builds() {
        synchronized (ENTRIES) {
            return builds;
        }
    }

    /** Whether an entry for {@code owner} is held now, for tests. */
    static boolean holds(Object owner) {
        synchronized (ENTRIES) {
            return ENTRIES.containsKey(owner);
        }
    }
}
