package dev.tessera.bindings.mpi;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written loader for Open MPI's {@code libmpi.so} (kept apart from the generated-layout
 * {@link mpi_h}). Tries the soname through the dynamic loader (ldconfig cache, LD_LIBRARY_PATH),
 * then each LD_LIBRARY_PATH folder and Debian's Open MPI folders by path, and fails once with one
 * message naming everything tried.
 */
public final class MpiLibrary {
    private static final List<String> SONAMES = List.of("libmpi.so.40", "libmpi.so");
    private static final List<String> FOLDERS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu/openmpi/lib",
            "/usr/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu/openmpi/lib", "/usr/lib64/openmpi/lib", "/usr/local/lib");

    private static volatile SymbolLookup lookup;
    private static volatile String failure;

    private MpiLibrary() {}

    /** The loaded library's symbols; throws {@link UnsatisfiedLinkError} with what was tried when absent. */
    public static SymbolLookup lookup() {
        SymbolLookup l = lookup;
        if (l != null) return l;
        synchronized (MpiLibrary.class) {
            if (lookup == null && failure == null) load();
            if (lookup == null) throw new UnsatisfiedLinkError(failure);
            return lookup;
        }
    }

    /** Whether libmpi can be loaded (never throws). */
    public static boolean isAvailable() {
        try {
            lookup();
            return true;
        } catch (UnsatisfiedLinkError | IllegalCallerException e) {
            return false;
        }
    }

    private static void load() {
        List<String> tried = new ArrayList<>();
        for (String n : SONAMES) {
            tried.add(n);
            try {
                lookup = SymbolLookup.libraryLookup(n, Arena.global());
                return;
            } catch (IllegalArgumentException notFound) {
                // next candidate
            }
        }
        List<String> folders = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) for (String d : ld.split(":")) if (!d.isEmpty()) folders.add(d);
        folders.addAll(FOLDERS);
        for (String d : folders) {
            for (String n : SONAMES) {
                Path p = Path.of(d, n);
                if (!Files.exists(p)) continue;
                tried.add(p.toString());
                try {
                    lookup = SymbolLookup.libraryLookup(p, Arena.global());
                    return;
                } catch (IllegalArgumentException broken) {
                    // unloadable (wrong architecture, missing dependency): keep looking
                }
            }
        }
        failure = "Open MPI's libmpi.so could not be loaded (tried " + String.join(", ", tried) + " and the folders "
                + String.join(", ", folders) + "): install Open MPI (Debian: apt-get install openmpi-bin libopenmpi-dev) or add "
                + "its lib folder to LD_LIBRARY_PATH";
    }
}
