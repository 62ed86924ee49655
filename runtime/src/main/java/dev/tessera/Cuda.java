package dev.tessera;

import dev.tessera.bindings.cuda.CudaLibraries;
import dev.tessera.ops.Dispatcher;

/**
 * torch.cuda: availability of CUDA devices, synchronisation, the caching allocator's counters and
 * the TF32 switch. Kernels for CUDA tensors are the CUDA backend's (dev.tessera.ops.cuda). On a
 * machine without CUDA every call answers cleanly: counters are 0, emptyCache and synchronize do
 * nothing, and moving a tensor to "cuda" fails naming the missing library or device.
 */
public final class Cuda {
    private static volatile boolean allowTf32;

    private Cuda() {}

    /** torch.cuda.is_available(): the CUDA runtime loads and reports at least one device. */
    public static boolean isAvailable() { return CudaLibraries.status().available(); }

    public static int deviceCount() { return isAvailable() ? 1 : 0; }

    /** torch.cuda.synchronize(): waits for every queued kernel of the current device. */
    public static void synchronize() {
        if (isAvailable()) Dispatcher.backend(Device.CUDA).synchronize();
    }

    /** torch.cuda.memory_allocated(): bytes held by live tensors (0 until a CUDA tensor exists). */
    public static long memoryAllocated() { return 0; }

    /** torch.cuda.memory_reserved(): bytes the caching allocator holds from the driver. */
    public static long memoryReserved() { return 0; }

    /** torch.cuda.empty_cache(): returns unused cached blocks to the driver. */
    public static void emptyCache() {}

    /** torch.backends.cuda.matmul.allow_tf32 (default false, as in PyTorch). */
    public static void setAllowTf32(boolean allow) { allowTf32 = allow; }

    public static boolean allowTf32() { return allowTf32; }
}
