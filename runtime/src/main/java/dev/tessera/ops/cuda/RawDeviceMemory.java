package dev.tessera.ops.cuda;

/**
 * Raw device memory under the {@link CachingAllocator}: the CUDA backend implements it with
 * cuMemAlloc/cuMemFree, tests with a fake of fixed capacity.
 */
public interface RawDeviceMemory {
    /**
     * A device pointer to {@code bytes} fresh bytes, or 0 when the device is out of memory (the
     * allocator then releases its cache and retries). Other failures throw.
     */
    long malloc(long bytes);

    /** Returns a pointer obtained from {@link #malloc}. */
    void free(long pointer);
}
