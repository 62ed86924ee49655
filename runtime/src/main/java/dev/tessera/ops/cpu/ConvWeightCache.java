package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Inference keeps each convolution weight in the direct kernels' blocked layout between calls. At
 * batch 1 reordering the weights was about a tenth of a ResNet-18 forward (47 MB read and written
 * per pass, more than the activations), and in inference they do not change. An entry lives as long
 * as its owner (the weight's storage, held weakly) and is rebuilt when the owner comes back with
 * another version (an in-place write such as an optimizer step or load_state_dict), offset or
 * geometry. It costs about as much heap as the weights themselves, so only calls that need no
 * gradient use it (training changes the weights every step). {@code -Dtessera.cacheConvWeights=false}
 * turns it off.
 */
final class ConvWeightCache {
    private ConvWeightCache() {}

    static final boolean ENABLED = !"false".equals(System.getProperty("tessera.cacheConvWeights"));

    /** What the blocked weight depends on (batch, image size, stride and padding do not matter). */
    private record WeightShape(int o, int c, int kh, int kw, int groups) {}

    private record Entry(int version, long offset, WeightShape shape, float[] blocked) {}

    private static final Map<Object, Entry> ENTRIES = new WeakHashMap<>();

    /** The blocked forward weights for {@code owner} at {@code version}, built on a miss; null where forward does not block. */
    static float[] forward(Object owner, int version, MemorySegment w, long wOff, DirectConvShape g) {
        if (!ENABLED) return null;
        WeightShape key = new WeightShape(g.o(), g.c(), g.kh(), g.kw(), g.groups());
        synchronized (ENTRIES) {
            Entry e = ENTRIES.get(owner);
            if (e != null && e.version == version && e.offset == wOff && e.shape.equals(key)) return e.blocked;
        }
        float[] blocked = DirectConv.blockForward(w, wOff, g);
        if (blocked == null) return null;
        synchronized (ENTRIES) {
            ENTRIES.put(owner, new Entry(version, wOff, key, blocked));
        }
        return blocked;
    }

    /** Whether an entry for {@code owner} is held now, for tests. */
    static boolean holds(Object owner) {
        synchronized (ENTRIES) {
            return ENTRIES.containsKey(owner);
        }
    }
}
