package dev.tessera.ops.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Cuda;
import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.bindings.cuda.CudaLibraries;
import dev.tessera.nn.Functional;
import dev.tessera.optim.SGD;
import dev.tessera.vision.ResNet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link CudaBackendChecks} on a real GPU (the CUDA driver, cuBLAS, cuRAND through
 * {@link CudaDriverRuntime}), plus a ResNet-18 training step on CUDA against the CPU and cuRAND's
 * distributions. Skips with the reason printed where no CUDA device is usable; scripts/gpu-check
 * runs it on a GPU machine.
 */
class CudaDeviceTest extends CudaBackendChecks {
    @BeforeAll
    static void requireGpu() {
        rt = null;
        if (!Cuda.isAvailable()) System.out.println("CudaDeviceTest: skipped: no CUDA device: " + CudaLibraries.status().reason());
        org.junit.jupiter.api.Assumptions.assumeTrue(Cuda.isAvailable(), "no CUDA device: " + CudaLibraries.status().reason());
    }

    /** One SGD step of ResNet-18 (2 x 3 x 64 x 64, train mode) on both devices: loss, gradients and updated weights agree. */
    @Test
    void resnet18TrainingStepMatchesTheCpu() {
        Torch.manualSeed(0);
        ResNet cpuNet = ResNet.resnet18();
        Tensor x = Torch.randn(2, 3, 64, 64), target = Torch.tensor(new long[]{3, 917});
        ResNet gpuNet = ResNet.resnet18();
        gpuNet.loadStateDict(cpuNet.stateDict());
        gpuNet.to("cuda");
        double[] lossC = step(cpuNet, x, target), lossG = step(gpuNet, x.to("cuda"), target.to("cuda"));
        assertEquals(lossC[0], lossG[0], 1e-3 * Math.abs(lossC[0]), "loss");
        var pc = cpuNet.parameters();
        var pg = gpuNet.parameters();
        for (int i = 0; i < pc.size(); i++) {
            assertEquals(Device.CUDA, pg.get(i).device());
            CudaBackendChecks.close("parameter " + i + " after the step", pc.get(i).detach(), pg.get(i).detach().cpu(), 2e-3);
        }
        System.out.printf("CudaDeviceTest: ResNet-18 step loss cpu %.6f cuda %.6f; memory allocated %d, reserved %d%n", lossC[0], lossG[0],
                Cuda.memoryAllocated(), Cuda.memoryReserved());
    }

    private static double[] step(ResNet net, Tensor x, Tensor target) {
        net.train();
        SGD opt = new SGD(net.parameters(), 0.1, 0.9);
        opt.zeroGrad();
        Tensor loss = Functional.crossEntropy(net.forward(x), target);
        loss.backward();
        opt.step();
        return new double[]{loss.item().doubleValue()};
    }

    /** cuRAND Philox: uniform and normal moments within bounds for both float types (not PyTorch's bits). */
    @Test
    void curandDistributions() {
        Torch.manualSeed(123);
        for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Tensor u = Torch.empty(new long[]{1 << 20}, t).to("cuda").uniform_(-1, 3);
            assertTrue(u.min().item().doubleValue() >= -1 && u.max().item().doubleValue() < 3, "uniform_ range");
            assertEquals(1, u.mean().item().doubleValue(), 0.01, "uniform mean");
            assertEquals(4 / Math.sqrt(12), u.std().item().doubleValue(), 0.01, "uniform std");
            Tensor n = Torch.empty(new long[]{(1 << 20) + 1}, t).to("cuda").normal_(-2, 0.5);
            assertEquals(-2, n.mean().item().doubleValue(), 0.005, "normal mean");
            assertEquals(0.5, n.std().item().doubleValue(), 0.005, "normal std");
            double within = n.sub(-2).abs().lt(0.5).to(DType.FLOAT64).mean().item().doubleValue();
            assertEquals(0.6827, within, 0.005, "normal mass within one std");
        }
    }
}
