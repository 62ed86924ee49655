package dev.tessera.ops;

import dev.tessera.Device;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.BiPredicate;

/**
 * For tests of Backend's default methods: registers, for the CUDA device type, a backend that
 * hands every entry to the CPU backend except those {@code useDefault} picks, which run the
 * interface's default method (as a device without its own kernel for them would). Records the
 * entries called and which of them ran their default; {@link #close} restores the previous
 * provider. Tensors moved with {@code to("cuda")} then live in host memory on that device.
 */
public final class StandInDevice implements AutoCloseable {
    private final BackendProvider previous;
    private final Set<String> called = new ConcurrentSkipListSet<>(), defaulted = new ConcurrentSkipListSet<>();

    private StandInDevice(BiPredicate<Method, Object[]> useDefault) {
        Backend cpu = Backends.of(Device.CPU);
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("device")) return Device.CUDA;
            called.add(method.getName());
            if (useDefault.test(method, args)) {
                defaulted.add(method.getName());
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            try {
                return method.invoke(cpu, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        Backend standIn = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class}, handler);
        previous = Backends.register(new BackendProvider() {
            @Override public Device.Type type() { return Device.Type.CUDA; }
            @Override public Backend backend(Device device) { return standIn; }
        });
    }

    public static StandInDevice register(BiPredicate<Method, Object[]> useDefault) {
        return new StandInDevice(useDefault);
    }

    /** Names of the backend entries called so far. */
    public Set<String> called() { return called; }

    /** Names of the entries that ran Backend's default method. */
    public Set<String> defaulted() { return defaulted; }

    @Override
    public void close() {
        Backends.register(previous);
    }
}
