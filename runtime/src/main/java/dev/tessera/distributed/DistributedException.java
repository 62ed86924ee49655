package dev.tessera.distributed;

/** A collective or process-group operation failed (an MPI error, a dead peer, a misuse). */
public class DistributedException extends RuntimeException {
    public DistributedException(String message) { super(message); }

    public DistributedException(String message, Throwable cause) { super(message, cause); }
}
