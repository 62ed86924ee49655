package dev.tessera.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.io.StateDicts;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ResNet18Weights: safetensors round trip, strict loading, missing files, and (when PyTorch is installed) a real torchvision .pth. */
class ResNetWeightsTest {
    @TempDir
    Path dir;

    private static void skip(String reason) {
        System.out.println("[ResNetWeightsTest] skipped torchvision .pth check: " + reason);
        Assumptions.abort(reason);
    }

    static float[] evalLogits(ResNet m, Tensor x) {
        m.eval();
        try (NoGrad g = Torch.noGrad()) {
            return m.forward(x).toFloatArray();
        }
    }

    @Test
    void safetensorsRoundTripReproducesTheModel() {
        Torch.manualSeed(3);
        ResNet a = ResNet.resnet18();
        a.forward(Torch.rand(2, 3, 32, 32)); // train mode: moves the running statistics off their defaults
        Path file = dir.resolve("r18.safetensors");
        StateDicts.save(a.stateDict(), file);

        ResNet b = ResNet.resnet18(ResNet18Weights.fromFile(file));
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            assertTrue(b.stateDict().get(e.getKey()).equal(e.getValue()), e.getKey());
        }
        Tensor x = Torch.rand(1, 3, 64, 64);
        assertArrayEquals(evalLogits(a, x), evalLogits(b, x));
    }

    @Test
    void loadingIsStrict() {
        Map<String, Tensor> sd = new LinkedHashMap<>(ResNet.resnet18().stateDict());
        sd.remove("fc.bias");
        sd.put("fc.extra", Torch.zeros(1));
        Path file = dir.resolve("bad.safetensors");
        StateDicts.save(sd, file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResNet.resnet18(ResNet18Weights.fromFile(file)));
        assertTrue(e.getMessage().contains("Missing key(s) in state_dict: \"fc.bias\""), e.getMessage());
        assertTrue(e.getMessage().contains("Unexpected key(s) in state_dict: \"fc.extra\""), e.getMessage());
    }

    @Test
    void missingFileNamesThePathAndTheRemedy() {
        Path missing = dir.resolve("nope.pth");
        ResNet18Weights w = ResNet18Weights.fromFile(missing);
        assertFalse(w.isAvailable());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ResNet.resnet18(w));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        // DEFAULT explains how to obtain the torchvision file (it is absent on build machines)
        if (!ResNet18Weights.DEFAULT.isAvailable()) {
            UncheckedIOException d = assertThrows(UncheckedIOException.class, ResNet18Weights.DEFAULT::stateDict);
            assertTrue(d.getMessage().contains(ResNet18Weights.DEFAULT.path().toString()), d.getMessage());
            assertTrue(d.getMessage().contains("torchvision.models.resnet18(weights='DEFAULT')"), d.getMessage());
        }
    }

    /**
     * torch.save of a real torchvision resnet18 (seeded, running statistics updated) loads strictly
     * and gives torchvision's eval logits. Needs /usr/bin/python3 with torch and torchvision at test
     * time; skipped with a printed reason otherwise.
     */
    @Test
    void loadsATorchvisionCheckpoint() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            skip("/usr/bin/python3 not found");
        }
        Path pth = dir.resolve("resnet18.pth"), logits = dir.resolve("logits.txt"), old = dir.resolve("resnet18-old.pth");
        String script = String.join("\n",
                "import sys, torch, torchvision",
                "torch.manual_seed(5)",
                "m = torchvision.models.resnet18()",
                "m(torch.rand(2, 3, 32, 32))",
                "torch.save(m.state_dict(), sys.argv[1])",
                "# like resnet18-f37072fd.pth (re-saved from a 2017 file): no num_batches_tracked entries",
                "torch.save({k: v for k, v in m.state_dict().items() if 'num_batches' not in k}, sys.argv[3])",
                "torch.manual_seed(6)",
                "x = torch.rand(1, 3, 64, 64)",
                "m.eval()",
                "with torch.no_grad():",
                "    open(sys.argv[2], 'w').write(' '.join(repr(v) for v in m(x).reshape(-1).tolist()))",
                "");
        Process p = new ProcessBuilder(python.toString(), "-c", script, pth.toString(), logits.toString(), old.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            skip("python3 with torch+torchvision failed: " + out.lines().reduce((a, b) -> b).orElse(""));
        }
        String[] expected = Files.readString(logits).trim().split(" ");
        assertEquals(1000, expected.length);
        for (Path file : List.of(pth, old)) {
            ResNet model = ResNet.resnet18(ResNet18Weights.fromFile(file));
            Torch.manualSeed(6);
            float[] actual = evalLogits(model, Torch.rand(1, 3, 64, 64));
            for (int i = 0; i < expected.length; i++) {
                double e = Double.parseDouble(expected[i]);
                assertEquals(e, actual[i], 1e-4 * Math.max(1, Math.abs(e)), file.getFileName() + " logit " + i);
            }
            // as PyTorch's BatchNorm: an absent num_batches_tracked loads as 0
            assertEquals(file == pth ? 1L : 0L, model.stateDict().get("bn1.num_batches_tracked").item().longValue());
        }
    }
}
