package dev.tessera.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** resnet18's state dict keys, shapes, dtypes, parameter count and repr equal torchvision's (gen_resnet.py). */
class ResNetStructureTest {
    static ResNet model;

    @BeforeAll
    static void build() { model = ResNet.resnet18(); }

    @Test
    void stateDictKeysShapesAndDtypesMatchTorchvision() {
        List<String> actual = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            Tensor t = e.getValue();
            StringBuilder shape = new StringBuilder();
            for (long s : t.shapeArray()) shape.append(shape.length() == 0 ? "" : ",").append(s);
            String dtype = switch (t.dtype()) {
                case FLOAT32 -> "float32";
                case INT64 -> "int64";
                default -> t.dtype().toString();
            };
            actual.add(e.getKey() + " " + dtype + " " + (shape.length() == 0 ? "scalar" : shape));
        }
        assertEquals(ResNetGolden.lines("resnet18_keys.txt"), actual);
    }

    @Test
    void parameterCountAndOrder() {
        long count = 0;
        for (Tensor p : model.parameters()) count += p.numel();
        assertEquals(11_689_512L, count);
        List<String> names = List.copyOf(model.namedParameters().keySet());
        assertEquals(62, names.size());
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "layer1.0.conv1.weight"), names.subList(0, 4));
        assertTrue(names.contains("layer2.0.downsample.0.weight") && names.contains("layer2.0.downsample.1.bias"));
        assertEquals(List.of("fc.weight", "fc.bias"), names.subList(60, 62));
        for (Tensor p : model.parameters()) assertTrue(p.requiresGrad() && p.isLeaf());
    }

    @Test
    void reprMatchesTorchvision() {
        assertEquals(String.join("\n", ResNetGolden.lines("resnet18_repr.txt")), model.toString());
    }

    @Test
    void forwardShapesAndBadInput() {
        model.eval();
        assertEquals(List.of(2L, 1000L), List.of(model.forward(Torch.rand(2, 3, 32, 32)).shapeArray()[0],
                model.forward(Torch.rand(2, 3, 32, 32)).shapeArray()[1]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forward(Torch.rand(1, 1, 32, 32)));
        assertTrue(e.getMessage().contains("[N, 3, H, W]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ResNet(new int[]{2, 2, 2}, 10));
        model.train();
    }

    @Test
    void resnet34Layout() {
        ResNet r34 = ResNet.resnet34();
        long count = 0;
        for (Tensor p : r34.parameters()) count += p.numel();
        assertEquals(21_797_672L, count); // torchvision.models.resnet34()
        assertTrue(r34.stateDict().containsKey("layer3.5.bn2.running_var"));
    }

    @Test
    void defaultCheckpointPathFollowsTorchHub() {
        String f = ResNet18Weights.FILE_NAME;
        assertEquals(Path.of("/home/u/.cache/torch/hub/checkpoints", f), ResNet18Weights.hubCheckpoint(Map.of(), "/home/u"));
        assertEquals(Path.of("/x/cache/torch/hub/checkpoints", f),
                ResNet18Weights.hubCheckpoint(Map.of("XDG_CACHE_HOME", "/x/cache"), "/home/u"));
        assertEquals(Path.of("/opt/th/hub/checkpoints", f),
                ResNet18Weights.hubCheckpoint(Map.of("TORCH_HOME", "/opt/th", "XDG_CACHE_HOME", "/x/cache"), "/home/u"));
        assertEquals(Path.of("/home/u/th/hub/checkpoints", f), ResNet18Weights.hubCheckpoint(Map.of("TORCH_HOME", "~/th"), "/home/u"));
        assertEquals("resnet18-f37072fd.pth", ResNet18Weights.DEFAULT.path().getFileName().toString());
    }
}
