package dev.tessera.ops.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Cuda;
import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Index;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.distributed.Distributed;
import dev.tessera.nn.BatchNorm2d;
import dev.tessera.nn.Conv2d;
import dev.tessera.nn.Flatten;
import dev.tessera.nn.Functional;
import dev.tessera.nn.Linear;
import dev.tessera.nn.MaxPool2d;
import dev.tessera.nn.Module;
import dev.tessera.nn.ReLU;
import dev.tessera.nn.Sequential;
import dev.tessera.nn.SyncBatchNorm;
import dev.tessera.nn.parallel.DistributedDataParallel;
import dev.tessera.optim.Adam;
import dev.tessera.optim.Optimizer;
import dev.tessera.optim.SGD;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every op on "cuda" tensors against the same op on the CPU backend: odd sizes, broadcasts,
 * non-contiguous and transposed views, float32/float64/int64/bool, autograd, and a small conv net
 * trained with SGD momentum and Adam. Run twice: over the host emulation here
 * ({@link CudaBackendOnHostTest}) and over the real driver, cuBLAS and cuRAND on a GPU machine
 * ({@link CudaDeviceTest}). {@link #rt} is the emulated runtime, or null on a real device (the
 * checks of which kernels and cuBLAS layouts ran need its records).
 */
abstract class CudaBackendChecks {
    static HostEmulatedRuntime rt;

    static Tensor cuda(Tensor t) { return t.to("cuda"); }

    /** op on CPU inputs vs op on their CUDA copies; the CUDA result must live on the device. */
    static void same(String what, Function<Tensor[], Tensor> op, double tol, Tensor... cpuInputs) {
        Tensor expected = op.apply(cpuInputs);
        Tensor[] dev = new Tensor[cpuInputs.length];
        for (int i = 0; i < dev.length; i++) dev[i] = cuda(cpuInputs[i]);
        Tensor actual = op.apply(dev);
        assertEquals(Device.CUDA, actual.device(), what + ": result device");
        close(what, expected, actual.cpu(), tol);
    }

