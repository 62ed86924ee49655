package dev.tessera.ops.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The committed fatbin is current and matches the Java ABI: its sources hash is that of
 * runtime/src/main/cuda (so a kernel edit without a rebuild fails here, on any machine), its bytes
 * are the ones recorded, and every architecture's cubin holds exactly KernelAbi's kernels with the
 * parameter offsets and sizes KernelAbi computes. With nvcc present and
 * -Dtessera.cuda.rebuild=true (or TESSERA_CUDA_REBUILD=1), it also rebuilds and compares.
 */
class CudaKernelsFatbinTest {
    static final Path SOURCES = Path.of("src", "main", "cuda");
    static final Path SCRIPT = Path.of("..", "scripts", "build-cuda-kernels");

    static byte[] committedFatbin() throws IOException {
        try (InputStream in = KernelAbi.class.getResourceAsStream(KernelAbi.FATBIN_RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + KernelAbi.FATBIN_RESOURCE + " missing");
            return in.readAllBytes();
        }
    }

    static Map<String, String> record() throws IOException {
        Map<String, String> m = new HashMap<>();
        try (InputStream in = KernelAbi.class.getResourceAsStream(KernelAbi.FATBIN_RESOURCE + ".sha256")) {
            if (in == null) throw new IllegalStateException("resource " + KernelAbi.FATBIN_RESOURCE + ".sha256 missing");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                int sp = line.indexOf(' ');
                m.put(line.substring(0, sp), line.substring(sp + 1).trim());
            }
        }
        return m;
    }

    /** The build script's hash: .cu/.cuh/build.conf in byte order of name, each name NUL bytes NUL. */
    static String sourcesHash(Path dir) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".cu") || n.endsWith(".cuh") || n.equals("build.conf");
            }).forEach(files::add);
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path f : files) {
            md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Files.readAllBytes(f));
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void committedFatbinIsBuiltFromTheCurrentSources() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(SOURCES), "not run from a source checkout (no " + SOURCES + ")");
        assertEquals(record().get("sources-sha256"), sourcesHash(SOURCES),
                "the committed fatbin is stale: runtime/src/main/cuda changed since it was built; run scripts/build-cuda-kernels and commit "
                        + KernelAbi.FATBIN_RESOURCE.substring(1));
        assertEquals(record().get("fatbin-sha256"), sha256(committedFatbin()),
                "the committed fatbin's bytes are not the ones scripts/build-cuda-kernels recorded");
    }

    @Test
    void theHashSeesEveryByteOfEverySource(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(SOURCES), "not run from a source checkout (no " + SOURCES + ")");
        try (var s = Files.list(SOURCES)) {
            for (Path p : s.toList()) Files.copy(p, tmp.resolve(p.getFileName()));
        }
        String clean = sourcesHash(tmp);
        assertEquals(sourcesHash(SOURCES), clean);
        Files.writeString(tmp.resolve("reduce.cu"), " ", java.nio.file.StandardOpenOption.APPEND);
        assertNotEquals(clean, sourcesHash(tmp), "an edit to a kernel must change the hash");
        Files.delete(tmp.resolve("reduce.cu"));
        Files.writeString(tmp.resolve("build.conf"), "\n", java.nio.file.StandardOpenOption.APPEND);
        assertNotEquals(clean, sourcesHash(tmp));
    }

    @Test
    void everyArchitectureHoldsExactlyTheKernelsOfKernelAbi() throws Exception {
        List<Fatbin.Image> images = Fatbin.images(committedFatbin());
        Set<Integer> sass = new TreeSet<>();
        for (Fatbin.Image im : images) {
            if (!im.kind().equals("elf")) continue;
            sass.add(im.sm());
            checkCubin("sm_" + im.sm(), CubinKernels.read(im.bytes()));
        }
        Set<Integer> expected = new TreeSet<>();
        for (String a : record().get("sass").split(" ")) expected.add(Integer.parseInt(a));
        assertEquals(expected, sass, "SASS architectures in the fatbin");
        assertTrue(expected.containsAll(Set.of(75, 80, 86, 89, 90, 100, 120)), "the common targets: " + expected);
        List<Fatbin.Image> ptx = images.stream().filter(i -> i.kind().equals("ptx")).toList();
        assertEquals(1, ptx.size(), "one PTX image for forward compatibility");
        assertEquals(Integer.parseInt(record().get("ptx")), ptx.getFirst().sm());
        String text = new String(ptx.getFirst().bytes(), StandardCharsets.US_ASCII);
        for (String name : KernelAbi.kernels().keySet()) {
            assertTrue(text.contains(".entry " + name + "("), "PTX lacks " + name);
        }
    }

    static void checkCubin(String arch, Map<String, List<CubinKernels.CompiledParam>> compiled) {
        Set<String> missing = new TreeSet<>(KernelAbi.kernels().keySet());
        missing.removeAll(compiled.keySet());
        Set<String> extra = new TreeSet<>(compiled.keySet());
        extra.removeAll(KernelAbi.kernels().keySet());
        assertTrue(missing.isEmpty() && extra.isEmpty(), arch + ": in KernelAbi but not compiled " + missing + "; compiled but not in KernelAbi " + extra);
        for (KernelAbi.Kernel k : KernelAbi.kernels().values()) {
            List<CubinKernels.CompiledParam> ps = compiled.get(k.name());
            assertEquals(k.params().size(), ps.size(), arch + " " + k.name() + ": parameter count");
            long[] offsets = k.offsets();
            for (int i = 0; i < ps.size(); i++) {
                assertEquals(i, ps.get(i).ordinal());
                assertEquals(offsets[i], ps.get(i).offset(), arch + " " + k.name() + " parameter " + i + " offset");
                assertEquals(k.params().get(i).layout().byteSize(), ps.get(i).size(), arch + " " + k.name() + " parameter " + i + " size");
            }
        }
    }

    @Test
    void theCheckNoticesAParameterMismatch() throws Exception {
        Fatbin.Image first = Fatbin.images(committedFatbin()).stream().filter(i -> i.kind().equals("elf")).findFirst().orElseThrow();
        Map<String, List<CubinKernels.CompiledParam>> compiled = new HashMap<>(CubinKernels.read(first.bytes()));
        List<CubinKernels.CompiledParam> add = new ArrayList<>(compiled.get("tessera_binary_add_f32"));
        add.removeLast(); // as if the kernel had lost its err parameter
        compiled.put("tessera_binary_add_f32", add);
        assertThrowsAssertion(() -> checkCubin("sm_test", compiled));
        compiled.remove("tessera_binary_add_f32");
        assertThrowsAssertion(() -> checkCubin("sm_test", compiled));
    }

    private static void assertThrowsAssertion(Runnable r) {
        org.junit.jupiter.api.Assertions.assertThrows(org.opentest4j.AssertionFailedError.class, r::run);
    }

    @Test
    void rebuildingWithNvccGivesTheCommittedKernels(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        boolean asked = Boolean.getBoolean("tessera.cuda.rebuild") || "1".equals(System.getenv("TESSERA_CUDA_REBUILD"));
        String reason = !asked ? "rebuild not requested (-Dtessera.cuda.rebuild=true or TESSERA_CUDA_REBUILD=1)"
                : !Files.isRegularFile(SCRIPT) ? "no " + SCRIPT + " (not a source checkout)"
                : nvcc() == null ? "nvcc not found (CUDA_HOME, /usr/local/cuda/bin, PATH)" : null;
        if (reason != null) System.out.println("CudaKernelsFatbinTest: skipping the rebuild: " + reason);
        Assumptions.assumeTrue(reason == null, reason);
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), "--out", tmp.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        byte[] rebuilt = Files.readAllBytes(tmp.resolve("tessera_kernels.fatbin"));
        for (Fatbin.Image im : Fatbin.images(rebuilt)) {
            if (im.kind().equals("elf")) checkCubin("rebuilt sm_" + im.sm(), CubinKernels.read(im.bytes()));
        }
        String line = Files.readAllLines(tmp.resolve("tessera_kernels.fatbin.sha256")).stream()
                .filter(l -> l.startsWith("sources-sha256 ")).findFirst().orElseThrow();
        assertEquals("sources-sha256 " + record().get("sources-sha256"), line, "the committed fatbin is stale");
        System.out.println("CudaKernelsFatbinTest: rebuilt fatbin " + (java.util.Arrays.equals(rebuilt, committedFatbin())
                ? "is byte-identical to the committed one" : "differs in bytes (nvcc version or host), same kernels and layouts"));
    }

    private static Path nvcc() {
        List<Path> c = new ArrayList<>();
        String home = System.getenv("CUDA_HOME");
        if (home != null) c.add(Path.of(home, "bin", "nvcc"));
        c.add(Path.of("/usr/local/cuda/bin/nvcc"));
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) if (!d.isEmpty()) c.add(Path.of(d, "nvcc"));
        return c.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    @Test
    void unknownKernelsAndDtypesAreClearErrors() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> KernelAbi.kernel("tessera_binary_div_i64"));
        assertTrue(e.getMessage().contains("tessera_binary_div_i64"), e.getMessage());
        var d = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> KernelAbi.of("fill", dev.tessera.DType.FLOAT16));
        assertTrue(d.getMessage().contains("float16"), d.getMessage());
        Set<String> names = new HashSet<>(KernelAbi.kernels().keySet());
        assertTrue(names.contains("tessera_binary_add_f32") && names.contains("tessera_unary_gelu_f64")
                && names.contains("tessera_binary_floor_divide_i64") && names.contains("tessera_cast_b8_f32"));
    }
}
