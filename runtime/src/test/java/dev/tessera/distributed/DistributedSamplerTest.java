package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.Torch;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The sampler against PyTorch's algorithm written out over Torch.randperm (whose stream is
 * bit-identical to torch.randperm, see CpuGeneratorGoldenTest): permutation seeded with
 * seed + epoch, padded by repeating its start (or cut with drop_last), rank r takes r::R.
 */
class DistributedSamplerTest {
    static long[] reference(long n, int replicas, int rank, boolean shuffle, long seed, long epoch, boolean dropLast) {
        long[] perm;
        if (shuffle) {
            Torch.manualSeed(seed + epoch);
            perm = Torch.randperm(n).toLongArray();
        } else {
            perm = new long[(int) n];
            for (int i = 0; i < n; i++) perm[i] = i;
        }
        long numSamples = dropLast && n % replicas != 0 ? (long) Math.ceil((n - replicas) / (double) replicas)
                : (long) Math.ceil(n / (double) replicas);
        long total = numSamples * replicas;
        long[] list = new long[(int) Math.max(total, n)];
        for (int i = 0; i < list.length; i++) list[i] = perm[i % (int) n];
        long[] mine = new long[(int) numSamples];
        for (int i = 0; i < numSamples; i++) mine[i] = list[rank + i * replicas];
        return mine;
    }

    @Test
    void matchesPyTorchsAlgorithm() {
        for (long n : new long[] {1, 2, 7, 10, 11, 64}) {
            for (int replicas : new int[] {1, 2, 3, 4}) {
                for (boolean dropLast : new boolean[] {false, true}) {
                    if (dropLast && n < replicas) continue;
                    for (boolean shuffle : new boolean[] {false, true}) {
                        for (int rank = 0; rank < replicas; rank++) {
                            DistributedSampler s = new DistributedSampler(n, replicas, rank, shuffle, 5, dropLast);
                            s.setEpoch(3);
                            assertArrayEquals(reference(n, replicas, rank, shuffle, 5, 3, dropLast), s.indices(),
                                    "n=" + n + " R=" + replicas + " rank=" + rank + " shuffle=" + shuffle + " dropLast=" + dropLast);
                        }
                    }
                }
            }
        }
    }

    @Test
    void ranksCoverTheDatasetWithPaddingAndEpochsReshuffle() {
        long n = 10;
        int replicas = 3; // 10 -> 12 with two repeated samples
        long[] seen = new long[(int) n];
        for (int r = 0; r < replicas; r++) {
            DistributedSampler s = new DistributedSampler(n, replicas, r, true, 0, false);
            assertEquals(4, s.numSamples());
            for (long i : s.indices()) seen[(int) i]++;
        }
        assertEquals(12, Arrays.stream(seen).sum());
        assertFalse(Arrays.stream(seen).anyMatch(c -> c == 0));
        DistributedSampler a = new DistributedSampler(n, replicas, 0, true, 0, false);
        long[] e0 = a.indices();
        a.setEpoch(1);
        assertFalse(Arrays.equals(e0, a.indices()));
        assertThrows(IllegalArgumentException.class, () -> new DistributedSampler(n, 2, 2, true, 0, false));
    }
}
