package dev.tessera.autograd;

import dev.tessera.Tensor;
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

    public static void backward(List<Tensor> roots, List<Tensor> grads, boolean retainGraph) {
        Map<Node, Tensor[]> buffers = new IdentityHashMap<>();
        List<Node> rootNodes = new ArrayList<>();
        for (int i = 0; i < roots.size(); i++) {
            Tensor root = roots.get(i);
            Edge e = root.requiresGrad() ? Autograd.edgeOf(root) : null;
            if (e == null) {
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not have a grad_fn");
            }
            accumulate(buffers, e, grads.get(i));
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
                Tensor[] out = node.apply(in);
                executed.add(node);
                Edge[] edges = node.edges();
                for (int i = 0; i < edges.length; i++) {
                    Edge e = edges[i];
                    if (e == null) continue;
                    if (out != null && i < out.length && out[i] != null) accumulate(buffers, e, out[i]);
                    int left = deps.merge(e.function(), -1, Integer::sum);
                    if (left == 0) ready.add(e.function());
                }
            }
            for (int i = 0; i < callbacks.size(); i++) callbacks.get(i).run();
        } finally {
            CALLBACKS.set(outerCallbacks);
            GradMode.set(prev);
            if (!retainGraph) for (Node n : executed) n.release();
        }
    }

    private static void accumulate(Map<Node, Tensor[]> buffers, Edge e, Tensor g) {
        Tensor[] buf = buffers.computeIfAbsent(e.function(), n -> new Tensor[Math.max(n.numOutputs(), 1)]);
        int k = e.inputNr();
        buf[k] = buf[k] == null ? g : buf[k].add(g);
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
