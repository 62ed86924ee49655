package dev.tessera.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.memory.Allocator;
import dev.tessera.nn.AdaptiveAvgPool2d;
import dev.tessera.nn.BatchNorm2d;
import dev.tessera.nn.Conv2d;
import dev.tessera.nn.Flatten;
import dev.tessera.nn.Linear;
import dev.tessera.nn.MaxPool2d;
import dev.tessera.nn.Module;
import dev.tessera.nn.ReLU;
import dev.tessera.nn.Sequential;
import dev.tessera.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Backward hands its gradient buffers back as soon as it is done with them (OwnedGradients). Every
 * case is run three ways and must give the same bits: recycling off; on, with recycled memory
 * poisoned with NaN instead of reused (a reader the engine overlooked sees NaN); and on, with real
 * reuse. The cases are the ways a gradient is shared: one tensor to two inputs, views passed
 * through, broadcasts, retained gradients, in-place writes to views, leaves adopting a gradient,
 * and formulas written outside Tessera that keep what they see.
 */
class GradientRecyclingTest {
    private enum Mode { OFF, POISONED, REUSED }

    @AfterEach
    void restore() {
        Engine.recycleGradients(true);
        Allocator.poisonRecycled(Boolean.getBoolean("tessera.poisonRecycled"));
    }

    private static void set(Mode m) {
        Engine.recycleGradients(m != Mode.OFF);
        Allocator.poisonRecycled(m == Mode.POISONED);
    }

    /** Runs {@code graph} (leaves in, tensors whose values matter out) once per mode; all must agree bit for bit. */
    private static void sameInEveryMode(String name, int leaves, Function<Tensor[], List<Tensor>> graph) {
        List<float[]> reference = null;
        for (Mode m : Mode.values()) {
            set(m);
            Torch.manualSeed(7);
            Tensor[] in = new Tensor[leaves];
            for (int i = 0; i < leaves; i++) in[i] = Torch.randn(64, 1024).requiresGrad_(true);
            List<Tensor> results = new ArrayList<>(graph.apply(in));
            for (Tensor t : in) results.add(t.grad());
            // allocate over whatever went back, so a stale reader would see other data
            for (int k = 0; k < 8; k++) Torch.randn(64, 1024).mul(3);
            List<float[]> values = new ArrayList<>();
            for (Tensor t : results) values.add(t == null ? new float[0] : t.contiguous().toFloatArray());
            if (reference == null) {
                reference = values;
                continue;
            }
            for (int i = 0; i < values.size(); i++) {
                assertArrayEquals(reference.get(i), values.get(i), name + ": result " + i + " differs with recycling " + m);
            }
        }
    }

    @Test
    void oneGradientToBothInputsOfAnAdd() {
        sameInEveryMode("a + a", 1, t -> {
            t[0].add(t[0]).mul(t[0]).sum().backward();
            return List.of();
        });
    }

    @Test
    void viewsPassTheirGradientThrough() {
        sameInEveryMode("views", 2, t -> {
            t[0].transpose(0, 1).contiguous().transpose(0, 1).reshape(1024, 64).reshape(64, 1024).mul(t[1]).exp().sum().backward();
            return List.of();
        });
    }

    @Test
    void broadcastsAndReductions() {
        sameInEveryMode("broadcast", 2, t -> {
            t[0].sum(0, true).expand(64, 1024).mul(t[1]).add(t[1].mean(1, true)).sigmoid().sum().backward();
            return List.of();
        });
    }

    @Test
    void retainedGradientsAndBranches() {
        sameInEveryMode("retain_grad", 2, t -> {
            Tensor h = t[0].mul(t[1]);
            h.retainGrad();
            Tensor k = h.exp().add(h.sigmoid()).mul(h);
            k.retainGrad();
            k.matmul(t[1].transpose(0, 1)).relu().sum().backward();
            return List.of(h.grad(), k.grad());
        });
    }

    @Test
    void catNarrowAndInPlaceWritesToViews() {
        sameInEveryMode("cat/narrow/copy-slices", 2, t -> {
            Tensor c = Torch.cat(List.of(t[0].narrow(1, 0, 512), t[1].narrow(1, 512, 512)), 1).mul(1.5);
            c.narrow(1, 100, 300).mul_(2);
            c.mul(t[0]).tanh().sum().backward();
            return List.of();
        });
    }

    @Test
    void gradientsAccumulateOverTwoBackwardPasses() {
        // the first pass lets each leaf adopt its gradient; the second adds into it in place
        sameInEveryMode("two passes", 2, t -> {
            t[0].mul(t[1]).sum().backward();
            Tensor first = t[0].grad().clone();
            t[0].matmul(t[1].transpose(0, 1)).relu().sum().backward();
            return List.of(first);
        });
    }

