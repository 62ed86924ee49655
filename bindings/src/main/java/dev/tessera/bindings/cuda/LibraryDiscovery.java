package dev.tessera.bindings.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the NVIDIA shared libraries on disk without loading them, in this order: CUDA_HOME / CUDA_PATH,
 * LD_LIBRARY_PATH, the toolkit roots (/usr/local/cuda), the ldconfig cache, the system library
 * directories, then NVIDIA's Python wheels (site-packages/nvidia/.../lib), asking a python3
 * interpreter for its site directories only when nothing else matched. Everything it reads comes from
 * an {@link Environment}, so tests run it against fake directory trees.
 */
public final class LibraryDiscovery {
    private static final Pattern LDCONFIG_LINE = Pattern.compile("^\\s*(\\S+)\\s+\\(([^)]*)\\)\\s+=>\\s+(\\S.*?)\\s*$");

    /** What discovery reads: environment variables, fixed directories and the two slow sources. */
    public record Environment(Map<String, String> env, List<Path> cudaRoots, List<Path> systemDirs, List<Path> pythonDirs,
            Supplier<String> ldconfigOutput, Supplier<List<Path>> interpreterSiteDirs) {
        /** The running machine; ldconfig and python3 each run at most once, with a short timeout. */
        public static Environment system() {
            String home = System.getProperty("user.home", "");
            String multiarch = System.getProperty("os.arch", "").equals("aarch64") ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
            return new Environment(System.getenv(), List.of(Path.of("/usr/local/cuda")),
                    List.of(Path.of("/usr/lib", multiarch), Path.of("/usr/lib64"), Path.of("/lib64"), Path.of("/usr/lib/wsl/lib"),
                            Path.of("/usr/lib")),
                    List.of(Path.of("/usr/local/lib"), Path.of("/usr/lib"), Path.of("/usr/lib64"), Path.of(home, ".local/lib"),
                            Path.of("/opt/conda/lib")),
                    memoize(() -> run(5, ldconfigCommand(), "-p")),
                    memoize(() -> parseDirs(run(5, "python3", "-c",
                            "import site,sys;print('\\n'.join(site.getsitepackages()+[site.getusersitepackages()]+sys.path))"))));
        }
    }

    /** Where a library was found, or every place that was searched. */
    public record Result(CudaLibrary library, Optional<Path> path, List<String> searched) {
        /** One line naming the library, the file names tried and where, and what to do about it. */
        public String failure() {
            String hint = library == CudaLibrary.DRIVER
                    ? "install the NVIDIA driver (no GPU driver means no CUDA)"
                    : "set CUDA_HOME or LD_LIBRARY_PATH to a CUDA 12/13 installation, or pip install NVIDIA's CUDA wheels";
            return library.description() + " (" + String.join(" or ", library.fileNames()) + ") was not found; looked in "
                    + String.join("; ", searched) + "; " + hint;
        }
    }

    private final Environment environment;

    public LibraryDiscovery(Environment environment) { this.environment = environment; }

