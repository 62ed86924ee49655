package dev.tessera.numpy;

import dev.tessera.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code .npy} format (numpy/lib/format.py): a 6-byte magic {@code \x93NUMPY}, a version, a
 * little-endian header length (2 bytes in 1.0, 4 bytes in 2.0/3.0), then a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and a
 * final newline so that the data starts at a multiple of 64 bytes.
 *
 * <p>Reading accepts versions 1.0, 2.0 and 3.0 (3.0 only differs by a UTF-8 header). The header
 * is parsed by a strict parser of that dict literal (keys in any order, trailing comma allowed);
 * nothing is evaluated. Writing produces 1.0, or 2.0 when the header exceeds 65535 bytes, byte for
 * byte as {@code np.save} does (including the spare spaces NumPy leaves for growing the shape).
 *
 * <p>Dtypes: {@code f2 f4 f8 i1 i2 i4 i8 u1 b1} in either byte order. <b>bfloat16</b> has no NumPy
 * type; it is written as {@code '<V2'}, which is what {@code np.save} writes for an
 * {@code ml_dtypes.bfloat16} array. Plain NumPy loads it as 2-byte void records (the raw bits:
 * {@code a.view('<u2')}, or {@code a.view(ml_dtypes.bfloat16)} with ml_dtypes); Tessera reads
 * {@code '<V2'} and {@code '|V2'} back as bfloat16. Unsigned types wider than a byte, complex,
 * structured and object ({@code '|O'}) arrays are rejected.
 */
public final class Npy {
    private Npy() {}

    /** NumPy aligns the data start to this many bytes (ARRAY_ALIGN). */
    public static final int ARRAY_ALIGN = 64;
    /** NumPy's {@code np.ndarray} limit on dimensions (NPY_MAXDIMS in NumPy 2). */
    public static final int MAX_DIMS = 64;
    /** Longest header accepted when reading; NumPy's own default limit is 10000. */
    public static final int MAX_HEADER_BYTES = 1 << 20;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy pads the header so the first/last dimension can grow in place to this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    /** A parsed header; {@code dataOffset} is where the data starts in the file image. */
    public record Header(DType dtype, boolean littleEndian, boolean fortranOrder, long[] shape,
                         int majorVersion, long dataOffset, long dataBytes) {
        public String descr() { return Npy.descr(dtype, littleEndian); }
    }

    /** The descr NumPy writes for a dtype in a byte order: {@code "<f4"}, {@code "|u1"}, bfloat16 {@code "<V2"}. */
    public static String descr(DType dtype, boolean littleEndian) {
        char order = dtype.byteSize() == 1 ? '|' : littleEndian ? '<' : '>';
        String code = switch (dtype) {
            case FLOAT16 -> "f2";
            case FLOAT32 -> "f4";
            case FLOAT64 -> "f8";
            case BFLOAT16 -> "V2";
            case INT8 -> "i1";
            case INT16 -> "i2";
            case INT32 -> "i4";
            case INT64 -> "i8";
            case UINT8 -> "u1";
            case BOOL -> "b1";
        };
        return order + code;
    }

    /** Parses a descr string such as {@code "<f4"}; returns the dtype and stores the byte order in {@code little[0]}. */
    static DType parseDescr(String descr, boolean[] little, String source) {
        String s = descr;
        boolean le = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        if (!s.isEmpty() && "<>|=".indexOf(s.charAt(0)) >= 0) {
            if (s.charAt(0) == '<') le = true;
            else if (s.charAt(0) == '>') le = false;
            s = s.substring(1);
        }
        DType t = switch (s) {
            case "f2" -> DType.FLOAT16;
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            case "V2" -> DType.BFLOAT16;
            case "i1" -> DType.INT8;
            case "i2" -> DType.INT16;
            case "i4" -> DType.INT32;
            case "i8" -> DType.INT64;
            case "u1" -> DType.UINT8;
            case "b1" -> DType.BOOL;
            default -> null;
        };
        if (t == null) {
            String why = s.startsWith("O") ? "object arrays hold pickled Python objects and are not supported"
                    : "unsupported dtype (supported: f2 f4 f8 i1 i2 i4 i8 u1 b1, V2 as bfloat16)";
            throw new NpyFormatException(source, "descr '" + descr + "': " + why);
        }
        little[0] = le;
        return t;
    }

