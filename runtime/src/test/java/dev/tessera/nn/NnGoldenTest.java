package dev.tessera.nn;

import static dev.tessera.nn.NnGolden.assertClose;
import static dev.tessera.nn.NnGolden.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.functions.Pooling;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layers and functional ops against PyTorch 1.13 (scripts/golden/gen_nn.py). */
class NnGoldenTest {
    private final NnGolden gold = NnGolden.get();

    @Test
    void defaultInitialisationIsBitIdentical() {
        Torch.manualSeed(0);
        Linear lin = new Linear(4, 3);
        assertExact("linear weight", gold.tensor("init_linear.weight"), lin.weight().detach());
        assertExact("linear bias", gold.tensor("init_linear.bias"), lin.bias().detach());
        Torch.manualSeed(1);
        Conv2d conv = new Conv2d(3, 4, 3);
        assertExact("conv weight", gold.tensor("init_conv.weight"), conv.weight().detach());
        assertExact("conv bias", gold.tensor("init_conv.bias"), conv.bias().detach());
        Torch.manualSeed(3);
        Linear lin2 = new Linear(7, 5, false);
        Conv2d conv2 = new Conv2d(4, 6, new int[]{3, 2}, new int[]{1, 1}, new int[]{0, 0}, new int[]{1, 1}, 2, true);
        assertExact("lin2", gold.tensor("init_seq.lin"), lin2.weight().detach());
        assertExact("conv2 weight", gold.tensor("init_seq.conv.weight"), conv2.weight().detach());
        assertExact("conv2 bias", gold.tensor("init_seq.conv.bias"), conv2.bias().detach());
    }

    @Test
    void linearForwardBackward() {
        Tensor x = gold.leaf("linear.x"), w = gold.leaf("linear.w"), b = gold.leaf("linear.b");
        Tensor y = Functional.linear(x, w, b);
        assertEquals(gold.str("linear.fn"), y.gradFn().name());
        y.backward(gold.tensor("linear.g"));
        gold.close("linear.y", y);
        gold.close("linear.gx", x.grad());
        gold.close("linear.gw", w.grad());
        gold.close("linear.gb", b.grad());
    }

    @Test
    void conv2dForwardBackward() {
        record Case(String name, int[] stride, int[] padding, int[] dilation, int groups, boolean bias) {}
        for (Case c : List.of(new Case("plain", new int[]{1, 1}, new int[]{0, 0}, new int[]{1, 1}, 1, true),
                new Case("stride_pad", new int[]{2, 2}, new int[]{1, 1}, new int[]{1, 1}, 1, true),
                new Case("dilation", new int[]{1, 2}, new int[]{2, 1}, new int[]{2, 2}, 1, false),
                new Case("groups", new int[]{1, 1}, new int[]{1, 1}, new int[]{1, 1}, 2, true))) {
            String p = "conv_" + c.name + ".";
            Tensor x = gold.leaf(p + "x"), w = gold.leaf(p + "w"), b = c.bias ? gold.leaf(p + "b") : null;
            Tensor y = Functional.conv2d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
            assertEquals(gold.str(p + "fn"), y.gradFn().name());
            gold.close(p + "y", y);
            y.backward(gold.tensor(p + "g"));
            gold.close(p + "gx", x.grad());
            gold.close(p + "gw", w.grad());
            if (c.bias) gold.close(p + "gb", b.grad());
        }
    }

