package dev.tessera.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips through Tessera's writer, and the reader's validation of hand-made bad files. */
class SafetensorsTest {
    @TempDir Path dir;

    private static Map<String, Tensor> sample() {
        Torch.manualSeed(3);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("flag", Torch.tensor(new boolean[]{true, false, true}));        // 1-byte first: the writer must still align the rest
        m.put("weight", Torch.randn(3, 4));
        m.put("weight.T", Torch.randn(4, 3).t());                              // non-contiguous
        m.put("wide", Torch.randn(2, 2).to(DType.FLOAT64));
        m.put("half", Torch.randn(5).to(DType.FLOAT16));
        m.put("brain", Torch.randn(5).to(DType.BFLOAT16));
        m.put("steps", Torch.tensor(new long[]{Long.MIN_VALUE, 7, Long.MAX_VALUE}));
        m.put("i32", Torch.tensor(new long[]{-5, 6}).to(DType.INT32));
        m.put("i16", Torch.tensor(new long[]{-5, 6}).to(DType.INT16));
        m.put("i8", Torch.tensor(new long[]{-5, 6}).to(DType.INT8));
        m.put("u8", Torch.tensor(new long[]{250, 6}).to(DType.UINT8));
        m.put("scalar", Torch.full(new long[0], 2.5));
        m.put("empty", Torch.zeros(0, 3));
        m.put("slice", Torch.arange(10).narrow(0, 3, 4));                      // storage offset 3
        m.put("grad", Torch.ones(2).requiresGrad_());
        m.put("ünïcode \"quoted\"\n", Torch.ones(1));
        return m;
    }

    @Test
    void javaRoundTripKeepsOrderDtypesShapesAndValues() {
        Map<String, Tensor> in = sample();
        Path f = dir.resolve("sample.safetensors");
        StateDicts.save(in, f);
        Map<String, Tensor> out = StateDicts.load(f);
        assertEquals(List.copyOf(in.keySet()), List.copyOf(out.keySet()));
        for (String k : in.keySet()) {
            Tensor a = in.get(k), b = out.get(k);
            assertEquals(a.dtype(), b.dtype(), k);
            assertArrayEquals(a.shapeArray(), b.shapeArray(), k);
            assertTrue(b.isContiguous(), k);
            assertFalse(b.requiresGrad(), k);
            if (a.dtype().isFloatingPoint()) assertArrayEquals(a.detach().toDoubleArray(), b.toDoubleArray(), 0.0, k);
            else assertArrayEquals(a.toLongArray(), b.toLongArray(), k);
        }
    }

