package dev.tessera.autograd;

import dev.tessera.Tensor;
import dev.tessera.memory.Allocator;
import dev.tessera.ops.Dispatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs backward passes. Counts each node's dependencies with an iterative graph walk, then
 * executes nodes whose gradients are complete, newest first (PyTorch's sequence-number order).
 * No recursion, so graphs of any depth work.
 */
public final class Engine {
    private Engine() {}

    /** Callbacks queued during the backward pass running on this thread (null outside one). */
    private static final ThreadLocal<List<Runnable>> CALLBACKS = new ThreadLocal<>();

    /**
     * Runs {@code callback} once the current backward pass has executed every node (PyTorch's
     * Variable._execution_engine.queue_callback); callable only from inside backward, e.g. a hook.
     */
    public static void queueCallback(Runnable callback) {
        List<Runnable> q = CALLBACKS.get();
        if (q == null) throw new IllegalStateException("Final callbacks can only be installed during backward pass.");
        q.add(callback);
    }

    /**
     * Hands gradient buffers back as soon as backward is done with them (see OwnedGradients);
     * {@code -Dtessera.recycleGradients=false} leaves them all to the GC, as before.
     */
    private static volatile boolean recycle = !"false".equals(System.getProperty("tessera.recycleGradients"));

    /** For tests: turns the early hand-back of gradient buffers on or off. */
    static void recycleGradients(boolean on) { recycle = on; }

    public static void backward(List<Tensor> roots, List<Tensor> grads, boolean retainGraph) {
        Map<Node, Tensor[]> buffers = new IdentityHashMap<>();
        List<Node> rootNodes = new ArrayList<>();
        for (int i = 0; i < roots.size(); i++) {
            Tensor root = roots.get(i);
            Edge e = root.requiresGrad() ? Autograd.edgeOf(root) : null;
            if (e == null) {
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not have a grad_fn");
            }
            accumulate(buffers, e, grads.get(i), null);
            rootNodes.add(e.function());
        }
        Map<Node, Integer> deps = countDependencies(rootNodes);
        PriorityQueue<Node> ready = new PriorityQueue<>((a, b) -> Long.compare(b.sequenceNr(), a.sequenceNr()));
        for (Node n : rootNodes) if (deps.getOrDefault(n, 0) == 0 && !ready.contains(n)) ready.add(n);
        boolean prev = GradMode.set(false);
        List<Node> executed = new ArrayList<>();
        List<Runnable> outerCallbacks = CALLBACKS.get();
        List<Runnable> callbacks = new ArrayList<>();
        CALLBACKS.set(callbacks);
        OwnedGradients owned = recycle ? new OwnedGradients() : null;
        Object outerOwner = owned != null ? Dispatcher.ownNewStorages(owned) : null;
        if (!retainGraph) Allocator.quiescentPointAhead();
        try {
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor[] in = buffers.remove(node);
                if (in == null) in = new Tensor[node.numOutputs()];
                for (Node.RetainedGrad r : node.retained()) {
                    Tensor t = r.tensor().get();
                    Tensor g = in[r.outputNr()];
                    if (t != null && g != null) t.setGrad(t.grad() == null ? g.detach().clone() : t.grad().add(g));
                }
                Tensor[] out = node instanceof AccumulateGrad acc && owned != null
                        ? acc.accumulate(in[0], owned.holders(in[0]) == 1)
                        : node.apply(in);
                executed.add(node);
                if (owned != null) settleOwnership(owned, node, in, out);
                Edge[] edges = node.edges();
                for (int i = 0; i < edges.length; i++) {
                    Edge e = edges[i];
                    if (e == null) continue;
                    if (out != null && i < out.length && out[i] != null) accumulate(buffers, e, out[i], owned);
                    int left = deps.merge(e.function(), -1, Integer::sum);
                    if (left == 0) ready.add(e.function());
                }
                if (owned != null) {
                    if (out != null) {
                        for (int i = 0; i < out.length; i++) if (i >= edges.length || edges[i] == null) owned.discard(out[i]);
                    }
                    for (Tensor g : in) owned.unhold(g);
                    owned.recycleDropped();
                }
            }
            for (int i = 0; i < callbacks.size(); i++) callbacks.get(i).run();
        } finally {
            if (owned != null) {
                Dispatcher.ownNewStorages(outerOwner);
                owned.close();
            }
            CALLBACKS.set(outerCallbacks);
            GradMode.set(prev);
            if (!retainGraph) {
                for (Node n : executed) n.release();
                // the graph's saved activations are unreachable now: a good moment for a full collection
                Allocator.atQuiescentPoint();
            }
        }
    }

    /**
     * Gradients a node outside Tessera's code saw, a leaf's adopted gradient, and any gradient a
     * leaf's post-accumulate hooks could have seen (a hook may keep the leaf's .grad and replace it)
     * are no longer the engine's alone.
     */
    private static void settleOwnership(OwnedGradients owned, Node node, Tensor[] in, Tensor[] out) {
        if (node instanceof AccumulateGrad acc) {
            Tensor grad = acc.variable().grad();
            if (acc.hasPostHooks() || grad != null && in[0] != null && grad.storage() == in[0].storage()) owned.escape(in[0]);
        } else if (!OwnedGradients.isBuiltin(node)) {
            owned.escape(in);
            owned.escape(out);
        }
    }

    private static void accumulate(Map<Node, Tensor[]> buffers, Edge e, Tensor g, OwnedGradients owned) {
        Tensor[] buf = buffers.computeIfAbsent(e.function(), n -> new Tensor[Math.max(n.numOutputs(), 1)]);
        int k = e.inputNr();
        if (buf[k] == null) {
            buf[k] = g;
            if (owned != null) owned.hold(g);
            return;
        }
        Tensor previous = buf[k];
        buf[k] = previous.add(g);
        if (owned != null) {
            owned.hold(buf[k]);
            owned.unhold(previous);
            owned.discard(g);
        }
    }

    private static Map<Node, Integer> countDependencies(List<Node> roots) {
        Map<Node, Integer> deps = new HashMap<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>(roots);
        for (Node r : roots) seen.put(r, true);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Edge e : n.edges()) {
                if (e == null) continue;
                deps.merge(e.function(), 1, Integer::sum);
                if (seen.put(e.function(), true) == null) stack.push(e.function());
            }
        }
        return deps;
    }

    /** Checks a user-supplied gradient against the output it belongs to, with PyTorch's message. */
    public static void checkGradShape(Tensor output, Tensor grad) {
        if (!Arrays.equals(output.shapeArray(), grad.shapeArray())) {
            throw new IllegalArgumentException("Mismatch in shape: grad_output[0] has a shape of " + grad.shape()
                    + " and output[0] has a shape of " + output.shape() + ".");
        }
    }
}
