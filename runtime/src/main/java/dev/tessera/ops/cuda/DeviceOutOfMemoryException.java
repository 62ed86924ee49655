package dev.tessera.ops.cuda;

/** A device allocation that failed even after the allocator released its cache (torch.cuda.OutOfMemoryError). */
public class DeviceOutOfMemoryException extends RuntimeException {
    private final long requested;

    public DeviceOutOfMemoryException(String message, long requested) {
        super(message);
        this.requested = requested;
    }

    /** The bytes asked for. */
    public long requested() { return requested; }
}