    @Test
    void maxPool2d() {
        record Case(String name, int[] k, int[] s, int[] p, int[] d, boolean ceil) {}
        for (Case c : List.of(new Case("k3s2p1", new int[]{3, 3}, new int[]{2, 2}, new int[]{1, 1}, new int[]{1, 1}, false),
                new Case("ceil", new int[]{2, 2}, new int[]{2, 2}, new int[]{0, 0}, new int[]{1, 1}, true),
                new Case("ceil_pad_dil", new int[]{3, 3}, new int[]{2, 2}, new int[]{1, 1}, new int[]{2, 2}, true),
                new Case("rect", new int[]{2, 3}, new int[]{1, 2}, new int[]{1, 0}, new int[]{1, 1}, false))) {
            String p = "maxpool_" + c.name + ".";
            Tensor x = gold.leaf(p + "x");
            Pooling.Pooled r = Functional.maxPool2dWithIndices(x, c.k, c.s, c.p, c.d, c.ceil);
            assertEquals(gold.str(p + "fn"), r.values().gradFn().name());
            assertExact(p + "y", gold.tensor(p + "y"), r.values().detach());
            assertExact(p + "idx", gold.tensor(p + "idx"), r.indices());
            r.values().backward(gold.tensor(p + "g"));
            gold.close(p + "gx", x.grad());
        }
        Tensor x = gold.leaf("maxpool_ties.x");
        Tensor y = Functional.maxPool2d(x, 2, 1, 0);
        y.backward(Torch.onesLike(y));
        assertExact("ties y", gold.tensor("maxpool_ties.y"), y.detach());
        assertExact("ties gx", gold.tensor("maxpool_ties.gx"), x.grad());
    }

    @Test
    void adaptiveAvgPool2d() {
        Map<String, long[]> sizes = Map.of("3x4", new long[]{3, 4}, "1x1", new long[]{1, 1}, "up", new long[]{5, 3});
        sizes.forEach((name, size) -> {
            String p = "adaptive_" + name + ".";
            Tensor x = gold.leaf(p + "x");
            Tensor y = Functional.adaptiveAvgPool2d(x, size[0], size[1]);
            assertEquals(gold.str(p + "fn"), y.gradFn().name());
            gold.close(p + "y", y);
            y.backward(gold.tensor(p + "g"));
            gold.close(p + "gx", x.grad());
        });
    }

    @Test
    void batchNormTrainTwoStepsThenEval() {
        BatchNorm2d bn = new BatchNorm2d(3);
        try (var g = Torch.noGrad()) {
            bn.weight().copy_(gold.tensor("bn.weight0"));
            bn.bias().copy_(gold.tensor("bn.bias0"));
        }
        for (int step = 0; step < 2; step++) {
            String p = "bn.train" + step + ".";
            Tensor x = gold.leaf(p + "x");
            Tensor y = bn.forward(x);
            assertEquals(gold.str(p + "fn"), y.gradFn().name());
            assertExact(p + "y", gold.tensor(p + "y"), y);
            y.backward(gold.tensor(p + "g"));
            gold.close(p + "gx", x.grad());
            gold.close(p + "gw", bn.weight().grad());
            gold.close(p + "gb", bn.bias().grad());
            bn.zeroGrad(true);
        }
        assertExact("bn.running_mean", gold.tensor("bn.running_mean"), bn.runningMean());
        assertExact("bn.running_var", gold.tensor("bn.running_var"), bn.runningVar());
        assertExact("num_batches_tracked", gold.tensor("bn.num_batches_tracked"), bn.numBatchesTracked());
        bn.eval();
        Tensor x = gold.leaf("bn.eval.x");
        Tensor y = bn.forward(x);
        assertExact("bn.eval.y", gold.tensor("bn.eval.y"), y);
        y.backward(gold.tensor("bn.eval.g"));
        gold.close("bn.eval.gx", x.grad());
        gold.close("bn.eval.gw", bn.weight().grad());
        gold.close("bn.eval.gb", bn.bias().grad());
        assertExact("eval does not count batches", gold.tensor("bn.num_batches_tracked"), bn.numBatchesTracked());
    }

