package dev.tessera.ops.cuda;

import dev.tessera.Device;
import dev.tessera.bindings.cuda.CudaLibraries;
import dev.tessera.ops.Backend;
import dev.tessera.ops.BackendProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers the CUDA device type: one {@link CudaBackend} over the driver per device, built on
 * first use. Where the CUDA libraries, the driver or a device are missing, asking for the backend
 * fails with one message naming what is missing, as {@code torch} does.
 */
public final class CudaBackendProvider implements BackendProvider {
    private static final Map<Integer, CudaBackend> BACKENDS = new ConcurrentHashMap<>();

    @Override
    public Device.Type type() { return Device.Type.CUDA; }

    @Override
    public Backend backend(Device device) {
        CudaLibraries.Status status = CudaLibraries.status();
        if (!status.available()) {
            throw new UnsupportedOperationException("Torch not compiled with CUDA enabled / CUDA unavailable: " + status.reason());
        }
        return BACKENDS.computeIfAbsent(device.index(), i -> new CudaBackend(device, new CudaDriverRuntime(i)));
    }

    /** The backend of {@code device} if one was built, else null (never initialises CUDA). */
    public static CudaBackend existing(Device device) { return BACKENDS.get(device.index()); }
}
