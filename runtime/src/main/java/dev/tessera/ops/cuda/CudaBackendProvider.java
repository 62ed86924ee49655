package dev.tessera.ops.cuda;

import dev.tessera.Device;
import dev.tessera.bindings.cuda.CudaLibraries;
import dev.tessera.ops.Backend;
import dev.tessera.ops.BackendProvider;

/**
 * Registers the CUDA device type. Where the CUDA libraries, the driver or a device are missing,
 * asking for the backend fails with one message naming what is missing, as {@code torch} does.
 */
public final class CudaBackendProvider implements BackendProvider {
    @Override
    public Device.Type type() { return Device.Type.CUDA; }

    @Override
    public Backend backend(Device device) {
        CudaLibraries.Status status = CudaLibraries.status();
        if (!status.available()) {
            throw new UnsupportedOperationException("Torch not compiled with CUDA enabled / CUDA unavailable: " + status.reason());
        }
        throw new UnsupportedOperationException("the CUDA backend is not implemented yet in this build (device " + device + ")");
    }
}
