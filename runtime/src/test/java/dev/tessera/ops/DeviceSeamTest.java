package dev.tessera.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.BatchNorm2d;
import dev.tessera.nn.Conv2d;
import dev.tessera.nn.Flatten;
import dev.tessera.nn.Functional;
import dev.tessera.nn.Linear;
import dev.tessera.nn.MaxPool2d;
import dev.tessera.nn.Module;
import dev.tessera.nn.ReLU;
import dev.tessera.nn.Sequential;
import dev.tessera.optim.Adam;
import dev.tessera.optim.Optimizer;
import dev.tessera.optim.SGD;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The device seam: a device is added by registering a backend, and every op reaches its kernel
 * through it. A stand-in "CUDA" backend that keeps data in host memory (and delegates each kernel
 * to the CPU backend, recording its name) runs a small network forward and backward; results must
 * equal the CPU's and every kernel must have gone through the registered backend.
 */
class DeviceSeamTest {
    @Test
    void aRegisteredBackendServesEveryOpOfItsDevice() {
        Backend cpu = Backends.of(Device.CPU);
        Set<String> called = new ConcurrentSkipListSet<>();
        Backend standIn = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("device")) return Device.CUDA;
                    called.add(method.getName());
                    try {
                        return method.invoke(cpu, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        BackendProvider previous = Backends.register(new BackendProvider() {
            @Override public Device.Type type() { return Device.Type.CUDA; }
            @Override public Backend backend(Device device) { return standIn; }
        });
        try {
            Torch.manualSeed(7);
            Tensor x = Torch.randn(2, 3, 8, 8), w = Torch.randn(4, 3, 3, 3), fc = Torch.randn(10, 4 * 2 * 2);
            float[][] onCpu = step(x, w, fc);
            float[][] onDevice = step(x.to("cuda"), w.to("cuda"), fc.to("cuda"));
            for (int i = 0; i < onCpu.length; i++) assertArrayEquals(onCpu[i], onDevice[i], 0f, "result " + i);
            assertTrue(called.containsAll(List.of("conv2d", "conv2dBackward", "maxPool2d", "maxPool2dBackward", "channelMoments",
                    "channelAffine", "softmaxLastDim", "matmul", "binary", "reduce", "copyFromHost")), "kernels called: " + called);
            assertEquals("tensor([1., 2.], device='cuda:0')", Torch.tensor(new float[]{1, 2}).to("cuda").toString());
            float[][] trainedOnCpu = train(Device.CPU), trainedOnDevice = train(Device.CUDA);
            for (int i = 0; i < trainedOnCpu.length; i++) assertArrayEquals(trainedOnCpu[i], trainedOnDevice[i], 0f, "parameter " + i);
        } finally {
            Backends.register(previous);
        }
    }

    /** conv -> batch norm -> relu -> max pool -> linear -> log_softmax -> loss, backward; returns values and gradients on the host. */
    private static float[][] step(Tensor x, Tensor w, Tensor fc) {
        Tensor wl = w.detach().requiresGrad_(true), fl = fc.detach().requiresGrad_(true);
        Tensor h = Functional.conv2d(x, wl, null, new int[]{1, 1}, new int[]{1, 1}, new int[]{1, 1}, 1);
        h = Functional.batchNorm(h, null, null, null, null, true, 0.1, 1e-5).relu();
        h = Functional.maxPool2d(h, 3).reshape(2, -1);
        Tensor logits = h.matmul(fl.t());
        Tensor loss = Functional.logSoftmax(logits, 1).sum().neg();
        loss.backward();
        assertEquals(x.device(), wl.grad().device());
        return new float[][]{loss.cpu().toFloatArray(), wl.grad().cpu().toFloatArray(), fl.grad().cpu().toFloatArray()};
    }

    /** A small conv net moved to {@code device}, two SGD-with-momentum and two Adam steps; its parameters on the host. */
    private static float[][] train(Device device) {
        Torch.manualSeed(3);
        Module model = new Sequential(new Conv2d(3, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(4 * 4 * 4, 5)).to(device);
        Tensor x = Torch.randn(2, 3, 8, 8).to(device);
        List<Optimizer> optimizers = List.of(new SGD(model.parameters(), 0.1, 0.9), new Adam(model.parameters(), 0.01));
        for (Optimizer opt : optimizers) {
            for (int step = 0; step < 2; step++) {
                opt.zeroGrad();
                Tensor loss = model.forward(x).pow(2).mean();
                loss.backward();
                opt.step();
            }
        }
        for (Tensor p : model.parameters()) assertEquals(device, p.device());
        return model.stateDict().values().stream().map(t -> t.cpu().to(dev.tessera.DType.FLOAT32).toFloatArray()).toArray(float[][]::new);
    }

    /** ops never imports the public facade; autograd functions reach kernels only through the dispatcher. */
    @Test
    void layeringHolds() throws IOException {
        Path root = Path.of("src/main/java/dev/tessera");
        Set<String> violations = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root.resolve("ops"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String src = Files.readString(f);
                if (src.matches("(?s).*\\bdev\\.tessera\\.(Torch|Cuda)\\b.*")) violations.add(f + " uses the Torch/Cuda facade");
            }
        }
        try (Stream<Path> files = Files.walk(root.resolve("autograd"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String src = Files.readString(f);
                if (src.contains("dev.tessera.ops.cpu") || src.contains("dev.tessera.ops.cuda")) violations.add(f + " calls device kernels directly");
                if (src.contains("getAtIndex") || src.contains("setAtIndex")) violations.add(f + " loops over memory");
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }
}
