package dev.tessera.distributed;

/** The handle of an asynchronous collective (torch.distributed's Work). */
public interface Work {
    /** Blocks until the collective has finished; rethrows its failure as a {@link DistributedException}. */
    void await();

    /** Whether the collective has finished (successfully or not). */
    boolean isCompleted();
}
