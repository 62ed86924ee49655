package dev.tessera.numpy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tessera.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutates valid .npy and .npz files (fixed seed: byte flips, truncations, header edits) and checks
 * that every outcome is either a usable array or a clean {@link NpyFormatException} /
 * {@link UncheckedIOException}, never another exception, a crash or a huge allocation.
 */
class NpyFuzzTest {
    @TempDir Path dir;

    private static final String HEADER_CHARS = "(),-0123456789'\"{}: LO<>|fuTrueFalse\n\\";

    @Test
    void mutatedFilesFailCleanly() throws IOException {
        List<byte[]> npy = seeds();
        List<byte[]> npz = List.of(npzStored(), npzDeflated());
        Random rnd = new Random(20240611);
        Path p = dir.resolve("fuzz.npy");
        Path z = dir.resolve("fuzz.npz");
        Files.write(z, npz.get(1));
        assertTrue(java.util.Arrays.equals(new double[60], NDArray.zeros(20, 3).toDoubleArray()));
        NDArray w = Npz.load(z).get("w");
        assertTrue(w.size() == 60 && w.getDouble(19, 2) == 1.0 && !w.data().isMapped(), "deflated member inflated");
        int ok = 0, rejected = 0;
        for (int i = 0; i < 3600; i++) {
            boolean zip = i % 4 == 3;
            byte[] base = zip ? npz.get(rnd.nextInt(npz.size())) : npy.get(rnd.nextInt(npy.size()));
            byte[] m = mutate(base, rnd, zip);
            Files.write(zip ? z : p, m);
            try {
                if (zip) {
                    for (NDArray a : Npz.load(z, 1 << 20).values()) exercise(a);
                } else {
                    try (NDArray a = NDArray.open(p, NDArray.Mode.READ_ONLY)) {
                        exercise(a);
                    }
                    exercise(NDArray.load(p));
                }
                ok++;
            } catch (NpyFormatException | UncheckedIOException e) {
                assertTrue(e.getMessage().contains(zip ? z.toString() : p.toString()), e.getMessage());
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("case " + i + ": unexpected " + e, e);
            }
        }
        System.out.println("NpyFuzzTest: " + ok + " loaded, " + rejected + " rejected cleanly");
        assertTrue(ok > 100 && rejected > 1000, "ok " + ok + ", rejected " + rejected);
    }

    private static void exercise(NDArray a) {
        a.toDoubleArray();
        if (a.size() <= 5000) a.toString();
        a.strides();
    }

    private static byte[] mutate(byte[] base, Random rnd, boolean zip) {
        byte[] m = base.clone();
        int headerEnd = Math.min(m.length, zip ? m.length : 128);
        switch (rnd.nextInt(4)) {
            case 0 -> { // flip a few bytes anywhere (in a zip, mostly in the structures)
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) m[rnd.nextInt(m.length)] ^= (byte) (1 + rnd.nextInt(255));
            }
            case 1 -> m = java.util.Arrays.copyOf(m, rnd.nextInt(m.length));
            case 2 -> { // header edit: replace characters with ones that matter to the parser
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    m[rnd.nextInt(headerEnd)] = (byte) HEADER_CHARS.charAt(rnd.nextInt(HEADER_CHARS.length()));
                }
            }
            default -> { // overwrite a length-like field with an extreme value
                int at = zip ? rnd.nextInt(Math.max(1, m.length - 4)) : 8;
                int v = switch (rnd.nextInt(3)) { case 0 -> -1; case 1 -> 0; default -> rnd.nextInt(); };
                for (int b = 0; b < 4 && at + b < m.length; b++) m[at + b] = (byte) (v >>> (8 * b));
            }
        }
        return m;
    }

    private List<byte[]> seeds() throws IOException {
        List<byte[]> out = new ArrayList<>();
        DType[] types = DType.values();
        for (int i = 0; i < types.length; i++) {
            NDArray a = NDArray.empty(types[i], 3, 1 + i % 3);
            for (long k = 0; k < 3; k++) a.setDouble(k * 1.25, k, 0);
            out.add(bytes(a));
        }
        out.add(bytes(NDArray.of(1e-5, 3, 1e10)));
        out.add(bytes(NDArray.empty(DType.FLOAT32)));
        out.add(bytes(NDArray.empty(DType.INT16, 0, 4)));
        byte[] v2 = NpyFormatTest.image(2, "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 2), }", 32);
        out.add(v2);
        out.add(NpyFormatTest.image(3, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", 12));
        return out;
    }

    private byte[] bytes(NDArray a) throws IOException {
        Path p = Files.createTempFile(dir, "seed", ".npy");
        a.save(p);
        return Files.readAllBytes(p);
    }

    private byte[] npzStored() throws IOException {
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put("a", NDArray.of(1, 2, 3));
        m.put("b", NDArray.empty(DType.INT8, 2, 2));
        Path p = Files.createTempFile(dir, "seed", ".npz");
        Npz.save(p, m);
        return Files.readAllBytes(p);
    }

    private byte[] npzDeflated() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream zos = new ZipOutputStream(bos)) {
            zos.putNextEntry(new ZipEntry("w.npy"));
            zos.write(bytes(NDArray.ones(20, 3)));
            zos.closeEntry();
            zos.putNextEntry(new ZipEntry("k.npy"));
            zos.write(bytes(NDArray.empty(DType.INT64, 4)));
            zos.closeEntry();
        }
        return bos.toByteArray();
    }
}
