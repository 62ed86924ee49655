package dev.tessera.bindings.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

/**
 * Hand-written loader for the CUDA shared libraries (kept apart from generated bindings). Finds
 * libcudart, libcublas and libcurand by their sonames, and reports exactly what is missing.
 */
public final class CudaLibraries {
    private static final List<String> CUDART = List.of("libcudart.so", "libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0");

    private static volatile Status status;

    /** Whether the runtime loaded and reported at least one device, and why not otherwise. */
    public record Status(boolean available, String reason, SymbolLookup cudart) {}

    private CudaLibraries() {}

    public static Status status() {
        Status s = status;
        if (s == null) {
            synchronized (CudaLibraries.class) {
                if (status == null) status = probe();
                s = status;
            }
        }
        return s;
    }

    private static Status probe() {
        Optional<SymbolLookup> lib;
        try {
            lib = load(CUDART);
        } catch (IllegalCallerException | UnsupportedOperationException denied) {
            // native access denied (--illegal-native-access=deny without --enable-native-access)
            return new Status(false, "native access is not enabled for Tessera (run with --enable-native-access=ALL-UNNAMED): "
                    + denied.getMessage(), null);
        }
        if (lib.isEmpty()) {
            return new Status(false, "the CUDA runtime library (libcudart.so) could not be loaded: no NVIDIA CUDA installation found", null);
        }
        try {
            MemorySegment fn = lib.get().find("cudaGetDeviceCount").orElseThrow();
            MethodHandle h = Linker.nativeLinker().downcallHandle(fn, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            try (Arena a = Arena.ofConfined()) {
                MemorySegment count = a.allocate(ValueLayout.JAVA_INT);
                int err = (int) h.invokeExact(count);
                if (err != 0) {
                    return new Status(false, "cudaGetDeviceCount failed with CUDA error " + err + " (" + errorString(lib.get(), err)
                            + ")", lib.get());
                }
                if (count.get(ValueLayout.JAVA_INT, 0) == 0) return new Status(false, "no CUDA device found", lib.get());
            }
            return new Status(true, "ok", lib.get());
        } catch (Throwable t) {
            return new Status(false, "the CUDA runtime could not be initialised: " + t, lib.get());
        }
    }

    /** cudaGetErrorString(err), or "unknown error" when the symbol is missing. */
    private static String errorString(SymbolLookup cudart, int err) {
        try {
            MemorySegment fn = cudart.find("cudaGetErrorString").orElse(null);
            if (fn == null) return "unknown error";
            MethodHandle h = Linker.nativeLinker().downcallHandle(fn, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MemorySegment text = (MemorySegment) h.invokeExact(err);
            return text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "unknown error";
        }
    }

    private static Optional<SymbolLookup> load(List<String> names) {
        for (String n : names) {
            try {
                return Optional.of(SymbolLookup.libraryLookup(n, Arena.global()));
            } catch (IllegalArgumentException notFound) {
                // try the next soname
            }
        }
        return Optional.empty();
    }
}
