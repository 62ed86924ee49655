package dev.tessera.numpy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Header writing and strict parsing, bad input, modes and lifetime; no Python needed. */
class NpyFormatTest {
    @TempDir Path dir;

    /** A .npy image with the given header dict text (padded as NumPy pads) and data length. */
    static byte[] image(String dict, int dataBytes) {
        return image(1, dict, dataBytes);
    }

    static byte[] image(int major, String dict, int dataBytes) {
        byte[] d = dict.getBytes(StandardCharsets.UTF_8);
        int prefix = major == 1 ? 10 : 12;
        int hlen = d.length + 1;
        hlen += 64 - (prefix + hlen) % 64;
        byte[] out = new byte[prefix + hlen + dataBytes];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0};
        System.arraycopy(magic, 0, out, 0, 8);
        for (int i = 0; i < prefix - 8; i++) out[8 + i] = (byte) (hlen >>> (8 * i));
        System.arraycopy(d, 0, out, prefix, d.length);
        for (int i = prefix + d.length; i < prefix + hlen - 1; i++) out[i] = ' ';
        out[prefix + hlen - 1] = '\n';
        return out;
    }

    Path write(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(dir, "t", ".npy");
        Files.write(p, bytes);
        return p;
    }

    @Test
    void headerIsNumpysBytes() {
        byte[] h = Npy.header("<f4", false, new long[] {2, 3});
        String expected = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + " ".repeat(58) + "\n";
        assertEquals(128, h.length);
        assertEquals(expected, new String(h, 10, h.length - 10, StandardCharsets.ISO_8859_1));
        assertEquals(0, Npy.header("<f8", true, new long[0]).length % 64);
        assertEquals("(5,)", Npy.shapeRepr(new long[] {5}));
        assertEquals("()", Npy.shapeRepr(new long[0]));
        // Beyond 65535 header bytes NumPy switches to format 2.0 with a 4-byte length.
        byte[] big = Npy.header("<" + "x".repeat(70000), false, new long[] {1});
        assertEquals(2, big[6]);
        assertEquals(0, big.length % 64);
    }

    @Test
    void parserAcceptsPythonVariants() throws IOException {
        String[] ok = {
            "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f8'}",
            "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2,3,),}",
            "{'descr':'<f8','fortran_order':False,'shape':(2L, 3L)}",
        };
        for (String dict : ok) {
            try (NDArray a = NDArray.open(write(image(dict, 48)), NDArray.Mode.READ_ONLY)) {
                assertArrayEquals(new long[] {2, 3}, a.shape(), dict);
                assertEquals(DType.FLOAT64, a.dtype());
            }
        }
        try (NDArray a = NDArray.open(write(image(3, "{'descr': '>i2', 'fortran_order': True, 'shape': (), }", 2)), NDArray.Mode.READ_ONLY)) {
            assertEquals(0, a.ndim());
            assertFalse(a.isLittleEndian());
        }
    }

    @Test
    void badInputNamesTheProblem() throws IOException {
        String good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        assertBad(image(good, 4), "needs 8 data bytes from offset 128");
        assertBad(image("{'descr': '<f4', 'fortran_order': False, 'shape': (5), }", 20), "is not a tuple");
        assertBad(image("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", 0), "negative dimension");
        assertBad(image("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", 0), "does not fit in 64 bits");
        assertBad(image("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", 0), "overflows");
        assertBad(image("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", 8), "object arrays");
        assertBad(image("{'descr': '<u4', 'fortran_order': False, 'shape': (1,), }", 4), "unsupported dtype");
        assertBad(image("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", 4), "expected a string");
        assertBad(image("['descr', '<f4']", 4), "expected '{'");
        assertBad(image("{'descr': '<f4', 'shape': (1,), }", 4), "lacks the key 'fortran_order'");
        assertBad(image("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': True}", 4), "keys other than");
        assertBad(image("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", 4), "expected a string, True");
        assertBad(image("{'descr': '<f4', 'fortran_order': False, 'shape': (01,), }", 4), "leading zeros");
        assertBad(image("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x", 4), "unexpected text");
        byte[] version = image(good, 8);
        version[6] = 4;
        assertBad(version, "unsupported .npy format version 4.0");
        byte[] magic = image(good, 8);
        magic[1] = 'X';
        assertBad(magic, "bad magic at offset 1");
        assertBad(new byte[] {(byte) 0x93, 'N', 'U'}, "shorter than the 10-byte preamble");
        byte[] hlen = image(good, 8);
        hlen[9] = 0x7F;
        assertBad(hlen, "extends beyond the end of the file");
        // Like NumPy, trailing bytes after the data are ignored.
        try (NDArray a = NDArray.open(write(image(good, 100)), NDArray.Mode.READ_ONLY)) {
            assertEquals(8, a.data().byteSize());
        }
    }

    void assertBad(byte[] bytes, String fragment) throws IOException {
        Path p = write(bytes);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NDArray.open(p, NDArray.Mode.READ_ONLY));
        assertTrue(e.getMessage().contains(fragment) && e.getMessage().contains(p.toString()), e.getMessage());
        assertThrows(NpyFormatException.class, () -> NDArray.load(p));
    }

    @Test
    void modesAndLifetime() throws IOException {
        Path p = dir.resolve("m.npy");
        NDArray.of(1, 2, 3).save(p);
        try (NDArray r = NDArray.open(p, NDArray.Mode.READ_ONLY)) {
            assertTrue(r.isReadOnly());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> r.setDouble(5, 0));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("read-only"), e.getMessage());
        }
        try (NDArray c = NDArray.open(p, NDArray.Mode.COPY_ON_WRITE)) {
            c.setDouble(9, 0);
            assertEquals(9, c.getDouble(0));
        }
        assertEquals(1, NDArray.load(p).getDouble(0), "COPY_ON_WRITE never reaches the file");
        NDArray w = NDArray.open(p, NDArray.Mode.READ_WRITE);
        MemorySegment data = w.data();
        w.setDouble(7, -1);
        w.force();
        w.close();
        assertEquals(7, NDArray.load(p).getDouble(2));
        assertThrows(IllegalStateException.class, () -> w.getDouble(0));
        assertThrows(IllegalStateException.class, () -> data.get(ValueLayout.JAVA_DOUBLE, 0), "unmapped");
        w.close();
        NDArray z = NDArray.zeros(2);
        z.close();
        assertThrows(IllegalStateException.class, z::toDoubleArray);
    }

    @Test
    void indexingAndViews() {
        NDArray a = NDArray.empty(DType.INT32, 2, 3);
        assertArrayEquals(new long[] {12, 4}, a.strides());
        a.setLong(5, 1, -1);
        assertEquals(5, a.getLong(1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> a.getLong(2, 0));
        assertThrows(IllegalArgumentException.class, () -> a.getLong(0));
        assertThrows(IllegalArgumentException.class, () -> NDArray.empty(DType.FLOAT32, -1));
        assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(1L << 40, 1L << 40));
        MemorySegment seg = Arena.ofAuto().allocate(16);
        assertThrows(IllegalArgumentException.class, () -> NDArray.wrap(seg, DType.FLOAT32, new long[] {5}, new long[] {4}, null));
        NDArray t = NDArray.wrap(seg, DType.FLOAT32, new long[] {2, 2}, new long[] {4, 8}, seg);
        assertTrue(t.fortranOrder());
        t.setDouble(3, 0, 1);
        assertEquals(3f, seg.get(ValueLayout.JAVA_FLOAT, 8));
        assertEquals("[[0. 3.]\n [0. 0.]]", t.toString());
        assertEquals("0.0", NDArray.empty(DType.FLOAT64).toString());
        assertEquals("<f8", NDArray.ones(1).descr());
        assertEquals("|b1", NDArray.empty(DType.BOOL, 1).descr());
        assertEquals("<V2", NDArray.empty(DType.BFLOAT16, 1).descr());
    }
}
