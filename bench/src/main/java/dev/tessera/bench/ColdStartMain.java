package dev.tessera.bench;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.optim.SGD;
import dev.tessera.vision.ResNet;

/**
 * What a short program sees in a fresh JVM (run by scripts/bench-coldstart, one JVM per work, as
 * scripts/bench-coldstart.py does for NumPy and PyTorch): {@code matmul} times the first 50
 * products of two 512x512 matrices (results dropped); {@code resnet18} builds ResNet-18, then times
 * its first 5 training steps at 8x3x224x224 (forward, MSE loss against a random target, backward,
 * SGD with momentum; {@code resnet18 BATCH SIZE} for another input). Prints
 * {@code work,total_seconds,first_seconds,last_seconds}.
 */
public final class ColdStartMain {
    private ColdStartMain() {}

    public static void main(String[] args) {
        String work = args.length > 0 ? args[0] : "matmul";
        double[] t = switch (work) {
            case "matmul" -> matmuls(50, 512);
            case "resnet18" -> resnetSteps(5, args.length > 2 ? Integer.parseInt(args[1]) : 8, args.length > 2 ? Integer.parseInt(args[2]) : 224);
            default -> throw new IllegalArgumentException("unknown work " + work + " (matmul or resnet18)");
        };
        double total = 0;
        for (double s : t) total += s;
        System.out.printf("%s,%.4f,%.4f,%.4f%n", work, total, t[0], t[t.length - 1]);
        if (Boolean.getBoolean("coldstart.cpu")) {
            // CPU seconds by thread group over the timed region: on a machine too busy for wall times
            // this still shows whether the program's own threads ran compiled kernels
            System.out.printf("cpu program %.3f compiler %.3f%n", CPU.program, CPU.compiler);
        }
    }

    /** CPU seconds of the program's threads (main and kernel workers) and of the JIT compilers. */
    private static final class CPU {
        static double program, compiler;
        private static final java.util.Map<Long, Long> START = new java.util.HashMap<>();

        static void begin() {
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info == null) continue;
                START.put(info.getThreadId(), Math.max(0, mx.getThreadCpuTime(info.getThreadId())));
            }
        }

        static void end() {
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info == null) continue;
                double sec = (Math.max(0, mx.getThreadCpuTime(info.getThreadId())) - START.getOrDefault(info.getThreadId(), 0L)) / 1e9;
                String name = info.getThreadName();
                if (name.equals("main") || name.startsWith("tessera-cpu")) program += sec;
            }
            // compiler threads are hidden from getAllThreadIds: count them from the JIT's own total
            compiler = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3 - compiler;
        }
    }

    private static double[] matmuls(int count, int n) {
        Tensor a = Buffers.randomF32(1, n, n), b = Buffers.randomF32(2, n, n);
        double[] t = new double[count];
        beginCpu();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            a.matmul(b);
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        CPU.end();
        return t;
    }

    private static void beginCpu() {
        CPU.compiler = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3;
        CPU.begin();
    }

    private static double[] resnetSteps(int count, int batch, int size) {
        Torch.manualSeed(0);
        ResNet model = ResNet.resnet18();
        model.train();
        SGD opt = new SGD(model.parameters(), 0.01, 0.9);
        Tensor x = Torch.randn(batch, 3, size, size), target = Torch.randn(batch, 1000);
        double[] t = new double[count];
        beginCpu();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            opt.zeroGrad();
            Tensor loss = model.forward(x).sub(target).pow(2).mean();
            loss.backward();
            opt.step();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        CPU.end();
        return t;
    }
}
