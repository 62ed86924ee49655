package dev.tessera.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A seeded resnet18 against torchvision's (scripts/golden/gen_resnet.py): the same random
 * initialisation, eval and train logits, loss, gradients and running statistics, without any
 * weights committed. normal_ matches PyTorch to ~1e-6, so values are compared with a tolerance
 * relative to the magnitude of each golden vector.
 */
class ResNetGoldenTest {
    static Map<String, double[]> golden;
    static ResNet model;
    static Tensor x, labels, randAfterInit;

    @BeforeAll
    static void build() {
        golden = ResNetGolden.values();
        Torch.manualSeed(0);
        model = ResNet.resnet18();
        randAfterInit = Torch.rand(4);
        Torch.manualSeed(1);
        x = Torch.rand(1, 3, 64, 64);
        labels = Torch.rand(1, 1000);
    }

    static double[] values(Tensor t) {
        return t.detach().contiguous().toDoubleArray();
    }

    static double[] head(Tensor t, int n) {
        double[] all = values(t);
        return java.util.Arrays.copyOf(all, Math.min(n, all.length));
    }

    /** |a - e| <= tol * max(1, max|e|) for every element. */
    static void close(String name, double[] actual, double rel) {
        double[] expected = golden.get(name);
        assertTrue(expected != null, "no golden " + name);
        assertEquals(expected.length, actual.length, name + ": length");
        double scale = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        double tol = rel * Math.max(scale, 1e-12);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            assertTrue(err <= tol, name + "[" + i + "]: expected " + expected[i] + " got " + actual[i] + " (tol " + tol + ")");
        }
    }

    static double sum(Tensor t, boolean abs) {
        double s = 0;
        for (double v : values(t)) s += abs ? Math.abs(v) : v;
        return s;
    }

    @Test
    void initialisationAndForwardMatchTorchvision() {
        Map<String, Tensor> sd = model.stateDict();
        for (String k : new String[]{"conv1.weight", "layer1.0.conv1.weight", "layer2.0.downsample.0.weight", "layer4.1.conv2.weight",
                "fc.weight", "fc.bias"}) {
            close("init_head " + k, head(sd.get(k), 8), 1e-6);
            close("init_sum " + k, new double[]{sum(sd.get(k), false)}, 1e-5);
        }
        close("rand_after_init", values(randAfterInit), 0);
        close("x_head", head(x, 8), 0);
        close("labels_head", head(labels, 8), 0);

        // eval first: it leaves the running statistics untouched, as in the generator
        model.eval();
        try (NoGrad g = Torch.noGrad()) {
            close("eval_logits", values(model.forward(x)), 2e-5);
        }

        model.train();
        Tensor pred = model.forward(x);
        Tensor loss = pred.sub(labels).sum();
        loss.backward();
        close("train_logits", values(pred), 5e-5);
        close("train_loss", new double[]{loss.item().doubleValue()}, 1e-5);
        Map<String, Tensor> params = model.namedParameters();
        for (String k : new String[]{"conv1.weight", "layer1.0.conv1.weight", "layer3.0.downsample.0.weight", "layer4.1.bn2.weight",
                "fc.weight", "fc.bias"}) {
            Tensor grad = params.get(k).grad();
            close("grad_head " + k, head(grad, 8), 5e-4);
            close("grad_sum " + k, new double[]{sum(grad, false)}, 5e-4);
            close("grad_abssum " + k, new double[]{sum(grad, true)}, 5e-5);
        }
        close("running_mean_head bn1", head(model.stateDict().get("bn1.running_mean"), 8), 1e-5);
        close("running_var_head layer4.1.bn2", head(model.stateDict().get("layer4.1.bn2.running_var"), 8), 1e-4);
    }
}
