package dev.tessera.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.Linear;
import dev.tessera.optim.Optimizer;
import dev.tessera.optim.SGD;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tutorial's fine-tuning recipe: freeze everything, replace fc, and only fc learns. */
class ResNetFineTuneTest {
    @Test
    void onlyTheNewClassifierLearns() {
        Torch.manualSeed(7);
        ResNet model = ResNet.resnet18();
        for (Tensor p : model.parameters()) p.requiresGrad_(false);
        model.setSubmodule("fc", new Linear(512, 10));
        Map<String, Tensor> before = new LinkedHashMap<>();
        model.namedParameters().forEach((k, v) -> before.put(k, v.detach().clone()));
        assertEquals(List.of("fc.weight", "fc.bias"),
                model.namedParameters().entrySet().stream().filter(e -> e.getValue().requiresGrad()).map(Map.Entry::getKey).toList());

        Optimizer optim = new SGD(model.parameters(), 1e-2, 0.9);
        Tensor out = model.forward(Torch.rand(2, 3, 32, 32));
        assertEquals(List.of(2L, 10L), List.of(out.shapeArray()[0], out.shapeArray()[1]));
        Tensor loss = out.sub(Torch.rand(2, 10)).sum();
        loss.backward();
        optim.step();

        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            boolean fc = e.getKey().startsWith("fc.");
            if (fc) {
                assertNotNull(p.grad(), e.getKey());
                assertFalse(p.equal(before.get(e.getKey())), e.getKey() + " should have been updated");
            } else {
                assertNull(p.grad(), e.getKey());
                assertTrue(p.equal(before.get(e.getKey())), e.getKey() + " should be frozen");
            }
        }
        // fc.bias's gradient of a plain sum is the batch size
        for (float g : model.namedParameters().get("fc.bias").grad().toFloatArray()) assertEquals(2f, g);
    }
}
