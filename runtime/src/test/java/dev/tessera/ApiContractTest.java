package dev.tessera;

import static dev.tessera.Index.all;
import static dev.tessera.Index.at;
import static dev.tessera.Index.ellipsis;
import static dev.tessera.Index.newAxis;
import static dev.tessera.Index.slice;
import static dev.tessera.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.io.StateDicts;
import dev.tessera.nn.AdaptiveAvgPool2d;
import dev.tessera.nn.BatchNorm2d;
import dev.tessera.nn.Conv2d;
import dev.tessera.nn.Dropout;
import dev.tessera.nn.Flatten;
import dev.tessera.nn.Functional;
import dev.tessera.nn.Linear;
import dev.tessera.nn.MaxPool2d;
import dev.tessera.nn.Module;
import dev.tessera.nn.ReLU;
import dev.tessera.nn.Sequential;
import dev.tessera.numpy.NDArray;
import dev.tessera.optim.Adam;
import dev.tessera.optim.Optimizer;
import dev.tessera.optim.SGD;
import dev.tessera.vision.ResNet;
import dev.tessera.vision.ResNet18Weights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The names of ../shared/spec/API.md, used as the spec writes them: this file stops compiling if a
 * public name is renamed or dropped.
 */
class ApiContractTest {
    @TempDir
    Path dir;

    @Test
    void facadeAndTensorNames() {
        Torch.manualSeed(42);
        Tensor xData = tensor(new long[][]{{1, 2}, {3, 4}});
        Tensor xTyped = tensor(new double[]{1, 2}, DType.FLOAT32);
        Tensor xOnes = onesLike(xData);
        Tensor xRand = randLike(xData, DType.FLOAT32);
        assertEquals("tensor([[0.8823, 0.9150],\n        [0.3829, 0.9593]])", xRand.toString());
        Tensor r = rand(2, 3);
        Tensor f = full(new long[]{2, 3}, 7.0);
        Tensor t = ones(2, 2);
        Tensor c = cat(List.of(t, t, t), 1);
        Tensor s = stack(List.of(t, t), 0);
        assertEquals(new Size(2, 6), c.shape());
        assertEquals(new Size(2, 2, 2), s.shape());
        boolean gpu = Cuda.isAvailable();
        try (NoGrad g = noGrad()) {
            assertTrue(!Torch.isGradEnabled());
        }
        Tensor more = rand(new long[]{2}, DType.FLOAT64).add(randn(new long[]{2}, DType.FLOAT64))
                .add(ones(new long[]{2}, DType.FLOAT64)).add(zeros(new long[]{2}, DType.FLOAT64))
                .add(empty(new long[]{2}, DType.FLOAT64)).add(full(new long[]{2}, 1.5, DType.FLOAT64));
        assertEquals(DType.FLOAT64, more.dtype());
        assertEquals(new Size(3), randint(0, 10, 3).shape());
        // bounds beyond 2^53 stay exact (they once went through a double)
        Tensor big = randint(Long.MAX_VALUE - 10, Long.MAX_VALUE, 100);
        assertTrue(big.ge(Long.MAX_VALUE - 10).all().item().longValue() == 1);
        assertEquals(new Size(2), randn(2).shape());
        assertEquals(5, arange(5).numel());
        assertEquals(3, arange(1, 4).numel());
        assertEquals(9, eye(3).numel());
        assertEquals(2, zerosLike(t).dim());
        assertEquals(2, randnLike(xTyped).numel());
        Tensor ri = randintLike(xData, 0, 3);
        assertEquals(DType.INT64, ri.dtype());
        assertTrue(ri.ge(0).logicalAnd(ri.lt(3)).all().item().longValue() == 1);
        assertEquals(xOnes.dtype(), DType.INT64);
        assertEquals(r.dtype(), f.dtype());

        Tensor u = rand(3, 4);
        Size shape = u.shape();
        assertEquals("torch.Size([3, 4])", shape.toString());
        assertEquals(4, u.size(1));
        assertEquals("torch.float32", u.dtype().toString());
        assertEquals("cpu", u.device().toString());
        assertEquals(DType.FLOAT64, u.to(DType.FLOAT64).dtype());
        assertEquals(Device.CPU, u.cpu().device());
        if (!gpu) {
            assertThrows(UnsupportedOperationException.class, () -> u.to(Device.CUDA));
            assertThrows(UnsupportedOperationException.class, () -> u.to("cuda"));
        }
        Tensor col = u.index(all(), at(1));
        Tensor row = u.index(at(1), all());
        Tensor sl = u.index(slice(0, 2), ellipsis(), newAxis());
        assertEquals(new Size(2, 4, 1), sl.shape());
        u.indexPut_(new Index[]{all(), at(1)}, 0);
        assertEquals(0.0, col.sum().item().doubleValue());
        Tensor x = ones(3, 4);
        Tensor y = u.mul(u).add(x).sub(x).div(x).pow(3).neg();
        Tensor m = u.matmul(u.T()).add(u.t().transpose(0, 1).reshape(3, 4).view(12).contiguous().sum());
        Tensor red = u.sum().add(u.sum(0).sum()).add(u.mean()).add(u.max()).add(u.argmax(1).sum()).add(u.exp().log().relu().sum());
        assertTrue(u.eq(u).all().item().longValue() == 1 && u.allclose(u));
        Number item = red.item();
        assertTrue(item instanceof Double);
        assertTrue(arange(3).sum().item() instanceof Long);
        assertEquals(12, u.toDoubleArray().length + row.toFloatArray().length - 4);
        assertEquals(3, tensor(new long[]{1, 2, 3}).toLongArray().length);
        Tensor w = ones(2, 2);
        w.add_(5).mul_(x.index(slice(0, 2), slice(0, 2))).copy_(w).t_().fill_(0).zero_();
        NDArray n = ones(5).numpy();
        assertEquals("[1. 1. 1. 1. 1.]", n.toString());
        assertEquals(DType.FLOAT32, y.dtype());
        assertEquals(new Size(3, 3), m.shape());
    }