    @Test
    void writtenLayoutFollowsTheSpec() throws IOException {
        Path f = dir.resolve("sample.safetensors");
        StateDicts.saveSafetensors(sample(), f);
        byte[] raw = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "header padded to 8 bytes");
        String header = new String(raw, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"}"), header);
        String json = header.stripTrailing();
        assertTrue(json.endsWith("}"), header);
        assertTrue(header.substring(json.length()).chars().allMatch(c -> c == ' '), "padding is spaces");
        assertTrue(header.length() - json.length() < 8, "at most 7 bytes of padding");
        Map<?, ?> parsed = (Map<?, ?>) Json.parse(header, "test", 8);
        for (Map.Entry<?, ?> e : parsed.entrySet()) {
            if (e.getKey().equals("__metadata__")) continue;
            Map<?, ?> info = (Map<?, ?>) e.getValue();
            long begin = (Long) ((List<?>) info.get("data_offsets")).get(0);
            int size = switch ((String) info.get("dtype")) {
                case "F64", "I64" -> 8;
                case "F32", "I32" -> 4;
                case "F16", "BF16", "I16" -> 2;
                default -> 1;
            };
            assertEquals(0, (8 + n + begin) % size, e.getKey() + " aligned to its element size");
        }
    }

    @Test
    void npzRoundTripAndNpyLoad() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>(sample());
        in.remove("brain"); // .npz has no bfloat16
        Path f = dir.resolve("sample.npz");
        StateDicts.save(in, f);
        Map<String, Tensor> out = StateDicts.load(f);
        assertEquals(List.copyOf(in.keySet()), List.copyOf(out.keySet()));
        for (String k : in.keySet()) {
            assertEquals(in.get(k).dtype(), out.get(k).dtype(), k);
            assertArrayEquals(in.get(k).detach().toDoubleArray(), out.get(k).toDoubleArray(), 0.0, k);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> StateDicts.save(sample(), dir.resolve("x.npz")));
        assertTrue(e.getMessage().contains("'brain' is bfloat16"), e.getMessage());

        Path npy = dir.resolve("one.npy");
        Torch.arange(6).reshape(2, 3).numpy().save(npy);
        Map<String, Tensor> single = StateDicts.load(npy);
        assertEquals(List.of(""), List.copyOf(single.keySet()));
        assertArrayEquals(new long[]{0, 1, 2, 3, 4, 5}, single.get("").toLongArray());
    }

    @Test
    void saveRefusesFormatsItCannotWrite() {
        var e = assertThrows(UnsupportedOperationException.class, () -> StateDicts.save(sample(), dir.resolve("m.pth")));
        assertTrue(e.getMessage().contains(".pth is not supported"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StateDicts.save(Map.of("__metadata__", Torch.ones(1)), dir.resolve("m.safetensors")));
    }

    // ---- hostile headers --------------------------------------------------------------------

    private Path file(String header, int dataBytes) throws IOException {
        return file(header.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8).length, dataBytes);
    }

    private Path file(byte[] header, long declaredLength, int dataBytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declaredLength).array());
        b.write(header);
        b.write(new byte[dataBytes]);
        Path f = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(f, b.toByteArray());
        return f;
    }

    private void refused(Path f, String expected) {
        var e = assertThrows(StateDictFormatException.class, () -> StateDicts.loadSafetensors(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void badHeadersAreRefusedWithTheProblemNamed() throws IOException {
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertEquals(1, StateDicts.loadSafetensors(file(ok, 8)).size());
        refused(file(ok, 12), "the tensors cover 8");
        refused(file(ok, 4), "not a range within the 4-byte data buffer");
        refused(file(ok.getBytes(StandardCharsets.UTF_8), 1L << 40, 8), "exceeds the limit");
        refused(file(ok.getBytes(StandardCharsets.UTF_8), 500, 8), "runs past the end of the file");
        refused(file(ok.getBytes(StandardCharsets.UTF_8), -1, 8), "exceeds the limit");
        refused(file("[1]", 0), "does not start with '{'");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},}", 8), "malformed JSON header");
        refused(file("{\"a\":1,\"a\":2}", 0), "duplicate key \"a\"");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} x", 8), "unexpected trailing characters");
        refused(file("{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "unknown dtype 'Q7'");
        refused(file("{\"a\":{\"dtype\":\"U32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "dtype U32, which Tessera does not support");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12 bytes but data_offsets span 8");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), "shape[0] is not a non-negative integer");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8), "more than 2^63");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlap");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "leave a gap");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8), "not a range");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8), "data_offsets is not an array of 2 integers");
        refused(file("{\"__metadata__\":{\"k\":1}}", 0), "__metadata__ value for 'k' is not a string");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,8]}}", 8), "out of range");
        refused(file("[".repeat(10) + "]".repeat(10), 0), "does not start with '{'");
        refused(file("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}", 0), "nesting deeper than 64");
        refused(file(new byte[]{'{', '"', (byte) 0xC3, '"', '}'}, 5, 0), "not valid UTF-8");
        var tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[5]);
        refused(tiny, "too small");
    }

    @Test
    void emptyStateDictRoundTrips() {
        Path f = dir.resolve("empty.safetensors");
        StateDicts.save(Map.of(), f);
        assertTrue(StateDicts.load(f).isEmpty());
    }
}
