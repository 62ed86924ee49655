package dev.tessera.tensor;

import dev.tessera.Device;
import java.lang.foreign.MemorySegment;

/**
 * Bytes plus the device they live on, shared by every view of a tensor. Also carries the version
 * counter that in-place operations bump and that autograd's saved tensors check (as PyTorch's
 * VariableVersion, which views share through their storage).
 *
 * @param keepAlive an object that owns the memory (a mapped file, a NumPy array) and must stay
 *                  reachable while this storage is, or null
 */
public final class Storage {
    private final MemorySegment segment;
    private final Device device;
    private final Object keepAlive;
    private int version;
    private Object transientOwner;
    private volatile boolean exposed;

    public Storage(MemorySegment segment, Device device, Object keepAlive) {
        this.segment = segment;
        this.device = device;
        this.keepAlive = keepAlive;
    }

    public MemorySegment segment() { return segment; }

    public Device device() { return device; }

    public long byteSize() { return segment.byteSize(); }

    public Object keepAlive() { return keepAlive; }

    public int version() { return version; }

    /** Called once by every in-place operation that writes this storage. */
    public void bumpVersion() { version++; }

    /**
     * Whether code outside Tessera's ops (NumPy, through {@code numpy()}) can write these bytes
     * without bumping {@link #version()}; then the version does not tell whether the contents
     * changed, and nothing derived from them may be cached. Mapped and foreign memory (a non-null
     * {@link #keepAlive()}) counts as exposed from the start.
     */
    public boolean isExposed() { return exposed || keepAlive != null; }

    public void markExposed() { exposed = true; }

    /** The version at which every byte was last known to be zero; -1: never. */
    private int zeroVersion = -1;

    /** Records that every byte is zero now (a fill with +0 covering the whole storage). */
    public void markAllZero() { zeroVersion = version; }

    /**
     * Whether every byte is still zero: nothing has written since {@link #markAllZero} (every write
     * bumps the version) and no outside code can write without bumping it.
     */
    public boolean isAllZero() { return zeroVersion == version && !isExposed(); }

    /**
     * The party that may hand this storage's memory back before it becomes unreachable (autograd's
     * backward pass, for the gradient buffers it creates and consumes itself), or null: the memory is
     * then released only when no tensor can reach it. Cleared the moment the storage escapes to code
     * that could keep it.
     */
    public Object transientOwner() { return transientOwner; }

    public void setTransientOwner(Object owner) { transientOwner = owner; }
}
