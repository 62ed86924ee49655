package dev.tessera.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.numpy.NpyFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated torch.save and safetensors files (fixed seed) must load cleanly or fail with a clean
 * exception: never an out-of-bounds access, an overflow, a huge allocation or a stack overflow.
 * Loaded tensors are read in full, so a view that escaped its storage would be caught too.
 */
class StateDictsFuzzTest {
    private static final int CASES = 2400;
    @TempDir Path dir;

    private record Base(String name, byte[] bytes, int hotEnd) {}

    @Test
    void mutatedFilesLoadOrFailCleanly() throws IOException {
        List<Base> bases = new ArrayList<>();
        for (String name : List.of("model.pth", "mixed.pth", "mixed.safetensors")) {
            byte[] b = Fixtures.bytes(name);
            // The bytes that steer parsing: the pickle (first zip member) or the JSON header.
            int hot = name.endsWith(".safetensors") ? 8 + (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong() : pickleEnd(b);
            bases.add(new Base(name, b, hot));
        }
        SplittableRandom rnd = new SplittableRandom(20240611L);
        int loaded = 0, refused = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            Base base = bases.get(i % bases.size());
            int kind = rnd.nextInt(7);
            byte[] m = mutate(base, kind, rnd);
            Path f = dir.resolve("case" + i + (base.name.endsWith(".pth") ? ".pth" : ".safetensors"));
            Files.write(f, m);
            try {
                Map<String, Tensor> sd = StateDicts.load(f);
                for (Tensor t : sd.values()) t.detach().toDoubleArray();
                loaded++;
            } catch (StateDictFormatException | NpyFormatException | UncheckedIOException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                refused++;
            } catch (Throwable t) {
                if (failures.size() < 5) failures.add("case " + i + " (" + base.name + ", mutation " + kind + "): " + stackTrace(t));
                else failures.add("case " + i);
            }
            Files.delete(f);
        }
        assertEquals(List.of(), failures, failures.size() + " unclean results");
        assertTrue(loaded > 100 && refused > 500, "loaded " + loaded + ", refused " + refused);
    }

    private static byte[] mutate(Base base, int kind, SplittableRandom rnd) {
        byte[] b = base.bytes.clone();
        int hot = base.hotEnd;
        switch (kind) {
            case 0 -> { for (int k = 1 + rnd.nextInt(4); k > 0; k--) b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255)); }
            case 1 -> { for (int k = 1 + rnd.nextInt(3); k > 0; k--) b[rnd.nextInt(hot)] ^= (byte) (1 << rnd.nextInt(8)); }
            case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length));
            case 3 -> {
                byte[] special = {0, -1, 0x7f, (byte) 0x80, '9', '-', '"', '{', '}', '[', ',', ':', 'q', 'h', '(', 't', 'R', 'b', '.', 0x10};
                b[rnd.nextInt(hot)] = special[rnd.nextInt(special.length)];
            }
            case 4 -> { // a digit of the header or pickle changed: sizes, offsets, memo keys, lengths
                int at = rnd.nextInt(hot);
                for (int k = 0; k < hot && !(b[at] >= '0' && b[at] <= '9'); k++) at = (at + 1) % hot;
                b[at] = (byte) ('0' + rnd.nextInt(10));
                if (rnd.nextBoolean()) b[rnd.nextInt(hot)] = (byte) rnd.nextInt(256);
            }
            case 5 -> { // insert or delete a byte in the steering region
                int at = rnd.nextInt(hot);
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                o.write(b, 0, at);
                if (rnd.nextBoolean()) o.write(rnd.nextInt(256));
                else at++;
                o.write(b, at, b.length - at);
                b = o.toByteArray();
            }
            default -> { // a field of the zip directory or the header length, set to an extreme
                int at = base.name.endsWith(".safetensors") ? rnd.nextInt(8) : b.length - 1 - rnd.nextInt(Math.min(b.length, 600));
                b[at] = rnd.nextBoolean() ? (byte) 0xFF : (byte) rnd.nextInt(256);
            }
        }
        return b;
    }

    /** End of the first member's data (torch writes data.pkl first) from its local header. */
    private static int pickleEnd(byte[] zip) {
        ByteBuffer bb = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        return 30 + (bb.getShort(26) & 0xFFFF) + (bb.getShort(28) & 0xFFFF) + bb.getInt(18);
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString().lines().limit(12).reduce("", (a, x) -> a + x + "\n");
    }
}
