package dev.tessera.autograd;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.Index;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.Functional;
import dev.tessera.tensor.Storage;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * After backward (without retain_graph) the graph stays reachable from the root for as long as the
 * caller holds it ({@code loss = ...; loss.backward(); print(loss.item())}), but like PyTorch it
 * must no longer hold the tensors it used: a backward formula that captured an input or an index
 * tensor, instead of saving it (saved tensors are released), kept that memory alive until the root
 * died. In a training loop that pinned activations past the end of backward, where the allocator
 * collects them for the next step. Each case builds an op on tensors the test then drops, runs
 * backward with the root still referenced, and checks that their storage was collected.
 */
class GraphReleaseTest {
    /** One op: given fresh tensors (made by the case's own factory), the output to backward through. */
    private record Case(Function<List<Tensor>, Tensor> op, java.util.function.Supplier<List<Tensor>> inputs) {}

    private static Tensor inner(long... shape) {
        // an intermediate (non-leaf) that needs grad: its only references are the test's and the graph's
        return Torch.randn(shape).requiresGrad_(true).mul(1.0);
    }

    private static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        CASES.put("add", new Case(t -> t.get(0).add(t.get(1)), () -> List.of(inner(64, 64), inner(64))));
        CASES.put("sub", new Case(t -> t.get(0).sub(t.get(1)), () -> List.of(inner(64, 64), inner(64, 64))));
        CASES.put("mul (only one side saved)", new Case(t -> t.get(0).mul(t.get(1)),
                () -> List.of(inner(64, 64), Torch.randn(64, 64))));
        CASES.put("div", new Case(t -> t.get(0).div(t.get(1)), () -> List.of(inner(64, 64), Torch.rand(64, 64).add(1.0))));
        CASES.put("pow with a tensor exponent", new Case(t -> t.get(0).abs().add(1.0).pow(t.get(1)),
                () -> List.of(inner(64, 64), Torch.rand(64, 64))));
        CASES.put("maximum", new Case(t -> t.get(0).maximum(t.get(1)), () -> List.of(inner(64, 64), inner(64, 64))));
        CASES.put("remainder", new Case(t -> t.get(0).remainder(t.get(1)), () -> List.of(inner(64, 64), Torch.rand(64, 64).add(1.0))));
        CASES.put("where", new Case(t -> Torch.where(t.get(1).gt(0), t.get(0), t.get(1)), () -> List.of(inner(64, 64), inner(64, 64))));
        CASES.put("copy_", new Case(t -> inner(64, 64).copy_(t.get(0)), () -> List.of(inner(64, 64))));
        CASES.put("cat", new Case(t -> Torch.cat(List.of(t.get(0), t.get(1)), 0), () -> List.of(inner(32, 64), inner(32, 64))));
        CASES.put("stack", new Case(t -> Torch.stack(List.of(t.get(0), t.get(1)), 0), () -> List.of(inner(32, 64), inner(32, 64))));
        CASES.put("gather (index)", new Case(t -> inner(64, 64).gather(1, t.get(0)),
                () -> List.of(Torch.randint(0, 64, 64, 64))));
        CASES.put("index_select (index)", new Case(t -> inner(64, 64).indexSelect(0, t.get(0)),
                () -> List.of(Torch.randint(0, 64, 4096))));
        CASES.put("index with a tensor", new Case(t -> inner(64, 64).index(Index.tensor(t.get(0))),
                () -> List.of(Torch.randint(0, 64, 4096))));
        CASES.put("index_put_ (value)", new Case(t -> {
            Tensor target = inner(64, 64);
            target.indexPut_(new Index[]{Index.tensor(Torch.randint(0, 64, 64))}, t.get(0));
            return target;
        }, () -> List.of(inner(64, 64))));
        CASES.put("max over a dim (indices)", new Case(t -> t.get(0).mul(1.0).max(1).values(), () -> List.of(inner(64, 4096))));
        CASES.put("max_pool2d (indices)", new Case(t -> Functional.maxPool2dWithIndices(t.get(0), new int[]{2, 2}, new int[]{2, 2},
                new int[]{0, 0}, new int[]{1, 1}, false).values(), () -> List.of(inner(2, 16, 32, 32))));
        CASES.put("batch norm + residual + relu (residual)", new Case(t -> Functional.batchNormRelu(inner(4, 16, 16, 16), t.get(0),
                null, null, Torch.ones(16).requiresGrad_(true), Torch.zeros(16).requiresGrad_(true), true, 0.1, 1e-5),
                () -> List.of(inner(4, 16, 16, 16))));
    }

    @TestFactory
    Stream<DynamicTest> backwardReleasesWhatItUsedWhileTheRootIsHeld() {
        return CASES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            List<WeakReference<Storage>> refs = new ArrayList<>();
            Tensor root = build(e.getValue(), refs);
            root.backward();
            collect(refs);
            for (int i = 0; i < refs.size(); i++) {
                assertNull(refs.get(i).get(), e.getKey() + ": input " + i + "'s storage is still reachable from the graph after backward");
            }
            assertNotNull(root.gradFn()); // the root, and so its graph, was alive all along
        }));
    }

    /** With retain_graph the saved tensors stay: a second backward works (and the graph keeps its inputs' storage). */
    @Test
    void retainGraphStillKeepsSavedTensorsForASecondBackward() {
        Tensor x = Torch.randn(8, 8).requiresGrad_(true);
        Tensor idx = Torch.randint(0, 8, 8, 8);
        Tensor y = x.gather(1, idx).sum();
        y.backward(null, true);
        y.backward();
        assertThrows(IllegalStateException.class, y::backward, "a third backward after the graph was freed must fail");
    }

    private static Tensor build(Case c, List<WeakReference<Storage>> refs) {
        List<Tensor> in = c.inputs().get();
        for (Tensor t : in) refs.add(new WeakReference<>(t.storage()));
        return c.op().apply(in).sum(); // the inputs' only strong references end with this frame
    }

    private static void collect(List<WeakReference<Storage>> refs) throws InterruptedException {
        for (int i = 0; i < 20 && refs.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }
    }
}
