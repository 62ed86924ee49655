package dev.tessera.ops.cpu;

import dev.tessera.Device;
import dev.tessera.ops.Backend;
import dev.tessera.ops.BackendProvider;

/** The host's kernels: one {@link CpuBackend} for {@link Device#CPU}. */
public final class CpuBackendProvider implements BackendProvider {
    private static final CpuBackend CPU = new CpuBackend();

    @Override
    public Device.Type type() { return Device.Type.CPU; }

    @Override
    public Backend backend(Device device) { return CPU; }
}
