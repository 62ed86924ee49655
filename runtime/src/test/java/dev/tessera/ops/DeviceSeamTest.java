package dev.tessera.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.Functional;
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
