package dev.tessera.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-assembled pickles: the opcodes of newer protocols, deflated archives, and what must be refused. */
class PthReaderTest {
    @TempDir Path dir;

    /** Writes pickle opcodes; just enough to spell the cases below. */
    private static final class P {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        P op(int... bytes) { for (int x : bytes) b.write(x); return this; }
        P raw(byte[] bytes) { b.writeBytes(bytes); return this; }
        P str(String s) { // SHORT_BINUNICODE
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            op(0x8c, u.length);
            b.writeBytes(u);
            return this;
        }
        P global(String module, String name) { op('c'); b.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII)); return this; }
        P int1(int v) { return op('K', v); }
        P long1(long v, int n) { op(0x8a, n); for (int i = 0; i < n; i++) op((int) (v >>> (8 * i)) & 0xFF); return this; }
        /** ('storage', torch.<type>, key, 'cpu', numel) BINPERSID */
        P storage(String type, String key, int numel) { return op('(').str("storage").global("torch", type).str(key).str("cpu").int1(numel).op('t', 'Q'); }
        /** _rebuild_tensor_v2(storage..., offset, (size,), (stride,), requires_grad, {}) */
        P tensor(String type, String key, int numel, int offset, int size, int stride, boolean grad) {
            global("torch._utils", "_rebuild_tensor_v2").op('(');
            storage(type, key, numel).int1(offset).int1(size).op(0x85).int1(stride).op(0x85).op(grad ? 0x88 : 0x89).op('}', 't', 'R');
            return this;
        }
        byte[] bytes() { return b.toByteArray(); }
    }

    private Path zip(String name, Map<String, byte[]> members, boolean deflate) throws IOException {
        Path f = dir.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                ZipEntry e = new ZipEntry(m.getKey());
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(m.getValue());
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(m.getValue().length);
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(m.getValue());
                z.closeEntry();
            }
        }
        return f;
    }

    private Path pth(byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("w/data.pkl", pickle);
        storages.forEach((k, v) -> m.put("w/data/" + k, v));
        return zip("case" + System.nanoTime() + ".pth", m, false);
    }

    private static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    private static byte[] dictOf(P value) {
        return new P().op(0x80, 2, '}').str("t").raw(value.bytes()).op('s', '.').bytes();
    }

    private void refused(Path f, String expected) {
        var e = assertThrows(StateDictFormatException.class, () -> StateDicts.loadPth(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void protocolFourOpcodesAndADeflatedArchive() throws IOException {
        // PROTO 4, FRAME, MEMOIZE, STACK_GLOBAL, BINGET of a memoized storage, LONG1, BINFLOAT-free dict.
        P p = new P().op(0x80, 4, 0x95, 0, 0, 0, 0, 0, 0, 0, 0).op('}', 0x94).op('(');
        p.str("a").str("torch._utils").str("_rebuild_tensor_v2").op(0x93, 0x94).op('(');
        p.op('(').str("storage").str("torch").str("DoubleStorage").op(0x93).str("0").str("cpu").long1(3, 1).op('t', 'Q', 0x94);
        p.int1(1).int1(2).op(0x85).int1(1).op(0x85).op(0x89).op('}').op('t', 'R');
        p.str("b").op('h', 1).op('(').op('h', 2).long1(0, 0).int1(3).op(0x85).int1(1).op(0x85).op(0x89).op('}', 't', 'R');
        p.op('u', '.');
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("weights/data.pkl", p.bytes());
        m.put("weights/data/0", doubles(1, 2, 3));
        m.put("weights/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        Path f = zip("p4.pth", m, true);
        Map<String, Tensor> sd = StateDicts.load(f);
        assertEquals(DType.FLOAT64, sd.get("a").dtype());
        assertArrayEquals(new double[]{2, 3}, sd.get("a").toDoubleArray());
        assertArrayEquals(new double[]{1, 2, 3}, sd.get("b").toDoubleArray());
        assertTrue(sd.get("a").storage() == sd.get("b").storage(), "one storage per key");
    }

    @Test
    void viewsOutsideTheirStorageAreRefused() throws IOException {
        refused(pth(dictOf(new P().tensor("DoubleStorage", "0", 3, 0, 4, 1, false)), Map.of("0", doubles(1, 2, 3))), "reaches outside its storage of 3 elements");
        refused(pth(dictOf(new P().tensor("DoubleStorage", "0", 3, 1, 2, 2, false)), Map.of("0", doubles(1, 2, 3))), "reaches outside");
        refused(pth(dictOf(new P().tensor("DoubleStorage", "0", 4, 0, 1, 1, false)), Map.of("0", doubles(1, 2, 3))), "needs 32 bytes but its zip member holds 24");
        refused(pth(dictOf(new P().tensor("DoubleStorage", "9", 3, 0, 1, 1, false)), Map.of("0", doubles(1, 2, 3))), "storage '9' has no zip member w/data/9");
        refused(pth(dictOf(new P().tensor("LongStorage", "0", 3, 0, 1, 1, true)), Map.of("0", doubles(1, 2, 3))), "torch.int64 tensor cannot require grad");
        // The same key once as doubles, once as longs.
        P twice = new P().op(0x80, 2, '}').str("x").tensor("DoubleStorage", "0", 3, 0, 1, 1, false).str("y").tensor("LongStorage", "0", 3, 0, 1, 1, false).op('s', 's', '.');
        refused(pth(twice.bytes(), Map.of("0", doubles(1, 2, 3))), "two different types or sizes");
    }

    @Test
    void onlyTheAllowedGlobalsAndCallsPass() throws IOException {
        refused(pth(dictOf(new P().global("torch", "FloatStorage").op(')', 'R')), Map.of()), "'torch.FloatStorage' may not be called");
        refused(pth(dictOf(new P().global("torch", "load").op(')', 'R')), Map.of()), "forbidden pickle global 'torch.load'");
        refused(pth(dictOf(new P().global("posix", "system").str("id").op(0x85, 'R')), Map.of()), "forbidden pickle global 'posix.system'");
        refused(pth(dictOf(new P().global("torch._utils", "_rebuild_tensor_v2").op('(', 't', 'R')), Map.of()), "_rebuild_tensor_v2 expects");
        refused(pth(dictOf(new P().tensor("DoubleStorage", "0", 3, 0, 1, 1, false).op('}', 'b')), Map.of("0", doubles(1, 2, 3))), "BUILD on a Tensor is not supported");
        refused(pth(dictOf(new P().op('(').str("storage").global("collections", "OrderedDict").str("0").str("cpu").int1(1).op('t', 'Q')), Map.of()), "is not a storage type");
        refused(pth(new P().op(0x80, 2, 'K', 1, '.').bytes(), Map.of()), "the pickled object is a int, not a state dict");
        refused(pth(new P().op(0x80, 2, ')', '}').op(')').op('K', 1, 's', '.').bytes(), Map.of()), "dict key of type tuple is not supported");
        refused(pth(new P().op(0x80, 2, 'I').bytes(), Map.of()), "unsupported or forbidden pickle opcode 0x49");
        refused(pth(new P().op(0x80, 2, '}').long1(0, 9).bytes(), Map.of()), "does not fit in 64 bits");
        refused(pth(new P().op(0x80, 2, 'h', 7).bytes(), Map.of()), "memo key 7 was never stored");
        refused(pth(new P().op(0x80, 2, 'X', 0xff, 0xff, 0xff, 0x7f).bytes(), Map.of()), "truncated pickle");
    }

    @Test
    void deepNestingAndHugeCountsStayCheap() throws IOException {
        // 200k nested lists: no recursion anywhere, so no StackOverflowError, just "not a state dict".
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{(byte) 0x80, 2});
        for (int i = 0; i < 200_000; i++) b.write(']');
        for (int i = 1; i < 200_000; i++) b.write('a');
        b.write('.');
        refused(pth(b.toByteArray(), Map.of()), "is a list, not a state dict");
        // A list appended to itself (a cycle) is harmless too.
        refused(pth(new P().op(0x80, 2, ']', 'q', 0, 'h', 0, 'a', '.').bytes(), Map.of()), "is a list, not a state dict");
    }

    @Test
    void archivesWithoutAPickleAreRefused() throws IOException {
        Path f = zip("nopkl.pth", Map.of("w/data/0", doubles(1)), false);
        refused(f, "no <folder>/data.pkl record");
        Path empty = Files.write(dir.resolve("empty.pth"), new byte[0]);
        refused(empty, "not a torch.save zip archive");
    }

    @Test
    void nestedCheckpointsReturnOnlyTopLevelTensors() throws IOException {
        P p = new P().op(0x80, 2, '}', '(').str("epoch").int1(3).str("model").op('}').str("w").tensor("DoubleStorage", "0", 3, 0, 1, 1, false).op('s');
        p.str("top").tensor("DoubleStorage", "0", 3, 2, 1, 1, false).op('u', '.');
        Map<String, Tensor> sd = StateDicts.loadPth(pth(p.bytes(), Map.of("0", doubles(1, 2, 3))));
        assertEquals(java.util.List.of("top"), java.util.List.copyOf(sd.keySet()));
        assertArrayEquals(new double[]{3}, sd.get("top").toDoubleArray());
    }
}