    @Test
    void retainedGraphsBackwardTwice() {
        sameInEveryMode("retain_graph", 2, t -> {
            Tensor loss = t[0].mul(t[1]).exp().matmul(t[1].transpose(0, 1)).sigmoid().sum();
            loss.backward(null, true);
            Tensor first = t[0].grad().clone();
            loss.backward();
            return List.of(first);
        });
    }

    @Test
    void backwardInsideAMemoryScope() {
        // scoped memory is the scope's to free: recycling must leave it alone (poisoning still fills it)
        sameInEveryMode("scope", 2, t -> {
            List<Tensor> out = new ArrayList<>();
            try (var scope = Torch.scope()) {
                t[0].mul(t[1]).relu().add(t[0]).sum().backward();
                // the leaves' gradients live in the scope too: copy their values out, then drop them
                float[][] values = {t[0].grad().toFloatArray(), t[1].grad().toFloatArray()};
                t[0].setGrad(null);
                t[1].setGrad(null);
                scope.close();
                for (float[] v : values) out.add(Torch.tensor(v));
            }
            return out;
        });
    }

    @Test
    void aFormulaWrittenOutsideTesseraMayKeepWhatItSees() {
        AtomicReference<Tensor> seen = new AtomicReference<>(), returned = new AtomicReference<>();
        sameInEveryMode("foreign formula", 1, t -> {
            Tensor mid = t[0].mul(3);
            Tensor out;
            try (var ignored = Torch.noGrad()) {
                out = mid.mul(1);
            }
            FunctionNode node = new FunctionNode("KeepingBackward", mid);
            node.backward1(g -> {
                seen.set(g);
                returned.set(g.mul(2));
                return new Tensor[]{returned.get()};
            });
            Autograd.record(node, out);
            out.exp().sum().backward();
            assertFalse(OwnedGradients.isBuiltin(node), "a test's formula counted as Tessera's own");
            return List.of(seen.get(), returned.get());
        });
    }

    @Test
    void aPostAccumulateHookMayKeepTheGradientItReplaces() {
        List<Tensor> kept = new ArrayList<>();
        sameInEveryMode("post-accumulate hook", 2, t -> {
            kept.clear();
            t[0].registerPostAccumulateGradHook(p -> {
                kept.add(p.grad()); // keeps the gradient the leaf adopted...
                p.setGrad(p.grad().mul(1)); // ...and gives the leaf a copy
            });
            t[0].mul(t[1]).exp().sum().backward();
            for (int k = 0; k < 4; k++) t[1].mul(2).exp().sum().backward(); // reuse whatever went back
            return List.copyOf(kept);
        });
    }

    @Test
    void tesserasOwnFormulasAreRecognised() {
        Tensor a = Torch.randn(4).requiresGrad_(true);
        assertTrue(OwnedGradients.isBuiltin(a.mul(2).gradFn()));
        assertTrue(OwnedGradients.isBuiltin(a.exp().sum().gradFn()));
    }

    /** A small convnet's training loop (conv, batch norm, ReLU, max-pool, linear, SGD with momentum). */
    @Test
    void trainingStepsGiveTheSameBitsAndRecycle() {
        List<float[]> reference = null;
        for (Mode m : Mode.values()) {
            set(m);
            Torch.manualSeed(0);
            Module net = new Sequential(new Conv2d(3, 16, 3, 1, 1, false), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
                    new Conv2d(16, 32, 3, 1, 1, false), new BatchNorm2d(32), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(),
                    new Linear(32, 10));
            net.train();
            SGD opt = new SGD(net.parameters(), 0.01, 0.9);
            Tensor x = Torch.randn(4, 3, 32, 32), target = Torch.randn(4, 10);
            long recycledBefore = Allocator.blockCounters().recycled();
            List<float[]> values = new ArrayList<>();
            for (int step = 0; step < 6; step++) {
                opt.zeroGrad(step % 2 == 0); // both: leaves adopting a gradient, and adding into one
                Tensor loss = net.forward(x).sub(target).pow(2).mean();
                loss.backward();
                opt.step();
                values.add(new float[]{loss.item().floatValue()});
            }
            for (Tensor p : net.parameters()) values.add(p.contiguous().toFloatArray());
            if (m == Mode.REUSED) {
                assertTrue(Allocator.blockCounters().recycled() > recycledBefore, "backward recycled no block");
            }
            if (reference == null) {
                reference = values;
                continue;
            }
            assertEquals(reference.size(), values.size());
            for (int i = 0; i < values.size(); i++) assertArrayEquals(reference.get(i), values.get(i), "value " + i + " with recycling " + m);
        }
    }
}
