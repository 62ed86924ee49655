package dev.tessera.distributed;

import dev.tessera.random.CpuGenerator;
import java.util.Arrays;

/**
 * torch.utils.data.DistributedSampler: each rank's share of a dataset's indices. With shuffling,
 * the permutation is torch.randperm(n, generator seeded with seed + epoch), identical on every
 * rank (call {@link #setEpoch} each epoch, as in PyTorch); without dropLast the list is padded by
 * repeating its start so every rank gets the same count; rank r takes elements r, r + R, r + 2R...
 */
public final class DistributedSampler {
    private final long datasetSize;
    private final int numReplicas, rank;
    private final boolean shuffle, dropLast;
    private final long seed;
    private long epoch;

    /** Over the default process group's ranks, shuffled, seed 0, drop_last false. */
    public DistributedSampler(long datasetSize) {
        this(datasetSize, Distributed.worldSize(), Distributed.rank(), true, 0, false);
    }

    public DistributedSampler(long datasetSize, int numReplicas, int rank, boolean shuffle, long seed, boolean dropLast) {
        if (datasetSize < 0) throw new IllegalArgumentException("dataset size must be >= 0, got " + datasetSize);
        if (numReplicas < 1) throw new IllegalArgumentException("num_replicas must be >= 1, got " + numReplicas);
        if (rank < 0 || rank >= numReplicas) {
            throw new IllegalArgumentException("Invalid rank " + rank + ", rank should be in the interval [0, " + (numReplicas - 1) + "]");
        }
        this.datasetSize = datasetSize;
        this.numReplicas = numReplicas;
        this.rank = rank;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    public void setEpoch(long epoch) { this.epoch = epoch; }

    /** Samples per rank: ceil(n / R), or floor(n / R) with dropLast and an uneven split (PyTorch's num_samples). */
    public long numSamples() {
        if (dropLast && datasetSize % numReplicas != 0) return Math.ceilDiv(datasetSize - numReplicas, numReplicas);
        return Math.ceilDiv(datasetSize, numReplicas);
    }

    /** This rank's indices for the current epoch. */
    public long[] indices() {
        long[] all;
        if (shuffle) {
            CpuGenerator g = new CpuGenerator(seed + epoch);
            all = g.randperm(datasetSize);
        } else {
            all = new long[Math.toIntExact(datasetSize)];
            for (int i = 0; i < all.length; i++) all[i] = i;
        }
        long total = numSamples() * numReplicas;
        long[] padded;
        if (!dropLast) {
            padded = Arrays.copyOf(all, Math.toIntExact(total));
            for (int i = all.length; i < padded.length; i++) padded[i] = all.length == 0 ? 0 : all[(i - all.length) % all.length];
        } else {
            padded = Arrays.copyOf(all, Math.toIntExact(total));
        }
        long[] mine = new long[Math.toIntExact(numSamples())];
        for (int i = 0; i < mine.length; i++) mine[i] = padded[rank + i * numReplicas];
        return mine;
    }
}
