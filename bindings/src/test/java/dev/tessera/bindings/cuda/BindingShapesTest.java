package dev.tessera.bindings.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.bindings.nccl.nccl_h;
import dev.tessera.bindings.nccl.ncclUniqueId;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each hand-kept wrapper agrees with its own descriptor: the static method with the C name takes and
 * returns exactly the descriptor's carrier types (else its invokeExact fails at the first call), the
 * handle has that type, and, where the library is missing, every wrapper fails with the
 * CudaLibraryException that names it rather than a WrongMethodTypeException.
 */
class BindingShapesTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {cuda_runtime_api_h.class, cuda_h.class, cublas_api_h.class, curand_h.class, nccl_h.class})
    void wrappersMatchTheirDescriptors(Class<?> binding) throws Exception {
        CudaLibrary lib = (CudaLibrary) binding.getField("LIBRARY").get(null);
        boolean missing = CudaLibraries.path(lib).isEmpty();
        List<String> problems = new ArrayList<>();
        List<String> names = Stream.of(binding.getMethods()).map(Method::getName).filter(n -> n.endsWith("$descriptor"))
                .map(n -> n.substring(0, n.length() - "$descriptor".length())).sorted().toList();
        for (String name : names) {
            FunctionDescriptor desc = (FunctionDescriptor) binding.getMethod(name + "$descriptor").invoke(null);
            MethodType want = desc.toMethodType();
            Method wrapper = Stream.of(binding.getMethods()).filter(m -> m.getName().equals(name)).findFirst().orElse(null);
            if (wrapper == null) {
                problems.add(name + ": no wrapper method");
                continue;
            }
            MethodType got = MethodType.methodType(wrapper.getReturnType(), wrapper.getParameterTypes());
            if (!got.equals(want)) problems.add(name + ": wrapper " + got + " but descriptor " + want);
            MethodHandle h = (MethodHandle) binding.getMethod(name + "$handle").invoke(null);
            if (!h.type().equals(want)) problems.add(name + ": handle " + h.type() + " but descriptor " + want);
            if (missing && got.equals(want)) problems.addAll(callFails(wrapper, name, lib));
        }
        assertTrue(problems.isEmpty(), binding.getSimpleName() + ":\n  " + String.join("\n  ", problems));
        if (!missing) System.out.println("[BindingShapesTest] " + lib + " is installed here: its wrappers were type-checked, not called");
    }

    /** Calls a wrapper of a missing library with zero arguments; only CudaLibraryException naming it is acceptable. */
    private static List<String> callFails(Method wrapper, String name, CudaLibrary lib) throws IllegalAccessException {
        try (Arena a = Arena.ofConfined()) {
            Object[] args = new Object[wrapper.getParameterCount()];
            Class<?>[] types = wrapper.getParameterTypes();
            for (int i = 0; i < args.length; i++) args[i] = zero(types[i], a);
            try {
                wrapper.invoke(null, args);
                return List.of(name + ": returned although " + lib + " is missing");
            } catch (InvocationTargetException e) {
                Throwable c = e.getCause();
                if (c instanceof CudaLibraryException && c.getMessage().startsWith("cannot call " + name + ": ")) return List.of();
                return List.of(name + ": threw " + c);
            }
        }
    }

    /** A zero of the carrier type (boxed separately: a ?: chain would promote every number to double). */
    private static Object zero(Class<?> t, Arena a) {
        if (t == MemorySegment.class) return ncclUniqueId.allocate(a); // 128 zero bytes: a pointer or the by-value struct
        if (t == int.class) return 0;
        if (t == long.class) return 0L;
        if (t == byte.class) return (byte) 0;
        if (t == float.class) return 0f;
        if (t == double.class) return 0d;
        throw new IllegalArgumentException("no zero for " + t);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {cuda_runtime_api_h.class, cuda_h.class, cublas_api_h.class, curand_h.class, nccl_h.class})
    void eachClassNamesItsLibrary(Class<?> binding) throws Exception {
        CudaLibrary lib = (CudaLibrary) binding.getField("LIBRARY").get(null);
        String expected = switch (binding.getSimpleName()) {
            case "cuda_runtime_api_h" -> "RUNTIME";
            case "cuda_h" -> "DRIVER";
            case "cublas_api_h" -> "CUBLAS";
            case "curand_h" -> "CURAND";
            default -> "NCCL";
        };
        assertEquals(expected, lib.name());
    }
}
