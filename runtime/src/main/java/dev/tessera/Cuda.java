package dev.tessera;

import dev.tessera.bindings.cuda.CudaLibraries;
import dev.tessera.ops.Backend;
import dev.tessera.ops.Dispatcher;

/** torch.cuda: availability, and the entry points the dispatcher uses for CUDA tensors. */
public final class Cuda {
    private Cuda() {}

    /** torch.cuda.is_available(): the CUDA runtime loads and reports at least one device. */
    public static boolean isAvailable() { return CudaLibraries.status().available(); }

    public static int deviceCount() { return isAvailable() ? 1 : 0; }

    private static UnsupportedOperationException unavailable() {
        return new UnsupportedOperationException("Torch not compiled with CUDA enabled / CUDA unavailable: "
                + CudaLibraries.status().reason());
    }

    /** The kernels for a CUDA device. */
    public static Backend backend(Device device) {
        if (!isAvailable()) throw unavailable();
        throw new UnsupportedOperationException("the CUDA backend is not implemented yet in this build (device " + device + ")");
    }

    /** Copies a tensor to another device. */
    public static Tensor transfer(Tensor t, Device target) {
        if (t.device().equals(target)) return t;
        if (target.isCuda() || t.device().isCuda()) {
            if (!isAvailable()) throw unavailable();
            throw new UnsupportedOperationException("the CUDA backend is not implemented yet in this build");
        }
        return Dispatcher.cast(t, t.dtype());
    }

    static Tensor fillRandom(Tensor t) {
        throw unavailable();
    }
}
