package dev.tessera.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostAccumulateGradHookTest {
    @Test
    void hookSeesTheAccumulatedGradOnceAndAccumulationContinues() {
        Tensor w = Torch.tensor(new float[] {1f, 2f}).requiresGrad_(true);
        List<double[]> seen = new ArrayList<>();
        w.registerPostAccumulateGradHook(t -> {
            assertTrue(t == w);
            seen.add(t.grad().toDoubleArray());
        });
        // w is used twice: the engine sums both paths before AccumulateGrad, so the hook fires once
        w.mul(3).add(w.mul(w)).sum().backward();
        assertEquals(1, seen.size());
        assertArrayEquals(new double[] {5, 7}, seen.get(0)); // 3 + 2w
        w.mul(2).sum().backward();
        assertEquals(2, seen.size());
        assertArrayEquals(new double[] {7, 9}, seen.get(1)); // accumulated into the existing .grad
    }

    @Test
    void hooksRunInRegistrationOrderAndCanBeRemoved() {
        Tensor w = Torch.tensor(new double[] {1.0}).requiresGrad_(true);
        List<String> order = new ArrayList<>();
        w.registerPostAccumulateGradHook(t -> order.add("a"));
        AccumulateGrad.HookHandle b = w.registerPostAccumulateGradHook(t -> order.add("b"));
        w.mul(2).sum().backward();
        b.remove();
        w.mul(2).sum().backward();
        assertEquals(List.of("a", "b", "a"), order);
    }

    @Test
    void queuedCallbackRunsAfterEveryLeafHook() {
        Tensor a = Torch.tensor(new float[] {1f}).requiresGrad_(true);
        Tensor b = Torch.tensor(new float[] {2f}).requiresGrad_(true);
        List<String> events = new ArrayList<>();
        a.registerPostAccumulateGradHook(t -> {
            events.add("a");
            Engine.queueCallback(() -> events.add("end"));
        });
        b.registerPostAccumulateGradHook(t -> events.add("b"));
        a.mul(b).sum().backward();
        assertEquals(3, events.size());
        assertEquals("end", events.get(2));
        assertThrows(IllegalStateException.class, () -> Engine.queueCallback(() -> {}));
    }

    @Test
    void refusedOnNonLeavesAndTensorsWithoutGrad() {
        Tensor w = Torch.tensor(new float[] {1f}).requiresGrad_(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.mul(2).registerPostAccumulateGradHook(t -> {}));
        assertTrue(e.getMessage().contains("non-leaf"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Torch.tensor(new float[] {1f}).registerPostAccumulateGradHook(t -> {}));
    }
}
