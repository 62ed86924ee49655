package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Module bookkeeping: registration order, state dicts, loading errors, modes, submodule access. */
class ModuleTest {
    /** A two-level module shaped like a ResNet block container. */
    static final class Block extends Module {
        final Conv2d conv1 = registerModule("conv1", new Conv2d(2, 2, 3, 1, 1, false));
        final BatchNorm2d bn1 = registerModule("bn1", new BatchNorm2d(2));
        final Tensor scale = registerParameter("scale", Torch.ones(1));

        @Override
        public Tensor forward(Tensor x) { return bn1.forward(conv1.forward(x)).mul(scale); }
    }

    static final class Net extends Module {
        Net() {
            registerModule("stem", new Linear(3, 4));
            registerModule("layer1", new Sequential(new Block(), new Block()));
            registerModule("fc", new Linear(4, 2));
        }

        @Override
        public Tensor forward(Tensor x) { return x; }
    }

    @Test
    void namesFollowPyTorchOrder() {
        Net net = new Net();
        assertEquals(List.of("stem.weight", "stem.bias", "layer1.0.scale", "layer1.0.conv1.weight", "layer1.0.bn1.weight",
                "layer1.0.bn1.bias", "layer1.1.scale", "layer1.1.conv1.weight", "layer1.1.bn1.weight", "layer1.1.bn1.bias",
                "fc.weight", "fc.bias"), List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("stem.weight", "stem.bias", "layer1.0.scale", "layer1.0.conv1.weight", "layer1.0.bn1.weight",
                "layer1.0.bn1.bias", "layer1.0.bn1.running_mean", "layer1.0.bn1.running_var", "layer1.0.bn1.num_batches_tracked",
                "layer1.1.scale", "layer1.1.conv1.weight", "layer1.1.bn1.weight", "layer1.1.bn1.bias", "layer1.1.bn1.running_mean",
                "layer1.1.bn1.running_var", "layer1.1.bn1.num_batches_tracked", "fc.weight", "fc.bias"),
                List.copyOf(net.stateDict().keySet()));
        assertEquals(12, net.parameters().size());
        assertEquals(DType.INT64, net.stateDict().get("layer1.0.bn1.num_batches_tracked").dtype());
        assertEquals(List.of("", "stem", "layer1", "layer1.0", "layer1.0.conv1", "layer1.0.bn1", "layer1.1", "layer1.1.conv1",
                "layer1.1.bn1", "fc"), List.copyOf(net.namedModules().keySet()));
    }

    @Test
    void stateDictSharesStorage() {
        Linear lin = new Linear(3, 2);
        Tensor w = lin.stateDict().get("weight");
        assertFalse(w.requiresGrad());
        w.fill_(7.0);
        assertEquals(7.0, lin.weight().detach().sum().item().doubleValue() / 6, 1e-12);
    }

    @Test
    void loadStateDictRoundTripAndErrors() {
        Torch.manualSeed(1);
        Net a = new Net();
        Net b = new Net();
        b.loadStateDict(a.stateDict());
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            assertTrue(e.getValue().equal(b.stateDict().get(e.getKey())), e.getKey());
        }
        assertTrue(b.namedParameters().get("fc.weight").requiresGrad());
        assertTrue(b.namedParameters().get("fc.weight").isLeaf());

        Map<String, Tensor> bad = new LinkedHashMap<>(a.stateDict());
        bad.remove("fc.bias");
        bad.remove("stem.weight");
        bad.put("fc.extra", Torch.zeros(1));
        bad.put("fc.weight", Torch.zeros(3, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad));
        assertEquals("Error(s) in loading state_dict for Net:\n"
                + "\tMissing key(s) in state_dict: \"stem.weight\", \"fc.bias\". \n"
                + "\tUnexpected key(s) in state_dict: \"fc.extra\". \n"
                + "\tsize mismatch for fc.weight: copying a param with shape torch.Size([3, 4]) from checkpoint, "
                + "the shape in current model is torch.Size([2, 4]).", e.getMessage());

        Map<String, Tensor> partial = new LinkedHashMap<>(a.stateDict());
        partial.remove("fc.bias");
        partial.put("junk", Torch.zeros(1));
        Module.IncompatibleKeys keys = b.loadStateDict(partial, false);
        assertEquals(List.of("fc.bias"), keys.missingKeys());
        assertEquals(List.of("junk"), keys.unexpectedKeys());

        // a state dict without num_batches_tracked (e.g. from safetensors) loads it as 0
        Map<String, Tensor> noCount = new LinkedHashMap<>(a.stateDict());
        noCount.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
        b.loadStateDict(noCount);
    }

    @Test
    void setAndGetSubmodule() {
        Net net = new Net();
        Linear fc = new Linear(4, 10);
        net.setSubmodule("fc", fc);
        assertSame(fc, net.getSubmodule("fc"));
        assertEquals(List.of("stem", "layer1", "fc"), List.copyOf(net.namedChildren().keySet()));
        net.setSubmodule("layer1.1.conv1", new Conv2d(2, 2, 1));
        assertEquals(1, ((Conv2d) net.getSubmodule("layer1.1.conv1")).kernelSize()[0]);
        assertThrows(IllegalArgumentException.class, () -> net.getSubmodule("layer1.5"));
        for (Tensor p : net.parameters()) p.requiresGrad_(false);
        net.setSubmodule("fc", new Linear(4, 3));
        long trainable = net.parameters().stream().filter(Tensor::requiresGrad).count();
        assertEquals(2, trainable);
    }

    @Test
    void trainEvalPropagatesAndZeroGrad() {
        Net net = new Net();
        assertTrue(net.getSubmodule("layer1.0.bn1").isTraining());
        net.eval();
        assertFalse(net.getSubmodule("layer1.0.bn1").isTraining());
        net.train();
        assertTrue(net.getSubmodule("layer1.1").isTraining());
        Linear lin = new Linear(3, 2);
        lin.forward(Torch.ones(4, 3)).sum().backward();
        Tensor g = lin.weight().grad();
        lin.zeroGrad();
        assertSame(g, lin.weight().grad());
        assertEquals(0.0, g.abs().sum().item().doubleValue());
        lin.zeroGrad(true);
        assertEquals(null, lin.weight().grad());
    }

    @Test
    void applyVisitsChildrenFirst() {
        StringBuilder order = new StringBuilder();
        new Sequential(new Linear(1, 1), new Sequential(new ReLU())).apply(m -> order.append(m.getClass().getSimpleName()).append(' '));
        assertEquals("Linear ReLU Sequential Sequential ", order.toString());
    }

    @Test
    void layerInputErrors() {
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3).forward(Torch.ones(1, 2, 5, 5)));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3).forward(Torch.ones(1, 3, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Torch.ones(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(3, 1, 2).forward(Torch.ones(1, 1, 5, 5)));
        assertThrows(IllegalArgumentException.class, () -> new Linear(3, 4).forward(Torch.ones(2, 5)));
        assertThrows(IndexOutOfBoundsException.class, () -> Functional.crossEntropy(Torch.ones(2, 3), Torch.tensor(new long[]{0, 3})));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    }
}
