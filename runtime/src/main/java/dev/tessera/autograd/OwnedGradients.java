package dev.tessera.autograd;

import dev.tessera.Tensor;
import dev.tessera.ops.Dispatcher;
import dev.tessera.tensor.Storage;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient buffers one backward pass creates and alone holds, handed back to their device as
 * soon as the last node that reads them has run (PyTorch frees them by reference count; without
 * this they stayed mapped until the next collection, so a training step's footprint was all of
 * backward's buffers on top of forward's).
 *
 * <p>A storage is owned when it was allocated on the engine's thread during this pass (the
 * dispatcher tags it, see {@link Dispatcher#ownNewStorages}) and has not escaped: it escapes when
 * a node whose formula is not Tessera's own receives or returns it, when a leaf adopts it as its
 * {@code .grad}, or anything else outside the engine could keep it. The engine counts the input
 * slots that hold each owned storage (views share their storage, so a node passing its gradient
 * through as a view keeps it held); a storage no slot holds any more, dropped by the node that
 * read it or by the sum that replaced it, goes back at once.
 */
final class OwnedGradients {
    private Map<Storage, Integer> holds = new IdentityHashMap<>();
    private List<Storage> dropped = new ArrayList<>();

    boolean owns(Tensor t) {
        return t != null && t.storage().transientOwner() == this;
    }

    /** {@code t} now sits in an input slot of a node yet to run. */
    void hold(Tensor t) {
        if (owns(t)) holds.merge(t.storage(), 1, Integer::sum);
    }

    /** A slot that held {@code t} was read (or replaced by a sum). */
    void unhold(Tensor t) {
        if (!owns(t)) return;
        Storage s = t.storage();
        Integer n = holds.get(s);
        if (n == null || n <= 1) holds.remove(s); else holds.put(s, n - 1);
        dropped.add(s);
    }

    /** {@code t} was produced but goes into no slot (no edge, or summed into another buffer). */
    void discard(Tensor t) {
        if (owns(t)) dropped.add(t.storage());
    }

    /** Slots holding {@code t}'s storage; 1 means only the slot being read. */
    int holders(Tensor t) {
        return owns(t) ? holds.getOrDefault(t.storage(), 0) : 0;
    }

    /** Outside code may keep these: never hand them back. */
    void escape(Tensor... ts) {
        if (ts == null) return;
        for (Tensor t : ts) if (owns(t)) t.storage().setTransientOwner(null);
    }

    /** Hands back every dropped storage that no slot holds; called once a node's results are placed. */
    void recycleDropped() {
        for (int i = 0; i < dropped.size(); i++) {
            Storage s = dropped.get(i);
            if (s.transientOwner() != this || holds.containsKey(s)) continue;
            s.setTransientOwner(null);
            Dispatcher.recycle(s);
        }
        dropped.clear();
    }

    /**
     * The pass is over: storages it allocated that outlive it (a leaf's gradient, a retained one)
     * still name it as owner, so it lets go of its tables rather than keep them reachable.
     */
    void close() {
        holds = new IdentityHashMap<>(0);
        dropped = new ArrayList<>(0);
    }

    /**
     * True for nodes whose formula is Tessera's own (in a {@code dev.tessera} package and in this
     * module, or on the class path in the same jar or classes folder as the engine): they neither
     * keep the gradients they read nor return tensors that something else holds. A formula written
     * elsewhere might do either.
     */
    static boolean isBuiltin(Node node) {
        if (node instanceof FunctionNode f) return f.formulaSource() != null && OWN_CODE.get(f.formulaSource().getClass());
        return OWN_CODE.get(node.getClass());
    }

    private static final ClassValue<Boolean> OWN_CODE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            // Tessera's package too: a shaded jar puts an application's classes beside Tessera's
            if (!c.getName().startsWith("dev.tessera.")) return false;
            Module engine = OwnedGradients.class.getModule();
            if (engine.isNamed()) return c.getModule() == engine;
            return !c.getModule().isNamed() && java.util.Objects.equals(codeSource(c), codeSource(OwnedGradients.class));
        }
    };

    private static java.net.URL codeSource(Class<?> c) {
        var source = c.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }
}
