package dev.tessera.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.numpy.NDArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who unmaps what (issue 12, defects 3 and 4), counted in the kernel's own list of this process's
 * mappings, /proc/self/maps: refused files release their mapping at once, arrays and tensors
 * dropped without close() are unmapped once collected, and StateDicts.load copies unless asked
 * to map, so a file truncated afterwards cannot touch the loaded tensors.
 */
class MappingLifetimeTest {
    @TempDir Path dir;

    @Test
    void refusedBigEndianNpyReleasesItsMappingAndNamesTheFile() throws IOException {
        Path f = bigEndianNpy(dir.resolve("big-endian.npy"));
        for (int i = 0; i < 1000; i++) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Torch.fromNumpy(f));
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("byte order"), e.getMessage());
        }
        assertEquals(0, mappingsOf(f), "mappings left by 1,000 refusals of Torch.fromNumpy(Path)");
        for (int i = 0; i < 1000; i++) {
            boolean mmap = i % 2 == 0;
            StateDictFormatException e = assertThrows(StateDictFormatException.class, () -> StateDicts.load(f, mmap));
            assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains("byte order"), e.getMessage());
        }
        assertEquals(0, mappingsOf(f), "mappings left by 1,000 refusals of StateDicts.load");
    }

    @Test
    void arraysAndTensorsDroppedWithoutCloseAreUnmappedOnceCollected() throws Exception {
        Path f = dir.resolve("shared.npy");
        NDArray.create(f, DType.FLOAT32, 16).close();
        NDArray held = NDArray.open(f, NDArray.Mode.READ_ONLY);
        double sum = 0;
        for (int i = 0; i < 1000; i++) {
            sum += NDArray.open(f, NDArray.Mode.READ_ONLY).getDouble(i % 16);
            sum += Torch.fromNumpy(f).sum().item().doubleValue();
        }
        assertEquals(0.0, sum);
        assertEquals(1, awaitMappings(f, 1), "1,000 dropped arrays and 1,000 dropped tensors, one array held");
        assertEquals(0.0, held.getDouble(15), "the held array is still mapped and readable");
        Reference.reachabilityFence(held);
        held.close();
        assertEquals(0, mappingsOf(f));
    }

    @Test
    void stateDictsLoadCopiesByDefaultSoTruncatingTheFileCannotReachTheTensors() throws IOException {
        for (String name : List.of("mixed.safetensors", "mixed.pth")) {
            Path f = Files.copy(Fixtures.path(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            Map<String, Tensor> copied = StateDicts.load(f);
            List<double[]> before = values(copied);
            assertEquals(0, mappingsOf(f), name + " is read, not mapped");
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(0); // what another process might do; reading a mapping of it would SIGBUS
            }
            List<double[]> after = values(copied);
            for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), after.get(i), name);
        }
    }

    @Test
    void mappingIsAnExplicitOptIn() throws IOException {
        for (String name : List.of("mixed.safetensors", "mixed.pth")) {
            Path f = Files.copy(Fixtures.path(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            Map<String, Tensor> mapped = StateDicts.load(f, true);
            assertTrue(mappingsOf(f) >= 1, name + " is mapped with mmap = true");
            Map<String, Tensor> copied = StateDicts.load(f);
            List<double[]> a = values(mapped), b = values(copied);
            for (int i = 0; i < a.size(); i++) assertArrayEquals(b.get(i), a.get(i), name);
            Reference.reachabilityFence(mapped);
        }
    }

    private static List<double[]> values(Map<String, Tensor> sd) {
        List<double[]> out = new ArrayList<>();
        for (Tensor t : sd.values()) out.add(t.detach().toDoubleArray());
        return out;
    }

    /** A valid version 1.0 .npy of four big-endian float32 values, which tensors cannot hold. */
    private static Path bigEndianNpy(Path f) throws IOException {
        String dict = "{'descr': '>f4', 'fortran_order': False, 'shape': (4,), }";
        int headerLen = 128 - 10; // data 64-byte aligned, as NumPy writes it
        String header = dict + " ".repeat(headerLen - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(128 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0)
                .putShort((short) headerLen).put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.order(ByteOrder.BIG_ENDIAN).putFloat(1).putFloat(2).putFloat(3).putFloat(4);
        return Files.write(f, b.array());
    }

    /** Lines of /proc/self/maps naming {@code f}: one per live mapping (or part of one). */
    static int mappingsOf(Path f) {
        String path = f.toAbsolutePath().toString();
        try {
            return (int) Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(" " + path)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the collector until at most {@code target} mappings of {@code f} remain, for up to 20 s. */
    private static int awaitMappings(Path f, int target) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        int n;
        while ((n = mappingsOf(f)) > target && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        return n;
    }
}
