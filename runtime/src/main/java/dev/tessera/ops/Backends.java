package dev.tessera.ops;

import dev.tessera.Device;
import dev.tessera.ops.cpu.CpuBackendProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/** The registry from device type to backend provider: the one place the dispatcher looks a device's kernels up. */
public final class Backends {
    private static final Map<Device.Type, BackendProvider> PROVIDERS = new ConcurrentHashMap<>();

    static {
        // the host is always there; every other device type comes from a provider on the class/module path
        register(new CpuBackendProvider());
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            PROVIDERS.putIfAbsent(p.type(), p);
        }
    }

    private Backends() {}

    /**
     * Registers (or replaces) the provider of a device type, e.g. a test double or an out-of-tree
     * device; returns the provider it replaced, or null.
     */
    public static BackendProvider register(BackendProvider provider) {
        return PROVIDERS.put(provider.type(), provider);
    }

    /** The backend of {@code device}; a clear exception when no provider exists or the device is unusable here. */
    public static Backend of(Device device) {
        BackendProvider p = PROVIDERS.get(device.type());
        if (p == null) {
            throw new UnsupportedOperationException("no backend is registered for device type " + device.type()
                    + " (device " + device + ")");
        }
        return p.backend(device);
    }
}
