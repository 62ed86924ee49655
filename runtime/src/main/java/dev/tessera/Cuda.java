package dev.tessera;

import dev.tessera.bindings.cuda.CudaLibraries;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.cuda.CudaBackend;
import dev.tessera.ops.cuda.CudaDriverRuntime;

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

    /** torch.cuda.memory_allocated(): bytes held by live tensors (0 without a CUDA backend). */
    public static long memoryAllocated() {
        CudaBackend b = backend();
        return b == null ? 0 : b.allocator().memoryAllocated();
    }

    /** torch.cuda.memory_reserved(): bytes the caching allocator holds from the driver. */
    public static long memoryReserved() {
        CudaBackend b = backend();
        return b == null ? 0 : b.allocator().memoryReserved();
    }

    /** torch.cuda.empty_cache(): returns unused cached blocks to the driver. */
    public static void emptyCache() {
        CudaBackend b = backend();
        if (b != null) b.allocator().emptyCache();
    }

    /** The CUDA device's backend when the device is usable here, else null (counters then read 0). */
    private static CudaBackend backend() {
        try {
            return Dispatcher.backend(Device.CUDA) instanceof CudaBackend b ? b : null;
        } catch (UnsupportedOperationException unavailable) {
            return null;
        }
    }

    /** torch.backends.cuda.matmul.allow_tf32 (default false, as in PyTorch). */
    public static void setAllowTf32(boolean allow) {
        allowTf32 = allow;
        CudaDriverRuntime.setAllowTf32(allow);
    }

    public static boolean allowTf32() { return allowTf32; }
}
