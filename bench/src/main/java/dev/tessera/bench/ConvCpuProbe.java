package dev.tessera.bench;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.ops.cpu.DirectConv;
import dev.tessera.ops.cpu.DirectConvShape;
import dev.tessera.ops.cpu.Parallel;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Manual probe (not a benchmark run by the tests): the direct convolution's forward,
 * backward-data and backward-weights at ResNet-18's four 3x3 stage shapes on one thread, best-of
 * thread CPU time per call. On a machine shared with other work, wall-clock times of the same code
 * moved by 2x from run to run while these moved by about 10%; scripts/bench-conv-cpu.py does the
 * same for PyTorch. Usage: {@code ConvCpuProbe [batch] [reps]}.
 */
public final class ConvCpuProbe {
    private ConvCpuProbe() {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        Parallel.setNumThreads(1);
        for (int round = 0; round < 2; round++) { // the first round warms up the JIT
            for (int[] st : CompareMain.STAGES) {
                int c = st[0], s = st[1];
                Tensor x = Torch.randn(n, c, s, s), w = Torch.randn(c, c, 3, 3).mul(0.05), go = Torch.randn(n, c, s, s);
                Tensor out = Torch.empty(n, c, s, s), gx = Torch.empty(n, c, s, s), gw = Torch.empty(c, c, 3, 3);
                DirectConvShape g = DirectConvShape.of(n, c, s, s, c, 3, 1, 1, 1, 1);
                double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
                for (int i = 0; i < reps; i++) {
                    long t0 = cpu();
                    DirectConv.forward(seg(x), 0, seg(w), 0, null, 0, seg(out), 0, g);
                    long t1 = cpu();
                    DirectConv.backwardData(seg(go), 0, seg(w), 0, seg(gx), 0, g);
                    long t2 = cpu();
                    DirectConv.backwardWeights(seg(go), 0, seg(x), 0, seg(gw), 0, null, 0, g);
                    long t3 = cpu();
                    best[0] = Math.min(best[0], (t1 - t0) / 1e6);
                    best[1] = Math.min(best[1], (t2 - t1) / 1e6);
                    best[2] = Math.min(best[2], (t3 - t2) / 1e6);
                }
                if (round == 1) {
                    System.out.printf("tessera n%d c%3d: fwd %.3f ms  bwdData %.3f ms  bwdW %.3f ms%n", n, c, best[0],
                            best[1], best[2]);
                }
            }
        }
    }

    private static long cpu() { return THREADS.getCurrentThreadCpuTime(); }

    private static MemorySegment seg(Tensor t) { return t.strided().segment(); }
}
