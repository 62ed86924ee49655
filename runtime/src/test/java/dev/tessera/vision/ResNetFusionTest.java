package dev.tessera.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.Functional;
import dev.tessera.nn.Module;
import dev.tessera.nn.ReLU;
import dev.tessera.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ResNet-18 with its batch norms fused into their ReLUs (and residual adds) against the same model
 * run module by module (-Dtessera.fuseBatchNorm=false): two SGD steps with momentum in train mode
 * (losses, every gradient, parameters and running statistics), then eval logits, all the same bits.
 * Fusion changes neither the module tree, nor the state dict keys, nor the printed model.
 */
class ResNetFusionTest {
    @Test
    void fusedTrainingAndEvalEqualUnfusedBitForBit() {
        List<float[]> fused = trainAndEval(true), plain = trainAndEval(false);
        assertEquals(plain.size(), fused.size());
        for (int i = 0; i < plain.size(); i++) assertArrayEquals(plain.get(i), fused.get(i), 0f, "result " + i);
    }

    private static List<float[]> trainAndEval(boolean fuse) {
        String previous = System.setProperty("tessera.fuseBatchNorm", Boolean.toString(fuse));
        try {
            Torch.manualSeed(0);
            ResNet model = ResNet.resnet18();
            Torch.manualSeed(1);
            Tensor x = Torch.rand(2, 3, 64, 64), target = Torch.rand(2, 1000);
            SGD opt = new SGD(model.parameters(), 0.05, 0.9);
            List<float[]> out = new ArrayList<>();
            for (int step = 0; step < 2; step++) {
                opt.zeroGrad();
                Tensor loss = Functional.mseLoss(model.forward(x), target);
                loss.backward();
                out.add(loss.toFloatArray());
                for (Tensor p : model.parameters()) out.add(p.grad().toFloatArray());
                opt.step();
            }
            for (Tensor t : model.stateDict().values()) out.add(t.to(dev.tessera.DType.FLOAT32).toFloatArray());
            model.eval();
            try (NoGrad g = Torch.noGrad()) {
                out.add(model.forward(x).toFloatArray());
            }
            return out;
        } finally {
            if (previous == null) System.clearProperty("tessera.fuseBatchNorm");
            else System.setProperty("tessera.fuseBatchNorm", previous);
        }
    }

    @Test
    void fusionLeavesTheModuleTreeAlone() {
        Torch.manualSeed(0);
        ResNet model = ResNet.resnet18();
        String printed = model.toString();
        Map<String, Tensor> state = model.stateDict();
        assertTrue(printed.contains("(bn1): BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"), printed);
        assertTrue(printed.contains("(relu): ReLU(inplace=True)"), printed);
        assertTrue(state.containsKey("layer1.0.bn2.running_var") && state.containsKey("layer2.0.downsample.1.weight"), state.keySet().toString());
        assertEquals(122, state.size());
        // a block whose relu was swapped for another module runs that module, unfused
        Module block = model.getSubmodule("layer1").getSubmodule("0");
        Torch.manualSeed(2);
        Tensor x = Torch.randn(1, 64, 8, 8);
        block.setSubmodule("relu", new ReLU(false) {
            @Override
            public Tensor forward(Tensor input) { return input.mul(0.0); }
        });
        try (NoGrad g = Torch.noGrad()) {
            assertArrayEquals(new float[64 * 64], block.forward(x).toFloatArray(), 0f);
        }
    }
}
