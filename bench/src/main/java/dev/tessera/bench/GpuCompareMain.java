package dev.tessera.bench;

import dev.tessera.Cuda;
import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.Module;
import dev.tessera.vision.ResNet;
import java.util.Locale;

/**
 * The Tessera half of the GPU comparison (scripts/gpu_compare.py is PyTorch's half, run in the same
 * scripts/gpu-check call): SGEMM fp32 at 4096 and 8192 with TF32 off, add of 256M floats, and a
 * ResNet-18 forward+backward at 32x3x224x224, each timed after a warm-up with a device
 * synchronisation around every timed run. Prints CSV lines {@code work,size,seconds} (best of N).
 */
public final class GpuCompareMain {
    private GpuCompareMain() {}

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        if (!Cuda.isAvailable()) {
            System.err.println("gpu-compare: CUDA unavailable: nothing to compare");
            System.exit(2);
        }
        Cuda.setAllowTf32(false);
        for (int n : new int[]{4096, 8192}) {
            Tensor a = Torch.randn(n, n).to(Device.CUDA), b = Torch.randn(n, n).to(Device.CUDA);
            report("sgemm", n, reps, () -> a.matmul(b));
        }
        long len = 256L << 20;
        Tensor x = Torch.ones(new long[]{len}, DType.FLOAT32).to(Device.CUDA), y = x.clone();
        report("add", len, reps, () -> x.add(y));
        Module model = ResNet.resnet18().to("cuda");
        Tensor images = Torch.randn(32, 3, 224, 224).to(Device.CUDA);
        report("resnet18_fwd_bwd", 32, Math.max(3, reps / 2), () -> {
            model.zeroGrad();
            model.forward(images).sum().backward();
        });
    }

    private static void report(String work, long size, int reps, Runnable run) {
        for (int i = 0; i < 3; i++) run.run();
        Cuda.synchronize();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            run.run();
            Cuda.synchronize();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        System.out.println(String.format(Locale.ROOT, "%s,%d,%.6f", work, size, best));
    }
}