    /** Parses and validates the header of a {@code .npy} image; the image must hold all the data it announces. */
    public static Header readHeader(MemorySegment image, String source) {
        long size = image.byteSize();
        if (size < 10) throw new NpyFormatException(source, "not a .npy file: " + size + " bytes, shorter than the 10-byte preamble");
        for (int i = 0; i < MAGIC.length; i++) {
            if (image.get(ValueLayout.JAVA_BYTE, i) != MAGIC[i]) throw new NpyFormatException(source, "not a .npy file: bad magic at offset " + i);
        }
        int major = image.get(ValueLayout.JAVA_BYTE, 6) & 0xFF;
        int minor = image.get(ValueLayout.JAVA_BYTE, 7) & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(source, "unsupported .npy format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
        }
        long prefix = major == 1 ? 10 : 12;
        if (size < prefix) throw new NpyFormatException(source, "truncated: " + size + " bytes, version " + major + ".0 preamble needs " + prefix);
        long hlen = major == 1
                ? image.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8) & 0xFFFFL
                : image.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8) & 0xFFFFFFFFL;
        if (hlen > MAX_HEADER_BYTES) throw new NpyFormatException(source, "header length " + hlen + " at offset 8 exceeds the limit of " + MAX_HEADER_BYTES);
        if (prefix + hlen > size) {
            throw new NpyFormatException(source, "header length " + hlen + " at offset 8 extends beyond the end of the file (" + size + " bytes)");
        }
        byte[] raw = image.asSlice(prefix, hlen).toArray(ValueLayout.JAVA_BYTE);
        String text = new String(raw, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new HeaderParser(text, source, prefix).parseDict();
        for (String key : new String[] {"descr", "fortran_order", "shape"}) {
            if (!dict.containsKey(key)) throw new NpyFormatException(source, "header lacks the key '" + key + "': " + text.strip());
        }
        if (dict.size() != 3) throw new NpyFormatException(source, "header has keys other than descr, fortran_order, shape: " + dict.keySet());
        if (!(dict.get("descr") instanceof String descr)) throw new NpyFormatException(source, "'descr' is not a string (structured dtypes are not supported)");
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) throw new NpyFormatException(source, "'fortran_order' is not True or False");
        if (!(dict.get("shape") instanceof long[] shape)) throw new NpyFormatException(source, "'shape' is not a tuple of integers");
        boolean[] little = new boolean[1];
        DType dtype = parseDescr(descr, little, source);
        long dataBytes;
        try {
            long n = dtype.byteSize();
            for (long d : shape) n = Math.multiplyExact(n, d);
            dataBytes = n;
        } catch (ArithmeticException e) {
            throw new NpyFormatException(source, "shape " + shapeRepr(shape) + " overflows a 64-bit byte count");
        }
        long offset = prefix + hlen;
        if (dataBytes > size - offset) {
            throw new NpyFormatException(source, "file is " + size + " bytes but shape " + shapeRepr(shape) + " of " + descr
                    + " needs " + dataBytes + " data bytes from offset " + offset);
        }
        // Like np.load and np.memmap, bytes after the data are ignored.
        return new Header(dtype, little[0], fortran, shape, major, offset, dataBytes);
    }

    /** The complete preamble + header NumPy's {@code np.save} writes for this array description. */
    public static byte[] header(String descr, boolean fortranOrder, long[] shape) {
        StringBuilder sb = new StringBuilder();
        sb.append("{'descr': '").append(descr).append("', 'fortran_order': ").append(fortranOrder ? "True" : "False")
                .append(", 'shape': ").append(shapeRepr(shape)).append(", }");
        if (shape.length > 0) {
            long growth = shape[fortranOrder ? shape.length - 1 : 0];
            sb.repeat(' ', Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(growth).length()));
        }
        byte[] dict = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        int prefix = 10;
        int hlen = dict.length + 1;
        int padlen = ARRAY_ALIGN - ((prefix + hlen) % ARRAY_ALIGN);
        if (hlen + padlen > 0xFFFF) {
            prefix = 12;
            padlen = ARRAY_ALIGN - ((prefix + hlen) % ARRAY_ALIGN);
        }
        int total = hlen + padlen;
        byte[] out = new byte[prefix + total];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = (byte) (prefix == 10 ? 1 : 2);
        out[7] = 0;
        out[8] = (byte) total;
        out[9] = (byte) (total >>> 8);
        if (prefix == 12) {
            out[10] = (byte) (total >>> 16);
            out[11] = (byte) (total >>> 24);
        }
        System.arraycopy(dict, 0, out, prefix, dict.length);
        for (int i = prefix + dict.length; i < out.length - 1; i++) out[i] = ' ';
        out[out.length - 1] = '\n';
        return out;
    }

    /** Python's repr of a shape tuple: {@code ()}, {@code (5,)}, {@code (2, 3)}. */
    public static String shapeRepr(long[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /**
     * Recursive-descent parser for the header's dict literal. Accepts exactly: a dict of quoted
     * string keys to a quoted string, True/False, or a tuple of non-negative integers, with
     * optional trailing commas, followed only by whitespace.
     */
    private static final class HeaderParser {
        private final String s;
        private final String source;
        private final long base;
        private int pos;

        HeaderParser(String s, String source, long base) {
            this.s = s;
            this.source = source;
            this.base = base;
        }

        Map<String, Object> parseDict() {
            skipSpace();
            expect('{');
            Map<String, Object> out = new HashMap<>();
            skipSpace();
            while (peek() != '}') {
                String key = parseString();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = parseValue();
                if (out.put(key, value) != null) throw error("duplicate key '" + key + "'");
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            pos++;
            skipSpace();
            if (pos != s.length()) throw error("unexpected text after the dict");
            return out;
        }

        private Object parseValue() {
            char c = peek();
            if (c == '\'' || c == '"') return parseString();
            if (c == '(') return parseTuple();
            if (s.startsWith("True", pos)) { pos += 4; return Boolean.TRUE; }
            if (s.startsWith("False", pos)) { pos += 5; return Boolean.FALSE; }
            throw error("expected a string, True, False or a tuple");
        }

        private long[] parseTuple() {
            expect('(');
            skipSpace();
            long[] dims = new long[MAX_DIMS];
            int n = 0;
            boolean comma = false;
            while (peek() != ')') {
                if (n == MAX_DIMS) throw error("more than " + MAX_DIMS + " dimensions");
                dims[n++] = parseInt();
                skipSpace();
                comma = peek() == ',';
                if (comma) {
                    pos++;
                    skipSpace();
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in the shape");
                }
            }
            // "(5)" is the integer 5 in Python, not a tuple.
            if (n == 1 && !comma) throw error("shape '(" + dims[0] + ")' is not a tuple");
            pos++;
            return java.util.Arrays.copyOf(dims, n);
        }

        private long parseInt() {
            int start = pos;
            if (peek() == '-') throw error("negative dimension");
            long v = 0;
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
                try {
                    v = Math.addExact(Math.multiplyExact(v, 10), s.charAt(pos) - '0');
                } catch (ArithmeticException e) {
                    throw error("dimension does not fit in 64 bits");
                }
                pos++;
            }
            if (pos == start) throw error("expected a non-negative integer");
            if (s.charAt(start) == '0' && pos - start > 1) throw error("integer with leading zeros");
            if (peek() == 'L') pos++; // Python 2 long suffix, still found in old files.
            return v;
        }

        private String parseString() {
            char q = peek();
            if (q != '\'' && q != '"') throw error("expected a quoted string");
            int end = s.indexOf(q, pos + 1);
            if (end < 0) throw error("unterminated string");
            String v = s.substring(pos + 1, end);
            if (v.indexOf('\\') >= 0 || v.indexOf('\n') >= 0) throw error("escapes are not supported in strings");
            pos = end + 1;
            return v;
        }

        private void skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\n' || s.charAt(pos) == '\t' || s.charAt(pos) == '\r')) pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            pos++;
        }

        private NpyFormatException error(String what) {
            return new NpyFormatException(source, "bad header at offset " + (base + pos) + ": " + what + " in " + quote());
        }

        private String quote() {
            String t = s.strip();
            return t.length() > 200 ? t.substring(0, 200) + "..." : t;
        }
    }
}
