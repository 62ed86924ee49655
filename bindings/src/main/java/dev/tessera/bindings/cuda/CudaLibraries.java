package dev.tessera.bindings.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hand-written loader for the NVIDIA libraries (kept apart from the jextract-layout bindings): finds each
 * with {@link LibraryDiscovery}, loads it once by absolute path (its prerequisites first), and
 * reports exactly what is missing and where it was looked for.
 */
public final class CudaLibraries {
    private static final LibraryDiscovery DISCOVERY = new LibraryDiscovery(LibraryDiscovery.Environment.system());
    private static final Map<CudaLibrary, LibraryDiscovery.Result> FOUND = new ConcurrentHashMap<>();
    private static final Map<CudaLibrary, Loaded> LOADED = new EnumMap<>(CudaLibrary.class); // guarded by the class lock

    private static volatile Status status;

    /** A loaded library, or why it could not be loaded. */
    private record Loaded(SymbolLookup lookup, Path path, String failure) {}

    /**
     * Whether the runtime loaded and reported at least one device, and why not otherwise.
     * {@code cudart} is the runtime's symbols when it loaded.
     */
    public record Status(boolean available, String reason, SymbolLookup cudart) {
        /** Where each library was found, or why not (discovery only: nothing is loaded). */
        public Map<CudaLibrary, String> libraries() { return report(); }
    }

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

    /** The library's symbols, loading it (and what it needs first) on first use. */
    public static SymbolLookup lookup(CudaLibrary lib) {
        Loaded l;
        synchronized (CudaLibraries.class) { // not computeIfAbsent: loading cuBLAS looks up cuBLASLt first
            l = LOADED.get(lib);
            if (l == null) {
                l = load(lib);
                LOADED.put(lib, l);
            }
        }
        if (l.lookup() == null) throw new CudaLibraryException(l.failure());
        return l.lookup();
    }

    /** The file the library was (or would be) loaded from, without loading it. */
    public static Optional<Path> path(CudaLibrary lib) { return discover(lib).path(); }

    /** For each library: the file it comes from, or the one-line reason it is missing. */
    public static Map<CudaLibrary, String> report() {
        Map<CudaLibrary, String> out = new EnumMap<>(CudaLibrary.class);
        for (CudaLibrary lib : CudaLibrary.values()) {
            LibraryDiscovery.Result r = discover(lib);
            out.put(lib, r.path().map(Path::toString).orElseGet(r::failure));
        }
        return out;
    }

    private static LibraryDiscovery.Result discover(CudaLibrary lib) { return FOUND.computeIfAbsent(lib, DISCOVERY::find); }

    private static Loaded load(CudaLibrary lib) {
        for (CudaLibrary first : lib.loadFirst()) {
            try {
                lookup(first);
            } catch (CudaLibraryException e) {
                return new Loaded(null, null, lib.description() + " needs " + first.description() + ": " + e.getMessage());
            }
        }
        LibraryDiscovery.Result found = discover(lib);
        if (found.path().isEmpty()) return new Loaded(null, null, found.failure());
        Path path = found.path().get();
        try {
            return new Loaded(SymbolLookup.libraryLookup(path, Arena.global()), path, null);
        } catch (IllegalCallerException denied) {
            return new Loaded(null, path, "native access is not enabled for Tessera (run with --enable-native-access=ALL-UNNAMED): "
                    + denied.getMessage());
        } catch (IllegalArgumentException notLoadable) {
            return new Loaded(null, path, lib.description() + " was found at " + path + " but could not be loaded: "
                    + notLoadable.getMessage());
        }
    }

    private static Status probe() {
        SymbolLookup cudart;
        try {
            cudart = lookup(CudaLibrary.RUNTIME);
        } catch (CudaLibraryException e) {
            return new Status(false, e.getMessage(), null);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment count = a.allocate(ValueLayout.JAVA_INT);
            int err = cuda_runtime_api_h.cudaGetDeviceCount(count);
            if (err != cuda_runtime_api_h.cudaSuccess()) {
                String reason = "cudaGetDeviceCount failed: " + CudaErrors.runtimeError(err);
                LibraryDiscovery.Result driver = discover(CudaLibrary.DRIVER);
                if (driver.path().isEmpty()) reason += "; " + driver.failure();
                return new Status(false, reason, cudart);
            }
            if (count.get(ValueLayout.JAVA_INT, 0) == 0) return new Status(false, "no CUDA device found", cudart);
            return new Status(true, "ok", cudart);
        } catch (RuntimeException | LinkageError e) {
            return new Status(false, "the CUDA runtime could not be initialised: " + e, cudart);
        }
    }
}
