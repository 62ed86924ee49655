package dev.tessera.bench;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.memory.Allocator;
import dev.tessera.nn.Module;
import dev.tessera.optim.SGD;
import dev.tessera.vision.ResNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Tessera side of scripts/bench-memory: a ResNet-18 training loop (forward, MSE loss against a
 * random target, backward, SGD with momentum) at BATCHx3xSIZExSIZE, every tensor owned by the GC as
 * in a user's loop. Prints one line per step (time, fresh mappings, pool reuses, blocks recycled by
 * backward, collections requested, minor page faults, resident set) and at the end the process's
 * peak resident set (VmHWM) and the fresh mappings of the second half of the steps: 0 means the
 * warm loop takes all its memory from the pool.
 * Usage: {@code MemoryMain [STEPS [BATCH [SIZE]]]} (20, 8, 224).
 */
public final class MemoryMain {
    private MemoryMain() {}

    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8, size = args.length > 2 ? Integer.parseInt(args[2]) : 224;
        Torch.manualSeed(0);
        Module net = ResNet.resnet18();
        net.train();
        SGD opt = new SGD(net.parameters(), 0.01, 0.9);
        Tensor x = Torch.randn(batch, 3, size, size), target = Torch.randn(batch, 1000);
        long lateFresh = 0;
        for (int i = 0; i < steps; i++) {
            Allocator.BlockCounters before = Allocator.blockCounters();
            long faults0 = minorFaults();
            long t0 = System.nanoTime();
            opt.zeroGrad();
            net.forward(x).sub(target).pow(2).mean().backward();
            opt.step();
            Allocator.BlockCounters d = Allocator.blockCounters().since(before);
            if (i >= steps / 2) lateFresh += d.freshMappings();
            System.out.printf("step %d ms %d fresh %d reused %d recycled %d collections %d page_faults %d rss_mb %.0f%n", i,
                    (System.nanoTime() - t0) / 1_000_000, d.freshMappings(), d.pooledReuses(), d.recycled(), d.collectionRequests(),
                    minorFaults() - faults0, statusKb("VmRSS:") / 1024.0);
        }
        System.out.printf("peak_rss_mb %.1f fresh_in_second_half %d%n", vmHwmKb() / 1024.0, lateFresh);
    }

    static long vmHwmKb() throws IOException { return statusKb("VmHWM:"); }

    /** The process's minor page faults so far (field 10 of /proc/self/stat): each costs ~13 us on this VM. */
    private static long minorFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    }

    private static long statusKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
