package dev.tessera.ops.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the images of a CUDA fatbin (the container nvcc's {@code fatbinary} writes): SASS ELF
 * cubins per sm and PTX, LZ4-decompressed when stored compressed. The backend uses it to say which
 * architectures the module holds when the driver finds none for a device; the staleness test uses
 * it to read kernel parameter tables back out of the committed fatbin.
 *
 * <p>Layout (little-endian): a 16-byte header {u32 magic 0xBA55ED50, u16 version, u16 header size,
 * u64 size of the entries}, then entries, each {u16 kind (1 PTX, 2 ELF), u16 version, u32 header
 * size, u64 padded payload size, u32 compressed payload size, ..., u32 sm at +28, u64 flags at +40,
 * u64 uncompressed size at +56}, followed by its payload.
 */
public final class Fatbin {
    public static final int MAGIC = 0xBA55ED50;
    private static final long FLAG_COMPRESSED = 0x2000;

    /** One image: kind "elf" or "ptx", its sm (e.g. 75) and its (decompressed) bytes. */
    public record Image(String kind, int sm, byte[] bytes) {}

    private Fatbin() {}

    public static List<Image> images(byte[] fatbin) {
        ByteBuffer b = ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN);
        if (fatbin.length < 16 || b.getInt(0) != MAGIC) {
            throw new IllegalArgumentException("not a CUDA fatbin: bad magic at offset 0 (expected 0xBA55ED50)");
        }
        int headerSize = Short.toUnsignedInt(b.getShort(6));
        long end = headerSize + b.getLong(8);
        if (end > fatbin.length) throw new IllegalArgumentException("truncated fatbin: header says " + end + " bytes, file has " + fatbin.length);
        List<Image> out = new ArrayList<>();
        long at = headerSize;
        while (at < end) {
            int p = Math.toIntExact(at);
            int kind = Short.toUnsignedInt(b.getShort(p));
            int entryHeader = b.getInt(p + 4);
            long padded = b.getLong(p + 8);
            int stored = b.getInt(p + 16);
            int sm = b.getInt(p + 28);
            long flags = b.getLong(p + 40);
            long uncompressed = entryHeader >= 64 ? b.getLong(p + 56) : 0;
            int payload = p + entryHeader;
            if (payload + padded > end || padded < 0) throw new IllegalArgumentException("fatbin entry at offset " + p + " runs past the end");
            byte[] bytes;
            if ((flags & FLAG_COMPRESSED) != 0 && uncompressed > 0) {
                bytes = lz4Block(fatbin, payload, stored, Math.toIntExact(uncompressed), p);
            } else {
                bytes = java.util.Arrays.copyOfRange(fatbin, payload, payload + (kind == 1 ? stored : (int) padded));
            }
            out.add(new Image(kind == 1 ? "ptx" : kind == 2 ? "elf" : "kind" + kind, sm, bytes));
            at = payload + padded;
        }
        return out;
    }

    /** Decodes one LZ4 block (the format fatbinary's "speed" compression writes). */
    static byte[] lz4Block(byte[] src, int from, int length, int outSize, int entry) {
        byte[] out = new byte[outSize];
        int s = from, end = from + length, o = 0;
        try {
            while (s < end) {
                int token = src[s++] & 0xFF;
                int lit = token >>> 4;
                if (lit == 15) { int x; do { x = src[s++] & 0xFF; lit += x; } while (x == 255); }
                System.arraycopy(src, s, out, o, lit);
                s += lit;
                o += lit;
                if (s >= end || o >= outSize) break; // the last sequence has literals only
                int back = (src[s] & 0xFF) | (src[s + 1] & 0xFF) << 8;
                s += 2;
                int len = token & 15;
                if (len == 15) { int x; do { x = src[s++] & 0xFF; len += x; } while (x == 255); }
                len += 4;
                if (back <= 0 || back > o) throw new IllegalArgumentException("bad LZ4 match offset " + back);
                for (int k = 0; k < len; k++, o++) out[o] = out[o - back]; // overlapping copies repeat bytes
            }
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("corrupt LZ4 payload in the fatbin entry at offset " + entry, e);
        }
        if (o != outSize) throw new IllegalArgumentException("LZ4 payload of the fatbin entry at offset " + entry + " decoded to " + o + " bytes, expected " + outSize);
        return out;
    }
}
