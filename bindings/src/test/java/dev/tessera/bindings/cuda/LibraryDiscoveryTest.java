package dev.tessera.bindings.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery against fake directory trees: what is found, in which order, and the text when nothing is. Nothing is loaded. */
class LibraryDiscoveryTest {
    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>();
    private String ldconfig = "";
    private final AtomicInteger pythonAsked = new AtomicInteger();
    private List<Path> interpreterSites = List.of();

    private Path file(String relative) throws IOException {
        Path p = tmp.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "not really an ELF file");
        return p;
    }

    private LibraryDiscovery discovery() {
        Supplier<List<Path>> sites = () -> {
            pythonAsked.incrementAndGet();
            return interpreterSites;
        };
        return new LibraryDiscovery(new LibraryDiscovery.Environment(Map.copyOf(env), List.of(tmp.resolve("usr-local-cuda")),
                List.of(tmp.resolve("system-lib")), List.of(tmp.resolve("usr-lib")), () -> ldconfig, sites));
    }

    private Path found(CudaLibrary lib) {
        LibraryDiscovery.Result r = discovery().find(lib);
        assertTrue(r.path().isPresent(), () -> r.failure());
        return r.path().get();
    }

    @Test
    void eachSourceIsSearchedInOrder() throws IOException {
        Path wheel = file("venv/lib/python3.12/site-packages/nvidia/cu13/lib/libcudart.so.13");
        env.put("VIRTUAL_ENV", tmp.resolve("venv").toString());
        assertEquals(wheel, found(CudaLibrary.RUNTIME));

        Path system = file("system-lib/libcudart.so.12");
        assertEquals(system, found(CudaLibrary.RUNTIME), "system directories come before Python wheels");

        Path cached = file("cache/libcudart.so.13");
        ldconfig = "3 libs found in cache `/etc/ld.so.cache'\n\tlibcudart.so.13 (libc6,x86-64) => " + cached + "\n";
        assertEquals(cached, found(CudaLibrary.RUNTIME), "the ldconfig cache comes before the system directories");

        Path root = file("usr-local-cuda/targets/x86_64-linux/lib/libcudart.so.13");
        if (!System.getProperty("os.arch").equals("aarch64")) {
            assertEquals(root, found(CudaLibrary.RUNTIME), "/usr/local/cuda comes before the ldconfig cache");
        }
        Path root64 = file("usr-local-cuda/lib64/libcudart.so.13");
        assertEquals(root64, found(CudaLibrary.RUNTIME), "lib64 comes before targets/");

        Path ld = file("ld/libcudart.so.13");
        env.put("LD_LIBRARY_PATH", "/nonexistent:" + ld.getParent());
        assertEquals(ld, found(CudaLibrary.RUNTIME), "LD_LIBRARY_PATH comes before /usr/local/cuda");

        Path home = file("cuda-home/lib64/libcudart.so.13");
        env.put("CUDA_HOME", tmp.resolve("cuda-home").toString());
        assertEquals(home, found(CudaLibrary.RUNTIME), "CUDA_HOME comes first");
        assertEquals(0, pythonAsked.get(), "python3 is asked only when nothing else matched");
    }

    @Test
    void theNewestSonameWinsWithinADirectory() throws IOException {
        file("cuda-home/lib64/libcublas.so");
        file("cuda-home/lib64/libcublas.so.12");
        Path newest = file("cuda-home/lib64/libcublas.so.13");
        env.put("CUDA_HOME", tmp.resolve("cuda-home").toString());
        assertEquals(newest, found(CudaLibrary.CUBLAS));
    }

    @Test
    void pythonWheelsAreFoundInEveryLayout() throws IOException {
        // CUDA 12 wheels: one folder per library, in a conda prefix
        Path blas = file("conda/lib/python3.11/site-packages/nvidia/cublas/lib/libcublas.so.12");
        Path lt = file("conda/lib/python3.11/site-packages/nvidia/cublas/lib/libcublasLt.so.12");
        env.put("CONDA_PREFIX", tmp.resolve("conda").toString());
        assertEquals(blas, found(CudaLibrary.CUBLAS));
        assertEquals(lt, found(CudaLibrary.CUBLAS_LT));
        // a PYTHONPATH entry is a site directory itself
        Path rand = file("pp/nvidia/curand/lib/libcurand.so.10");
        env.put("PYTHONPATH", tmp.resolve("pp").toString());
        assertEquals(rand, found(CudaLibrary.CURAND));
        // Debian-style dist-packages under the usual prefixes
        Path nccl = file("usr-lib/python3.13/dist-packages/nvidia/nccl/lib/libnccl.so.2");
        assertEquals(nccl, found(CudaLibrary.NCCL));
    }

    @Test
    void python3IsTheLastResort() throws IOException {
        Path site = tmp.resolve("elsewhere/site-packages");
        Path lib = file("elsewhere/site-packages/nvidia/cu13/lib/libcurand.so.10");
        interpreterSites = List.of(site);
        assertEquals(lib, found(CudaLibrary.CURAND));
        assertEquals(1, pythonAsked.get());
    }

    @Test
    void theDriverIsNeverTakenFromAToolkitOrItsStubs() throws IOException {
        file("cuda-home/lib64/stubs/libcuda.so");
        file("cuda-home/lib64/libcuda.so"); // a toolkit never ships a real driver: not searched
        env.put("CUDA_HOME", tmp.resolve("cuda-home").toString());
        env.put("LD_LIBRARY_PATH", tmp.resolve("cuda-home/lib64/stubs").toString());
        ldconfig = "\tlibcuda.so (libc6,x86-64) => " + tmp.resolve("cuda-home/lib64/stubs/libcuda.so") + "\n";
        LibraryDiscovery.Result r = discovery().find(CudaLibrary.DRIVER);
        assertFalse(r.path().isPresent(), () -> "found " + r.path());
        Path real = file("system-lib/libcuda.so.1");
        assertEquals(real, found(CudaLibrary.DRIVER));
    }

    @Test
    void theFailureIsOneLineNamingWhatAndWhere() throws IOException {
        env.put("CUDA_HOME", tmp.resolve("cuda-home").toString());
        Files.createDirectories(tmp.resolve("venv/lib/python3.12/site-packages"));
        env.put("VIRTUAL_ENV", tmp.resolve("venv").toString());
        LibraryDiscovery.Result r = discovery().find(CudaLibrary.CUBLAS);
        String msg = r.failure();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.startsWith("cuBLAS (libcublas.so.13 or libcublas.so.12 or libcublas.so) was not found; looked in "), msg);
        for (String where : List.of("CUDA_HOME=" + tmp.resolve("cuda-home"), tmp.resolve("cuda-home/lib64").toString(),
                "LD_LIBRARY_PATH (unset)", tmp.resolve("usr-local-cuda/lib64").toString(), "ldconfig cache (unreadable)",
                "system directories: " + tmp.resolve("system-lib"),
                "Python wheels: " + tmp.resolve("venv/lib/python3.12/site-packages/nvidia/cu13/lib"),
                tmp.resolve("venv/lib/python3.12/site-packages/nvidia/cublas/lib").toString(),
                "python3's site directories (no python3 answered)", "pip install")) {
            assertTrue(msg.contains(where), "missing '" + where + "' in: " + msg);
        }
        String driver = discovery().find(CudaLibrary.DRIVER).failure();
        assertTrue(driver.startsWith("the CUDA driver (libcuda.so.1 or libcuda.so) was not found"), driver);
        assertTrue(driver.contains("install the NVIDIA driver") && !driver.contains("CUDA_HOME="), driver);
    }

    @Test
    void ldconfigOutputKeepsOnly64BitEntries() {
        Map<String, List<Path>> m = LibraryDiscovery.parseLdconfig("""
                1245 libs found in cache `/etc/ld.so.cache'
                \tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1
                \tlibcuda.so.1 (libc6) => /usr/lib/i386-linux-gnu/libcuda.so.1
                \tlibcublas.so.12 (libc6,AArch64) => /usr/lib/aarch64-linux-gnu/libcublas.so.12
                Cache generated by: ldconfig (GNU libc) stable release version 2.36
                """);
        assertEquals(Map.of("libcuda.so.1", List.of(Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1")), "libcublas.so.12",
                List.of(Path.of("/usr/lib/aarch64-linux-gnu/libcublas.so.12"))), m);
    }

    @Test
    void cublasLoadsAfterCublasLt() {
        assertEquals(List.of(CudaLibrary.CUBLAS_LT), CudaLibrary.CUBLAS.loadFirst());
        assertTrue(CudaLibrary.CUBLAS_LT.ordinal() < CudaLibrary.CUBLAS.ordinal());
    }
}