    @Test
    void autogradNames() {
        Tensor a = tensor(new float[]{2f, 3f}).requiresGrad_(true);
        Tensor b = tensor(new float[]{6f, 4f}).requiresGrad_(true);
        Tensor q = a.pow(3).mul(3).sub(b.pow(2));
        assertEquals("SubBackward0", q.gradFn().name());
        assertEquals(2, q.gradFn().nextFunctions().size());
        q.backward(tensor(new float[]{1f, 1f}), true);
        q.backward(tensor(new float[]{1f, 1f}));
        assertEquals("tensor([True, True])", a.grad().eq(a.pow(2).mul(18)).toString());
        assertTrue(a.requiresGrad() && a.isLeaf() && !a.detach().requiresGrad());
        a.sum().backward();
    }

    @Test
    void numpyIoNnOptimVisionNames() throws Exception {
        NDArray n = NDArray.ones(5);
        NDArray z = NDArray.zeros(2, 2);
        NDArray o = NDArray.of(1, 2, 3);
        NDArray e = NDArray.empty(DType.FLOAT32, 2);
        Path file = dir.resolve("w.npy");
        try (NDArray w = NDArray.create(file, DType.FLOAT32, 4, 4)) {
            w.setDouble(2.0, 1, 1);
            w.force();
            assertEquals("<f4", w.descr());
        }
        try (NDArray m = NDArray.open(file, NDArray.Mode.READ_WRITE)) {
            assertEquals(2.0, m.getDouble(1, 1));
            assertEquals(16, m.toDoubleArray().length);
        }
        Tensor mapped = fromNumpy(file);
        Tensor shared = fromNumpy(n);
        assertEquals(2.0, mapped.index(at(1), at(1)).item().doubleValue());
        n.save(dir.resolve("n.npy"));
        assertEquals(5, shared.numel() + z.shape().length + o.shape()[0] - 5 + e.dtype().byteSize() - 4 + 0);

        Module seq = new Sequential(new Conv2d(3, 4, 3), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new AdaptiveAvgPool2d(1, 1), new Flatten(), new Dropout(0.5), new Linear(4, 2));
        Tensor out = seq.forward(rand(2, 3, 8, 8));
        Tensor loss = Functional.mseLoss(out, zeros(2, 2)).add(Functional.crossEntropy(out, tensor(new long[]{0, 1})));
        Tensor sm = Functional.softmax(out, 1).add(Functional.logSoftmax(out, 1));
        loss.backward();
        Optimizer sgd = new SGD(seq.parameters(), 1e-2, 0.9);
        sgd.step();
        sgd.zeroGrad();
        Optimizer adam = new Adam(seq.parameters());
        adam.step();
        Map<String, Tensor> state = seq.stateDict();
        assertTrue(state.containsKey("1.running_mean") && seq.namedParameters().containsKey("0.weight"));
        Path st = dir.resolve("m.safetensors");
        StateDicts.save(state, st);
        seq.loadStateDict(StateDicts.load(st));
        seq.train();
        seq.eval();
        for (Tensor p : seq.parameters()) p.requiresGrad_(false);
        seq.setSubmodule("7", new Linear(4, 3));
        assertEquals(new Size(2, 3), seq.forward(rand(2, 3, 8, 8)).shape());
        assertEquals(2, sm.dim());

        Module model = ResNet.resnet18();
        model.setSubmodule("fc", new Linear(512, 10));
        assertTrue(ResNet18Weights.DEFAULT.path().endsWith("resnet18-f37072fd.pth"));
        assertThrows(RuntimeException.class, () -> ResNet18Weights.fromFile(dir.resolve("missing.pth")).stateDict());
    }
}
