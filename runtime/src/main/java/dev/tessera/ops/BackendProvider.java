package dev.tessera.ops;

import dev.tessera.Device;

/**
 * Registers the kernels of one device type with {@link Backends}. Providers are found with
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/dev.tessera.ops.BackendProvider}),
 * so adding a device adds a provider, never a branch in the ops.
 */
public interface BackendProvider {
    Device.Type type();

    /**
     * The backend of {@code device}; throws {@link UnsupportedOperationException} naming what is
     * missing (a library, a driver, a device) when the device cannot be used on this machine.
     */
    Backend backend(Device device);
}