    public Result find(CudaLibrary lib) {
        List<String> searched = new ArrayList<>();
        boolean toolkit = lib != CudaLibrary.DRIVER; // libcuda comes with the driver; a toolkit only has its stub
        Optional<Path> hit = Optional.empty();
        if (toolkit) {
            for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
                String root = environment.env().get(var);
                if (root == null || root.isBlank()) continue;
                hit = or(hit, () -> inDirs(lib, var + "=" + root, rootLibDirs(Path.of(root)), searched));
            }
            if (hit.isEmpty() && Stream.of("CUDA_HOME", "CUDA_PATH").allMatch(v -> blank(environment.env().get(v)))) {
                searched.add("CUDA_HOME (unset)");
            }
        }
        hit = or(hit, () -> {
            String ld = environment.env().get("LD_LIBRARY_PATH");
            if (blank(ld)) {
                searched.add("LD_LIBRARY_PATH (unset)");
                return Optional.empty();
            }
            return inDirs(lib, "LD_LIBRARY_PATH", splitPath(ld), searched);
        });
        if (toolkit) {
            for (Path root : environment.cudaRoots()) hit = or(hit, () -> inDirs(lib, root.toString(), rootLibDirs(root), searched));
        }
        hit = or(hit, () -> inLdconfig(lib, searched));
        hit = or(hit, () -> inDirs(lib, "system directories", environment.systemDirs(), searched));
        if (!lib.wheelDirs().isEmpty()) {
            hit = or(hit, () -> inDirs(lib, "Python wheels", wheelDirs(lib, cheapSiteDirs()), searched));
            hit = or(hit, () -> {
                List<Path> sites = environment.interpreterSiteDirs().get();
                if (sites.isEmpty()) {
                    searched.add("python3's site directories (no python3 answered)");
                    return Optional.empty();
                }
                return inDirs(lib, "python3's site directories", wheelDirs(lib, sites), searched);
            });
        }
        return new Result(lib, hit, List.copyOf(searched));
    }

    /** lib64, lib and the targets/ folder of a toolkit root. */
    static List<Path> rootLibDirs(Path root) {
        String arch = System.getProperty("os.arch", "").equals("aarch64") ? "sbsa-linux" : "x86_64-linux";
        return List.of(root.resolve("lib64"), root.resolve("lib"), root.resolve("targets/" + arch + "/lib"));
    }

    /** site-packages folders named by VIRTUAL_ENV, CONDA_PREFIX, PYTHONPATH and the usual prefixes, existing ones only. */
    List<Path> cheapSiteDirs() {
        Set<Path> sites = new LinkedHashSet<>();
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String prefix = environment.env().get(var);
            if (!blank(prefix)) sites.addAll(pythonSiteDirs(Path.of(prefix, "lib")));
        }
        String pythonPath = environment.env().get("PYTHONPATH");
        if (!blank(pythonPath)) sites.addAll(splitPath(pythonPath));
        for (Path lib : environment.pythonDirs()) sites.addAll(pythonSiteDirs(lib));
        sites.removeIf(p -> !Files.isDirectory(p));
        return List.copyOf(sites);
    }

    /** lib/python3.X/{site,dist}-packages under a prefix's lib folder, plus Debian's lib/python3/dist-packages. */
    static List<Path> pythonSiteDirs(Path libDir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(libDir)) return out;
        try (Stream<Path> children = Files.list(libDir)) {
            children.filter(p -> p.getFileName().toString().startsWith("python3") && Files.isDirectory(p)).sorted().forEach(p -> {
                out.add(p.resolve("site-packages"));
                out.add(p.resolve("dist-packages"));
            });
        } catch (IOException unreadable) {
            // an unreadable prefix holds no wheels we can load
        }
        return out;
    }

    private static List<Path> wheelDirs(CudaLibrary lib, List<Path> sites) {
        List<Path> dirs = new ArrayList<>();
        for (Path site : sites) for (String sub : lib.wheelDirs()) dirs.add(site.resolve(sub));
        return dirs;
    }

    private Optional<Path> inLdconfig(CudaLibrary lib, List<String> searched) {
        Map<String, List<Path>> cache = parseLdconfig(environment.ldconfigOutput().get());
        if (cache.isEmpty()) {
            searched.add("ldconfig cache (unreadable)");
            return Optional.empty();
        }
        for (String name : lib.fileNames()) {
            for (Path p : cache.getOrDefault(name, List.of())) {
                if (!isStub(p) && Files.isRegularFile(p)) return Optional.of(p);
            }
        }
        searched.add("ldconfig cache (no entry)");
        return Optional.empty();
    }

    private static Optional<Path> inDirs(CudaLibrary lib, String label, List<Path> dirs, List<String> searched) {
        for (Path dir : dirs) {
            if (isStub(dir.resolve("x"))) continue; // the toolkit's stubs/ libraries only link, they cannot run
            for (String name : lib.fileNames()) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p)) return Optional.of(p.toAbsolutePath());
            }
        }
        List<String> shown = dirs.stream().map(Path::toString).distinct().toList();
        searched.add(label + (shown.isEmpty() ? " (none found)" : ": " + String.join(", ", shown)));
        return Optional.empty();
    }

    private static boolean isStub(Path file) {
        Path parent = file.getParent();
        return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("stubs");
    }

    /** soname -> paths from `ldconfig -p` output, 64-bit entries only, in the cache's order. */
    public static Map<String, List<Path>> parseLdconfig(String text) {
        Map<String, List<Path>> out = new LinkedHashMap<>();
        if (text == null) return out;
        for (String line : text.split("\n")) {
            Matcher m = LDCONFIG_LINE.matcher(line);
            if (!m.matches() || !m.group(2).contains("64")) continue; // "libc6" alone is a 32-bit entry
            out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Path.of(m.group(3)));
        }
        return out;
    }

    static List<Path> splitPath(String value) {
        List<Path> out = new ArrayList<>();
        for (String part : value.split(":")) if (!part.isBlank()) out.add(Path.of(part));
        return out;
    }

    /** python3's site directories and sys.path entries: those that are site directories or hold an nvidia/ folder. */
    static List<Path> parseDirs(String text) {
        Set<Path> out = new LinkedHashSet<>();
        if (text == null) return List.of();
        for (String line : text.split("\n")) {
            String s = line.strip();
            if (s.isEmpty() || !s.startsWith("/")) continue;
            Path p = Path.of(s);
            if ((s.endsWith("-packages") && Files.isDirectory(p)) || Files.isDirectory(p.resolve("nvidia"))) out.add(p);
        }
        return List.copyOf(out);
    }

    private static String ldconfigCommand() {
        for (String p : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) if (Files.isExecutable(Path.of(p))) return p;
        return "ldconfig";
    }

    /** A command's standard output, or "" when it cannot run or takes longer than the timeout. */
    static String run(int timeoutSeconds, String... command) {
        Path out = null;
        try {
            // to a file, not a pipe: `ldconfig -p` can print more than a pipe holds before we read it
            out = Files.createTempFile("tessera-discovery", ".txt");
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) value = s.get();
                return value;
            }
        };
    }

    private static Optional<Path> or(Optional<Path> found, Supplier<Optional<Path>> next) {
        return found.isPresent() ? found : next.get();
    }

    private static boolean blank(String s) { return s == null || s.isBlank(); }
}