    static void close(String what, Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shapeArray(), actual.shapeArray(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        double[] e = expected.to(DType.FLOAT64).contiguous().toDoubleArray(), a = actual.to(DType.FLOAT64).contiguous().toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i])) { assertTrue(Double.isNaN(a[i]), what + " [" + i + "]: expected NaN, got " + a[i]); continue; }
            double err = Math.abs(e[i] - a[i]), lim = tol * Math.max(1, Math.abs(e[i]));
            assertTrue(err <= lim || e[i] == a[i], what + " [" + i + "]: expected " + e[i] + ", got " + a[i]);
        }
    }

    static double tol(DType t) { return t == DType.FLOAT32 ? 3e-6 : 1e-13; }

    @Test
    void elementwiseOpsMatchTheCpuOnOddBroadcastAndStridedOperands() {
        Torch.manualSeed(11);
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor a = Torch.randn(new long[]{3, 5, 7}, t), b = Torch.randn(new long[]{5, 1}, t).add(2.5);
            Tensor pos = Torch.rand(new long[]{3, 5, 7}, t).add(0.1);
            double tl = tol(t);
            same(t + " add broadcast", x -> x[0].add(x[1]), tl, a, b);
            same(t + " sub/mul/div", x -> x[0].sub(x[1]).mul(x[0]).div(x[1]), tl, a, b);
            same(t + " pow", x -> x[0].pow(x[1]), 10 * tl, pos, b);
            same(t + " maximum/minimum", x -> x[0].maximum(x[1]).add(x[0].minimum(x[1])), tl, a, b);
            same(t + " remainder/floor_divide", x -> x[0].remainder(x[1]).add(x[0].floorDivide(x[1])), tl, a, b);
            same(t + " comparisons", x -> x[0].lt(x[1]).logicalOr(x[0].ge(x[1].neg())).logicalAnd(x[0].ne(x[1])), 0, a, b);
            same(t + " transposed view", x -> x[0].transpose(0, 2).mul(x[1].t().unsqueeze(2)), tl, a, b);
            same(t + " stepped slice", x -> x[0].slice(2, 1L, 7L, 2).exp().add(x[0].slice(2, 0L, 6L, 2)), tl, a);
            same(t + " scalar ops", x -> x[0].mul(3).add(1.5).rsub(2).div(0.5), tl, a);
            for (Function<Tensor, Tensor> u : List.<Function<Tensor, Tensor>>of(Tensor::neg, Tensor::abs, Tensor::relu, Tensor::sign,
                    Tensor::floor, Tensor::ceil, Tensor::round, Tensor::trunc, Tensor::square, Tensor::exp, Tensor::sigmoid, Tensor::tanh,
                    Tensor::sin, Tensor::cos, Tensor::silu, Tensor::gelu, Tensor::erf, Tensor::reciprocal)) {
                same(t + " unary", x -> u.apply(x[0].permute(2, 0, 1)), 4 * tl, a);
            }
            same(t + " log/sqrt/rsqrt", x -> x[0].log().add(x[0].sqrt()).add(x[0].rsqrt()), 4 * tl, pos);
            same(t + " clamp", x -> x[0].clamp(-0.5, 0.7), 0, a);
            same(t + " where", x -> Torch.where(x[0].gt(0), x[0], x[1]), 0, a, b);
            same(t + " in place", x -> { Tensor c = x[0].clone(); c.mul_(x[1]).add_(1); c.relu_(); return c; }, tl, a, b);
        }
    }

    @Test
    void integerAndBoolOpsAndCastsAreExact() {
        Tensor i = Torch.tensor(new long[][]{{7, -7, 3}, {0, 9, -4}}), j = Torch.tensor(new long[]{2, -3, 5});
        same("int64 arithmetic", x -> x[0].add(x[1]).mul(x[0]).sub(x[1]), 0, i, j);
        same("int64 floor_divide/remainder", x -> x[0].floorDivide(x[1]).add(x[0].remainder(x[1])), 0, i, j);
        same("int64 true division", x -> x[0].div(x[1]), 0, i, j);
        same("int64 neg/abs", x -> x[0].neg().abs(), 0, i);
        same("int64 max/min", x -> x[0].maximum(x[1]).sub(x[0].minimum(x[1])), 0, i, j);
        Tensor zero = Torch.tensor(new long[]{1, 0, 1});
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> cuda(i).floorDivide(cuda(zero)));
        assertTrue(e.getMessage().contains("ZeroDivisionError"), e.getMessage());
        Tensor m = Torch.tensor(new boolean[]{true, false, true}), n = Torch.tensor(new boolean[]{true, true, false});
        same("bool logic", x -> x[0].logicalAnd(x[1]).logicalOr(x[0].logicalNot()), 0, m, n);
        same("bool add/mul", x -> x[0].add(x[1]).add(x[0].mul(x[1])), 0, m, n);
        same("bool eq", x -> x[0].eq(x[1]), 0, m, n);
        Tensor f = Torch.tensor(new double[]{-2.7, -0.5, 0, 0.5, 3.9, 300.25});
        for (DType t : new DType[]{DType.FLOAT32, DType.INT64, DType.INT32, DType.UINT8, DType.BOOL}) {
            same("cast to " + t, x -> x[0].to(t), 0, f.abs().mul(f.ge(0)));
            same("cast from " + t, x -> x[0].to(t).to(DType.FLOAT64), 0, f.abs());
        }
        same("int32 arithmetic widened", x -> x[0].to(DType.INT32).mul(x[0].to(DType.INT32)).add(1), 0, i);
        same("full/fill", x -> x[0].clone().fill_(7).add(Torch.fullLike(x[0], 2)), 0, i);
        assertEquals(Long.MAX_VALUE, cuda(Torch.tensor(new long[]{0})).fill_(Long.MAX_VALUE).item().longValue());
    }

    @Test
    void reductionsAndArgReductionsMatchTheCpu() {
        Torch.manualSeed(5);
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor a = Torch.randn(new long[]{4, 5, 3}, t);
            double tl = 4 * tol(t);
            same(t + " sum all", x -> x[0].sum(), tl, a);
            same(t + " sum dims", x -> x[0].sum(new int[]{0, 2}, true), tl, a);
            same(t + " sum of a transposed view", x -> x[0].transpose(0, 2).sum(1), tl, a);
            same(t + " mean/var/std", x -> x[0].mean(1).add(x[0].var(0).sum()).add(x[0].std(2).mean()), tl, a);
            same(t + " prod", x -> x[0].prod(2), tl, a);
            same(t + " amax/amin", x -> x[0].amax(0, 2).sum().sub(x[0].amin(1).sum()), 0, a);
            same(t + " max(dim) values", x -> x[0].max(1).values(), 0, a);
            same(t + " max(dim) indices", x -> x[0].max(1).indices(), 0, a);
            same(t + " argmax/argmin", x -> x[0].argmax(2).add(x[0].argmin(0).sum()).add(x[0].argmax()), 0, a);
            same(t + " argmax of a strided view", x -> x[0].permute(2, 0, 1).argmin(1), 0, a);
        }
        Tensor nan = Torch.tensor(new double[]{1, Double.NaN, 3, Double.NaN});
        same("NaN max and argmax", x -> x[0].max().add(x[0].argmax().to(DType.FLOAT64)), 0, nan);
        Tensor i = Torch.tensor(new long[][]{{3, -1, 4}, {1, 5, -9}});
        same("int64 sum/max/argmax", x -> x[0].sum(1).add(x[0].amax(0).sum()).add(x[0].argmax(1)), 0, i);
        same("bool sum/any/all", x -> x[0].gt(0).sum().add(x[0].gt(0).any().to(DType.INT64)).add(x[0].gt(-10).all().to(DType.INT64)), 0, i);
        same("empty sum", x -> x[0].slice(1, 0L, 0L, 1).sum(1), 0, i);
    }

    @Test
    void matmulUsesCublasLayoutsWithoutCopiesForTransposedViews() {
        Torch.manualSeed(3);
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor a = Torch.randn(new long[]{7, 5}, t), b = Torch.randn(new long[]{5, 9}, t), c = Torch.randn(new long[]{3, 7, 5}, t);
            double tl = 10 * tol(t);
            if (rt != null) rt.products.clear();
            same(t + " mm", x -> x[0].mm(x[1]), tl, a, b);
            if (rt != null) assertEquals(java.util.Set.of("NN"), rt.products);
            if (rt != null) rt.products.clear();
            same(t + " a^T b^T", x -> x[1].t().mm(x[0].t()), tl, a, b);
            if (rt != null) assertEquals(java.util.Set.of("TT"), rt.products, "transposed views map to transa/transb");
            same(t + " batched @ broadcast 2-D", x -> x[0].matmul(x[1]), tl, c, b);
            same(t + " 2-D @ batched", x -> x[1].matmul(x[0].transpose(1, 2)), tl, c, b.t().contiguous());
            same(t + " bmm of transposed batches", x -> x[0].bmm(x[0].transpose(1, 2)), tl, c);
            same(t + " stepped view (copied first)", x -> x[0].slice(1, 0L, 5L, 2).t().mm(x[1].slice(1, 0L, 5L, 2)), tl, a, a);
            same(t + " vector products", x -> x[0].mv(x[1].select(1, 0)).add(x[1].select(1, 2).dot(x[1].select(1, 3))), tl, a, b);
            same(t + " 1 x k @ k x 1", x -> x[0].narrow(0, 2, 1).mm(x[1].narrow(1, 4, 1)), tl, a, b);
            same(t + " k = 0", x -> x[0].narrow(1, 0, 0).mm(x[1].narrow(0, 0, 0)), 0, a, b);
        }
        Tensor i = Torch.tensor(new long[][]{{1, 2}, {3, 4}});
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> cuda(i).mm(cuda(i)));
        assertTrue(e.getMessage().contains("addmm_cuda"), e.getMessage());
    }

    @Test
    void indexingGathersAndScattersOnTheDevice() {
        Torch.manualSeed(9);
        Tensor a = Torch.randn(4, 6), idx = Torch.tensor(new long[]{3, 0, 3, 1});
        same("index_select", x -> x[0].indexSelect(0, x[1]), 0, a, idx);
        same("gather", x -> x[0].gather(1, x[1]), 0, a, Torch.tensor(new long[][]{{0, 5}, {2, 2}, {1, 0}, {4, 3}}));
        same("advanced index", x -> x[0].index(Index.tensor(x[1]), Index.slice(1, 5, 2)), 0, a, idx);
        same("mask select", x -> x[0].maskedSelect(x[0].gt(0)), 0, a);
        same("masked fill", x -> x[0].maskedFill(x[0].lt(0), -1), 0, a);
        same("index_put", x -> x[0].clone().indexPut_(new Index[]{Index.tensor(x[1])}, Torch.onesLike(x[0].select(0, 0)).to(x[0].device())), 0, a, idx);
        Tensor ints = Torch.arange(12).reshape(3, 4);
        same("int64 index", x -> x[0].index(Index.tensor(x[1].remainder(3))), 0, ints, idx);
    }

    @Test
    void advancedIndexingGatherAndIndexSelectRunOnTheDeviceWithGradients() {
        Torch.manualSeed(12);
        Tensor a = Torch.randn(5, 6, 7);
        Tensor rows = Torch.tensor(new long[]{4, -1, 0, 2}), cols = Torch.tensor(new long[][]{{1}, {6}, {-7}});
        // adjacent index tensors broadcast to [3, 4] in the middle; apart, the index dims go in front
        same("adjacent", x -> x[0].index(Index.all(), Index.tensor(x[1]), Index.tensor(x[2])), 0, a, rows, cols);
        same("apart", x -> x[0].index(Index.tensor(x[1]), Index.all(), Index.tensor(x[2])), 0, a, rows, cols);
        same("sliced view", x -> x[0].index(Index.slice(1, 5, 1), Index.tensor(x[1]), Index.slice(0, 7, 3)), 0, a, rows);
        same("nonzero", x -> Torch.nonzero(x[0].gt(0.5)), 0, a);
        same("bool mask on a dim", x -> x[0].index(Index.all(), Index.tensor(x[1])), 0, a, Torch.tensor(new long[]{1, 0, 1, 1, 0, 1}).ne(0));
        gradients("index", v -> v[0].index(Index.tensor(rows), Index.all(), Index.tensor(cols)), tol(DType.FLOAT32), a);
        gradients("index_put", v -> v[0].mul(1).indexPut_(new Index[]{Index.all(), Index.tensor(rows)}, v[1]), tol(DType.FLOAT32), a,
                Torch.randn(5, 4, 7));
        Tensor where = Torch.tensor(new long[][][]{{{0, 6}, {3, 3}}, {{1, 0}, {5, 2}}});
        gradients("gather", v -> v[0].gather(2, v[0].device().isCpu() ? where : cuda(where)), tol(DType.FLOAT32), a.narrow(0, 0, 2));
        gradients("index_select", v -> v[0].indexSelect(1, v[0].device().isCpu() ? rows.remainder(6) : cuda(rows.remainder(6))),
                tol(DType.FLOAT32), a);
        gradients("max(dim)", v -> v[0].max(1).values(), tol(DType.FLOAT32), a);
        // out-of-range indices fail with a clear error, as on the CPU
        Tensor bad = Torch.tensor(new long[]{0, 6});
        assertThrows(IndexOutOfBoundsException.class, () -> cuda(a).index(Index.all(), Index.tensor(cuda(bad))));
        assertThrows(IndexOutOfBoundsException.class, () -> cuda(a).gather(1, cuda(Torch.tensor(new long[][][]{{{-1}}}))));
        assertThrows(IndexOutOfBoundsException.class, () -> cuda(a).gather(1, cuda(Torch.tensor(new long[][][]{{{6}}}))));
        if (rt != null) { // the offsets are computed on the device: nothing index-sized comes back to the host
            Tensor big = cuda(Torch.randn(300, 8)), many = cuda(Torch.randint(0, 300, 2000));
            long before = rt.bytesToHost.get();
            big.index(Index.tensor(many)).sum();
            big.indexSelect(0, many);
            assertTrue(rt.bytesToHost.get() - before < 64, "bytes read back: " + (rt.bytesToHost.get() - before));
        }
    }

    @Test
    void networkKernelsAndAutogradMatchTheCpu() {
        Torch.manualSeed(21);
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            double tl = 20 * tol(t);
            Tensor x = Torch.randn(new long[]{3, 4, 9, 7}, t), w = Torch.randn(new long[]{6, 2, 3, 2}, t), bias = Torch.randn(new long[]{6}, t);
            // stride, padding, dilation and groups at once, forward and both gradients
            Function<Tensor[], Tensor> conv = v -> Functional.conv2d(v[0], v[1], v[2], new int[]{2, 1}, new int[]{1, 2}, new int[]{1, 2}, 2);
            gradients(t + " conv2d", conv, tl, x, w, bias);
            gradients(t + " conv2d 1x1 single image", v -> Functional.conv2d(v[0], v[1]), tl, x.narrow(0, 0, 1),
                    Torch.randn(new long[]{5, 4, 1, 1}, t));
            gradients(t + " max_pool2d", v -> Functional.maxPool2d(v[0], new int[]{3, 2}, new int[]{2, 2}, new int[]{1, 1}, new int[]{1, 1}, false), tl, x);
            gradients(t + " adaptive_avg_pool2d", v -> Functional.adaptiveAvgPool2d(v[0], 4, 3), tl, x);
            gradients(t + " batch_norm (training)", v -> Functional.batchNorm(v[0], null, null, v[1], v[2], true, 0.1, 1e-5), tl, x,
                    Torch.rand(new long[]{4}, t), Torch.randn(new long[]{4}, t));
            gradients(t + " softmax/log_softmax", v -> v[0].softmax(3).add(v[0].logSoftmax(1)), tl, x);
            Tensor target = Torch.tensor(new long[]{2, 0, 4});
            gradients(t + " cross_entropy", v -> Functional.crossEntropy(v[0], target.to(v[0].device())), tl, Torch.randn(new long[]{3, 5}, t));
            gradients(t + " linear + mse", v -> Functional.mseLoss(Functional.linear(v[0], v[1], v[2]), v[0].narrow(1, 0, 3)), tl,
                    Torch.randn(new long[]{4, 6}, t), Torch.randn(new long[]{3, 6}, t), Torch.randn(new long[]{3}, t));
        }
    }

    /** op forward on CPU and CUDA, then backward of a fixed weighted sum; outputs and every input's gradient compared. */
    static void gradients(String what, Function<Tensor[], Tensor> op, double tol, Tensor... cpu) {
        Tensor[] c = new Tensor[cpu.length], d = new Tensor[cpu.length];
        for (int i = 0; i < cpu.length; i++) {
            c[i] = cpu[i].detach().requiresGrad_(true);
            d[i] = cuda(cpu[i]).detach().requiresGrad_(true);
        }
        Tensor yc = op.apply(c), yd = op.apply(d);
        assertEquals(Device.CUDA, yd.device(), what);
        close(what + " forward", yc.detach(), yd.detach().cpu(), tol);
        Tensor weights = Torch.linspace(-1, 2, yc.numel()).to(yc.dtype()).reshape(yc.shapeArray());
        yc.mul(weights).sum().backward();
        yd.mul(cuda(weights)).sum().backward();
        for (int i = 0; i < cpu.length; i++) {
            assertEquals(Device.CUDA, d[i].grad().device(), what + " gradient " + i + " lives on the device");
            close(what + " gradient " + i, c[i].grad(), d[i].grad().cpu(), tol);
        }
    }

    @Test
    void aSmallConvNetTrainsOnTheDeviceLikeOnTheCpu() {
        float[][] onCpu = train(Device.CPU), onDevice = train(Device.CUDA);
        for (int i = 0; i < onCpu.length; i++) {
            for (int j = 0; j < onCpu[i].length; j++) {
                assertEquals(onCpu[i][j], onDevice[i][j], 1e-4 * Math.max(1, Math.abs(onCpu[i][j])), "parameter " + i + " [" + j + "]");
            }
        }
        if (rt != null) assertTrue(rt.launched.containsAll(List.of("tessera_im2col_f32", "tessera_col2im_f32", "tessera_max_pool2d_f32",
                "tessera_batch_norm_transform_f32", "tessera_batch_norm_stats_f32")), "kernels launched: " + rt.launched);
    }

    /**
     * conv -> batch norm -> relu -> max pool -> linear, two SGD-with-momentum and two Adam steps; the
     * parameters on the host. The conv has no bias (as in ResNet): batch norm cancels a bias's
     * gradient to rounding noise, which Adam would scale up to full steps of either sign.
     */
    static float[][] train(Device device) { return train(device, false); }

    /** With {@code dataParallel}: the model wrapped in SyncBatchNorm and DistributedDataParallel over the current group. */
    static float[][] train(Device device, boolean dataParallel) {
        Torch.manualSeed(3);
        Module model = new Sequential(new Conv2d(3, 4, 3, 1, 1, false), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(4 * 3 * 4, 5)).to(device);
        if (dataParallel) model = new DistributedDataParallel(SyncBatchNorm.convertSyncBatchnorm(model));
        Tensor x = Torch.randn(2, 3, 7, 9).to(device);
        Tensor target = Torch.tensor(new long[]{1, 4}).to(device);
        List<Optimizer> optimizers = List.of(new SGD(model.parameters(), 0.1, 0.9), new Adam(model.parameters(), 0.01));
        for (Optimizer opt : optimizers) {
            for (int step = 0; step < 2; step++) {
                opt.zeroGrad();
                Tensor loss = Functional.crossEntropy(model.forward(x), target);
                loss.backward();
                opt.step();
            }
        }
        for (Tensor p : model.parameters()) assertEquals(device, p.device());
        return model.stateDict().values().stream().map(t -> t.cpu().to(DType.FLOAT32).toFloatArray()).toArray(float[][]::new);
    }

    /** The state dict's names in {@link #train}'s order (a data-parallel model's without "module."). */
    static List<String> stateNames() {
        return List.copyOf(new Sequential(new Conv2d(3, 4, 3, 1, 1, false), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(4 * 3 * 4, 5)).stateDict().keySet());
    }

    @Test
    void dataParallelTrainingKeepsEveryBufferOnTheDevice() {
        float[][] plain = train(Device.CUDA);
        LoopbackGroup group = new LoopbackGroup(Device.CUDA);
        Distributed.initProcessGroup(group);
        float[][] parallel;
        try {
            parallel = train(Device.CUDA, true);
        } finally {
            Distributed.destroyProcessGroup();
        }
        assertTrue(group.calls.contains("allReduce") && group.calls.contains("broadcast") && group.calls.contains("allGather"),
                "collectives: " + group.calls);
        // DDP's gradient buckets plus SyncBatchNorm's statistics (2 in forward, 1 in backward) each step
        assertTrue(group.calls.stream().filter("allReduce"::equals).count() >= 4 * 4, "collectives: " + group.calls);
        List<String> names = stateNames();
        for (int i = 0; i < plain.length; i++) {
            // the running variance is unbiased over the global batch: n / (n - 1) differs with twice the values
            if (names.get(i).endsWith("running_var")) continue;
            for (int j = 0; j < plain[i].length; j++) {
                assertEquals(plain[i][j], parallel[i][j], 1e-4 * Math.max(1, Math.abs(plain[i][j])), names.get(i) + " [" + j + "]");
            }
        }
    }

    @Test
    void hostReadsPrintingAndNumpyBehaveAsPytorch() {
        Tensor t = cuda(Torch.tensor(new float[]{1, 2.5f}));
        assertEquals("tensor([1.0000, 2.5000], device='cuda:0')", t.toString());
        assertEquals(2.5f, t.toFloatArray()[1]);
        assertEquals(1.0, t.sum().sub(2.5).item().doubleValue());
        assertTrue(t.isCuda());
        IllegalStateException e = assertThrows(IllegalStateException.class, t::numpy);
        assertEquals("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.", e.getMessage());
        Tensor other = Torch.ones(2);
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> t.add(other.expand(2).mul(Torch.ones(2))).add(Torch.ones(2, 2)));
        assertTrue(mixed.getMessage().contains("same device"), mixed.getMessage());
    }

    @Test
    void randomFillsDrawOnTheDeviceWithTheRightDistribution() {
        Torch.manualSeed(17);
        Tensor u = cuda(Torch.empty(10001)).uniform_(2, 3);
        double[] v = u.cpu().toDoubleArray();
        double mean = 0;
        for (double d : v) {
            assertTrue(d >= 2 && d < 3, "uniform_ draws in [2, 3): " + d);
            mean += d / v.length;
        }
        assertEquals(2.5, mean, 0.01);
        Tensor n = cuda(Torch.empty(new long[]{101, 99}, DType.FLOAT64)).t().normal_(1, 2); // odd count, transposed
        assertEquals(1, n.mean().item().doubleValue(), 0.06);
        assertEquals(2, n.std().item().doubleValue(), 0.06);
        Torch.manualSeed(17);
        assertArrayEquals(v, cuda(Torch.empty(10001)).uniform_(2, 3).cpu().toDoubleArray(), "seeded draws repeat");
        assertTrue(!java.util.Arrays.equals(v, cuda(Torch.empty(10001)).uniform_(2, 3).cpu().toDoubleArray()), "the offset advances");
    }

    @Test
    void bernoulliRandomAndDropoutDrawOnTheDevice() {
        Torch.manualSeed(5);
        double[] b = cuda(Torch.empty(20000)).bernoulli_(0.3).cpu().toDoubleArray();
        double ones = 0;
        for (double d : b) {
            assertTrue(d == 0 || d == 1, "bernoulli_ draws 0 or 1: " + d);
            ones += d;
        }
        assertEquals(0.3, ones / b.length, 0.015);
        for (DType t : new DType[]{DType.INT64, DType.FLOAT32}) {
            double[] r = cuda(Torch.empty(new long[]{5000}, t)).random_(-3, 4).cpu().toDoubleArray();
            int[] counts = new int[7];
            for (double d : r) {
                assertTrue(d >= -3 && d < 4 && d == Math.floor(d), t + " random_ draws integers in [-3, 4): " + d);
                counts[(int) d + 3]++;
            }
            for (int c : counts) assertEquals(5000 / 7.0, c, 120, t + " random_ is uniform: " + java.util.Arrays.toString(counts));
        }
        assertThrows(UnsupportedOperationException.class, () -> cuda(Torch.empty(new long[]{2}, DType.INT64)).random_(0, Long.MAX_VALUE));
        // bad arguments fail as on the CPU, before anything is drawn
        assertThrows(IllegalArgumentException.class, () -> cuda(Torch.empty(2)).bernoulli_(1.5));
        assertThrows(IllegalArgumentException.class, () -> cuda(Torch.empty(2)).random_(4, 4));
        Tensor x = cuda(Torch.ones(4000)).requiresGrad_(true);
        Tensor y = dev.tessera.nn.Functional.dropout(x, 0.25, true);
        assertEquals(x.device(), y.device());
        assertTrue(!y.device().isCpu(), "dropout ran on " + y.device());
        double[] v = y.cpu().toDoubleArray();
        int dropped = 0;
        for (double d : v) {
            assertTrue(d == 0 || Math.abs(d - 1 / 0.75) < 1e-6, "dropout keeps x / (1 - p) or 0: " + d);
            if (d == 0) dropped++;
        }
        assertEquals(0.25, dropped / 4000.0, 0.025);
        y.sum().backward();
        assertArrayEquals(v, x.grad().cpu().toDoubleArray(), "dropout's gradient is its mask / (1 - p)");
    }

    @Test
    void memoryCountersFollowTheCachingAllocator() {
        long before = Cuda.memoryAllocated();
        Tensor t = cuda(Torch.ones(1000));
        assertTrue(Cuda.memoryAllocated() >= before + 4000, "allocated " + Cuda.memoryAllocated());
        assertTrue(Cuda.memoryReserved() >= Cuda.memoryAllocated());
        assertEquals(1000.0, t.sum().item().doubleValue());
        Cuda.emptyCache();
        assertTrue(Cuda.memoryReserved() >= Cuda.memoryAllocated());
    }
}