    @Test
    void batchNormWideIsBitExact() {
        // 99 and 35 elements per plane: vector bodies and scalar tails of the channel kernels
        BatchNorm2d bn = new BatchNorm2d(16);
        try (var g = Torch.noGrad()) {
            bn.weight().copy_(gold.tensor("bnw.weight"));
            bn.bias().copy_(gold.tensor("bnw.bias"));
        }
        assertExact("bnw.train.y", gold.tensor("bnw.train.y"), bn.forward(gold.tensor("bnw.train.x")));
        assertExact("bnw.running_mean", gold.tensor("bnw.running_mean"), bn.runningMean());
        assertExact("bnw.running_var", gold.tensor("bnw.running_var"), bn.runningVar());
        bn.eval();
        assertExact("bnw.eval.y", gold.tensor("bnw.eval.y"), bn.forward(gold.tensor("bnw.eval.x")));
    }

    @Test
    void dropoutMasksMatchPyTorch() {
        Torch.manualSeed(5);
        assertExact("F.dropout", gold.tensor("dropout.p03"), Functional.dropout(Torch.ones(4, 5), 0.3, true));
        Torch.manualSeed(7);
        Dropout d = new Dropout(0.5);
        assertExact("Dropout module", gold.tensor("dropout.module.y"), d.forward(gold.tensor("dropout.module.x")));
        d.eval();
        Tensor x = gold.tensor("dropout.module.x");
        assertExact("eval is identity", x, d.forward(x));
    }

    @Test
    void losses() {
        for (String red : List.of("mean", "sum", "none")) {
            Tensor x = gold.leaf("mse.x"), t = gold.leaf("mse.target");
            Tensor out = Functional.mseLoss(x, t, red);
            assertEquals(gold.str("mse." + red + ".fn"), out.gradFn().name());
            gold.close("mse." + red + ".out", out);
            (red.equals("none") ? out.mul(Torch.arange(12).to(dev.tessera.DType.FLOAT32).reshape(3, 4)).sum() : out).backward();
            gold.close("mse." + red + ".gx", x.grad());
            gold.close("mse." + red + ".gt", t.grad());

            Tensor logits = gold.leaf("ce.x");
            Tensor ce = Functional.crossEntropy(logits, gold.tensor("ce.target"), red);
            assertEquals(gold.str("ce." + red + ".fn"), ce.gradFn().name());
            gold.close("ce." + red + ".out", ce);
            (red.equals("none") ? ce.mul(Torch.tensor(new float[]{1, 2, 3, 4})).sum() : ce).backward();
            gold.close("ce." + red + ".gx", logits.grad());
        }
        Tensor lp = gold.leaf("nll.x");
        Tensor nll = Functional.nllLoss(lp, gold.tensor("nll.target"));
        gold.close("nll.out", nll);
        nll.backward();
        gold.close("nll.gx", lp.grad());
    }

    private static Sequential smallModel() {
        return new Sequential(new Conv2d(3, 4, 3, 1, 1, false), new BatchNorm2d(4), new ReLU(true), new MaxPool2d(3, 2, 1),
                new AdaptiveAvgPool2d(1, 1), new Flatten(), new Dropout(0.25), new Linear(4, 2));
    }

    @Test
    void sequentialReprKeysAndOutputs() {
        Torch.manualSeed(0);
        Sequential model = smallModel();
        assertEquals(gold.str("model.repr"), model.toString());
        assertEquals(gold.str("model.state_keys"), String.join(" ", model.stateDict().keySet()));
        assertEquals(gold.str("model.param_names"), String.join(" ", model.namedParameters().keySet()));
        assertEquals(gold.str("repr.conv_full"),
                new Conv2d(4, 8, new int[]{3, 5}, new int[]{2, 1}, new int[]{1, 2}, new int[]{2, 2}, 2, true).toString());
        assertEquals(gold.str("repr.bn"), new BatchNorm2d(64, 1e-3, null, true, true).toString());
        // the fixture's input was drawn from the generator: draw it too so dropout sees the same stream
        Torch.rand(2, 3, 5, 5);
        Tensor x = gold.tensor("model.x");
        gold.close("model.train_y", model.forward(x));
        model.eval();
        gold.close("model.eval_y", model.forward(x));
    }
}
