package dev.tessera.io;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.tensor.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}}), then
 * the byte buffer the offsets index. Validation follows the reference implementation: N at most
 * 100 MB and within the file, the header a JSON object starting with '{', known dtypes, each
 * range exactly numel * element size, and the ranges tiling the buffer with no gap or overlap.
 * Loaded tensors are views of the file's image (a copy, or the mapping when asked for).
 */
final class Safetensors {
    static final long MAX_HEADER = 100_000_000L;
    private static final int MAX_DIMS = 64;

    private Safetensors() {}

    static String code(DType t) {
        return switch (t) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case INT16 -> "I16";
            case INT8 -> "I8";
            case UINT8 -> "U8";
            case BOOL -> "BOOL";
        };
    }

    private static DType dtype(String code, String source, long at, String name) {
        for (DType t : DType.values()) if (code(t).equals(code)) return t;
        boolean known = List.of("U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "C64", "F4", "F6_E2M3", "F6_E3M2", "E8M0", "F8_E8M0").contains(code);
        throw new StateDictFormatException(source, at, "tensor '" + name + "' has " + (known ? "dtype " + code + ", which Tessera does not support"
                : "unknown dtype '" + code + "'"));
    }

    private record Info(String name, DType dtype, long[] shape, long begin, long end) {}

    static Map<String, Tensor> load(Path path, boolean mmap) {
        return load(FileMapping.load(path, mmap), path.toString());
    }

    /** Reads a file image already in memory (a copy or a mapping), named {@code source} in messages. */
    static Map<String, Tensor> load(MemorySegment file, String source) {
        if (file.byteSize() < 8) throw new StateDictFormatException(source, "file of " + file.byteSize() + " bytes is too small for a safetensors header");
        long n = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 0 || n > MAX_HEADER) throw new StateDictFormatException(source, 0, "header length " + Long.toUnsignedString(n) + " exceeds the limit of " + MAX_HEADER);
        if (n > file.byteSize() - 8) throw new StateDictFormatException(source, 0, "header length " + n + " runs past the end of the file (" + file.byteSize() + " bytes)");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(file.asSlice(8, n).asByteBuffer()).toString();
        } catch (CharacterCodingException e) {
            throw new StateDictFormatException(source, 8, "header is not valid UTF-8");
        }
        if (!text.startsWith("{")) throw new StateDictFormatException(source, 8, "header does not start with '{'");
        Map<?, ?> header = (Map<?, ?>) Json.parse(text, source, 8);
        long bufferStart = 8 + n;
        long bufferSize = file.byteSize() - bufferStart;

        List<Info> infos = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                checkMetadata(e.getValue(), source);
                continue;
            }
            infos.add(info(name, e.getValue(), bufferSize, source));
        }
        // The reference reader checks the ranges in offset order: they must tile the buffer exactly.
        List<Info> byOffset = new ArrayList<>(infos);
        byOffset.sort(Comparator.comparingLong(Info::begin).thenComparingLong(Info::end));
        long expected = 0;
        for (Info i : byOffset) {
            if (i.begin != expected) {
                throw new StateDictFormatException(source, bufferStart + i.begin, "tensor '" + i.name + "' data_offsets [" + i.begin + ", " + i.end + "] "
                        + (i.begin < expected ? "overlap the previous tensor" : "leave a gap after byte " + expected) + " of the data buffer");
            }
            expected = i.end;
        }
        if (expected != bufferSize) {
            throw new StateDictFormatException(source, bufferStart + expected, "data buffer has " + bufferSize + " bytes but the tensors cover " + expected);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Info i : infos) {
            Storage storage = new Storage(file.asSlice(bufferStart + i.begin, i.end - i.begin), Device.CPU, null);
            out.put(i.name, Tensor.fromStorage(storage, i.dtype, i.shape, contiguousStrides(i.shape), 0));
        }
        return out;
    }

    private static void checkMetadata(Object v, String source) {
        if (!(v instanceof Map<?, ?> m)) throw new StateDictFormatException(source, 8, "__metadata__ is not an object");
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String)) throw new StateDictFormatException(source, 8, "__metadata__ value for '" + e.getKey() + "' is not a string");
        }
    }

    private static Info info(String name, Object v, long bufferSize, String source) {
        if (!(v instanceof Map<?, ?> m)) throw new StateDictFormatException(source, 8, "entry for tensor '" + name + "' is not an object");
        if (!(m.get("dtype") instanceof String code)) throw new StateDictFormatException(source, 8, "tensor '" + name + "' has no string dtype");
        DType dtype = dtype(code, source, 8, name);
        long[] shape = longs(m.get("shape"), -1, "shape", name, source);
        if (shape.length > MAX_DIMS) throw new StateDictFormatException(source, 8, "tensor '" + name + "' has " + shape.length + " dims (at most " + MAX_DIMS + ")");
        long[] range = longs(m.get("data_offsets"), 2, "data_offsets", name, source);
        long begin = range[0], end = range[1];
        if (begin > end || end > bufferSize) {
            throw new StateDictFormatException(source, 8, "tensor '" + name + "' data_offsets [" + begin + ", " + end + "] are not a range within the "
                    + bufferSize + "-byte data buffer");
        }
        long bytes = dtype.byteSize();
        try {
            for (long d : shape) bytes = Math.multiplyExact(bytes, d);
        } catch (ArithmeticException e) {
            bytes = -1;
        }
        if (bytes != end - begin) {
            throw new StateDictFormatException(source, 8, "tensor '" + name + "' of shape " + java.util.Arrays.toString(shape) + " and dtype " + code
                    + " needs " + (bytes < 0 ? "more than 2^63" : String.valueOf(bytes)) + " bytes but data_offsets span " + (end - begin));
        }
        return new Info(name, dtype, shape, begin, end);
    }

    private static long[] longs(Object v, int expectedLength, String field, String name, String source) {
        if (!(v instanceof List<?> l) || (expectedLength >= 0 && l.size() != expectedLength)) {
            throw new StateDictFormatException(source, 8, "tensor '" + name + "' " + field + " is not an array"
                    + (expectedLength >= 0 ? " of " + expectedLength + " integers" : " of integers"));
        }
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long x) || x < 0) throw new StateDictFormatException(source, 8, "tensor '" + name + "' " + field + "[" + i + "] is not a non-negative integer");
            out[i] = x;
        }
        return out;
    }

    static long[] contiguousStrides(long[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return st;
    }

    // ---- writing ---------------------------------------------------------------------------

    /**
     * Writes the tensors (copied to contiguous CPU memory where needed). The header lists them in map
     * order; the data is laid out by element size, largest first (as the reference writer sorts), so
     * with the header padded with spaces to a multiple of 8 bytes every tensor is aligned.
     */
    static void save(Map<String, Tensor> tensors, Path path) {
        List<Map.Entry<String, Tensor>> layout = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey() == null) throw new IllegalArgumentException("saveSafetensors: null tensor name");
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("saveSafetensors: '__metadata__' is reserved and cannot name a tensor");
            if (e.getValue() == null) throw new IllegalArgumentException("saveSafetensors: tensor '" + e.getKey() + "' is null");
            layout.add(Map.entry(e.getKey(), e.getValue().detach().cpu().contiguous()));
        }
        layout.sort(Comparator.comparingInt((Map.Entry<String, Tensor> e) -> -e.getValue().dtype().byteSize())); // stable
        Map<String, long[]> ranges = new LinkedHashMap<>();
        long pos = 0;
        for (Map.Entry<String, Tensor> e : layout) {
            long bytes = e.getValue().numel() * e.getValue().dtype().byteSize();
            ranges.put(e.getKey(), new long[]{pos, pos + bytes});
            pos += bytes;
        }
        StringBuilder h = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long[] r = ranges.get(e.getKey());
            h.append(',').append(Json.quote(e.getKey())).append(":{\"dtype\":\"").append(code(t.dtype())).append("\",\"shape\":[");
            long[] shape = t.shapeArray();
            for (int i = 0; i < shape.length; i++) h.append(i == 0 ? "" : ",").append(shape[i]);
            h.append("],\"data_offsets\":[").append(r[0]).append(',').append(r[1]).append("]}");
        }
        h.append('}');
        byte[] json = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            long at = writeFully(ch, head, 0);
            for (Map.Entry<String, Tensor> e : layout) {
                Tensor t = e.getValue();
                long size = t.dtype().byteSize();
                MemorySegment bytes = t.storage().segment().asSlice(t.storageOffset() * size, t.numel() * size);
                for (long off = 0; off < bytes.byteSize(); off += 1 << 30) {
                    at = writeFully(ch, bytes.asSlice(off, Math.min(bytes.byteSize() - off, 1 << 30)).asByteBuffer(), at);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    private static long writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) position += ch.write(b, position);
        return position;
    }
}
