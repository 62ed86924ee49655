package dev.tessera.numpy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * {@code .npz} archives as written by {@code np.savez} / {@code np.savez_compressed}: a zip of
 * {@code <name>.npy} members. The zip is mapped, not read: stored members become arrays over slices
 * of the mapping (no copy; a private copy-on-write mapping when the file is writable, so writes
 * never reach the archive, as with NumPy's in-memory arrays), and deflated members are inflated off-heap, all
 * of an archive's members together at most {@link InflationLimit#bytes()} (a size a small file
 * may honestly declare is refused before anything is allocated). The mapping is released by the garbage
 * collector once no array from it is reachable. Members whose names do not end in {@code .npy}
 * are skipped; CRCs are checked for deflated members only (checking a stored one would read it all).
 *
 * <p>Writing produces stored (uncompressed) members, like {@code np.savez}. Archives or members of
 * 4 GiB or more (zip64) can be read but not written.
 */
public final class Npz {
    private Npz() {}

    /**
     * The largest inflated size {@link #load(Path)} ever allows for one archive; the cap in force is
     * the smaller of this and {@link InflationLimit#bytes()} (half the memory limit by default).
     */
    public static final long DEFAULT_MAX_INFLATED_BYTES = 1L << 32;

    private static final int LOCAL = 0x04034b50, CENTRAL = 0x02014b50, END = 0x06054b50;
    private static final int END64 = 0x06064b50, END64_LOCATOR = 0x07064b50;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static Map<String, NDArray> load(Path path) {
        return load(path, Math.min(DEFAULT_MAX_INFLATED_BYTES, InflationLimit.bytes()));
    }

    /**
     * Loads every {@code .npy} member, keyed by its name without {@code .npy}, in archive order;
     * deflated members may inflate to {@code maxInflatedBytes} in total.
     */
    public static Map<String, NDArray> load(Path path, long maxInflatedBytes) {
        return load(map(path), path.toString(), maxInflatedBytes);
    }

    /**
     * Parses an archive already in memory (a copy or a mapping of a file), named {@code file} in
     * messages; the arrays are views of {@code zip} and keep it reachable.
     */
    public static Map<String, NDArray> load(MemorySegment zip, String file) {
        return load(zip, file, Math.min(DEFAULT_MAX_INFLATED_BYTES, InflationLimit.bytes()));
    }

    static Map<String, NDArray> load(MemorySegment zip, String file, long maxInflatedBytes) {
        if (zip.byteSize() < 22) throw new NpyFormatException(file, "not a zip file: " + zip.byteSize() + " bytes");
        InflationLimit budget = InflationLimit.of(maxInflatedBytes);
        Zip z = new Zip(zip, file);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Entry e : z.entries()) {
            if (!e.name.endsWith(".npy")) continue;
            String key = e.name.substring(0, e.name.length() - 4);
            String source = file + "!" + e.name;
            MemorySegment image = switch (e.method) {
                case 0 -> {
                    if (e.compressed != e.size) throw new NpyFormatException(source, "stored member with compressed size " + e.compressed + " != size " + e.size);
                    yield z.slice(e.dataOffset, e.size, "member data");
                }
                case 8 -> budget.inflate(z.slice(e.dataOffset, e.compressed, "compressed member data"), e.size, e.crc, source,
                        (problem, cause) -> new NpyFormatException(source, problem, cause));
                default -> throw new NpyFormatException(source, "unsupported zip compression method " + e.method);
            };
            if (out.put(key, NDArray.fromImage(image, source, zip)) != null) throw new NpyFormatException(source, "duplicate member");
        }
        return out;
    }

    private static MemorySegment map(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < 22) throw new NpyFormatException(path.toString(), "not a zip file: " + ch.size() + " bytes");
            return ch.map(FileChannel.MapMode.PRIVATE, 0, ch.size(), Arena.ofAuto());
        } catch (AccessDeniedException e) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
            } catch (IOException e2) {
                throw new UncheckedIOException("cannot map " + path + ": " + e2.getMessage(), e2);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + path + ": " + e.getMessage(), e);
        }
    }

    private record Entry(String name, int method, long crc, long compressed, long size, long dataOffset) {}

    /** Bounds-checked reads of the zip structures; every failure names the offset. */
    private record Zip(MemorySegment s, String source) {
        int u16(long off) { check(off, 2); return s.get(U16, off) & 0xFFFF; }
        long u32(long off) { check(off, 4); return s.get(U32, off) & 0xFFFFFFFFL; }
        long u64(long off) {
            check(off, 8);
            long v = s.get(U64, off);
            if (v < 0) throw new NpyFormatException(source, "zip64 field at offset " + off + " is out of range");
            return v;
        }

        void check(long off, long n) {
            if (off < 0 || n < 0 || off > s.byteSize() - n) {
                throw new NpyFormatException(source, "truncated or corrupt zip: " + n + " bytes at offset " + off + " lie outside the file (" + s.byteSize() + " bytes)");
            }
        }

        MemorySegment slice(long off, long n, String what) {
            if (off < 0 || n < 0 || off > s.byteSize() - n) {
                throw new NpyFormatException(source, what + " (" + n + " bytes at offset " + off + ") extends beyond the file");
            }
            return s.asSlice(off, n);
        }

        List<Entry> entries() {
            long end = findEnd();
            long count = u16(end + 10);
            long cdSize = u32(end + 12);
            long cdOffset = u32(end + 16);
            if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
                long loc = end - 20;
                if (loc < 0 || u32(loc) != END64_LOCATOR) throw new NpyFormatException(source, "zip64 end locator missing before offset " + end);
                long end64 = u64(loc + 8);
                if (u32(end64) != END64) throw new NpyFormatException(source, "zip64 end record missing at offset " + end64);
                count = u64(end64 + 32);
                cdSize = u64(end64 + 40);
                cdOffset = u64(end64 + 48);
            }
            slice(cdOffset, cdSize, "central directory");
            List<Entry> out = new ArrayList<>();
            long p = cdOffset;
            for (long i = 0; i < count; i++) {
                if (u32(p) != CENTRAL) throw new NpyFormatException(source, "bad central directory entry at offset " + p);
                if ((u16(p + 8) & 1) != 0) throw new NpyFormatException(source, "encrypted zip members are not supported");
                int method = u16(p + 10);
                long crc = u32(p + 16);
                long compressed = u32(p + 20);
                long size = u32(p + 24);
                int nameLen = u16(p + 28), extraLen = u16(p + 30), commentLen = u16(p + 32);
                long local = u32(p + 42);
                String name = new String(slice(p + 46, nameLen, "member name").toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                // zip64 extra: the fields that read 0xFFFFFFFF follow, in this order.
                for (long x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen; ) {
                    int id = u16(x), len = u16(x + 2);
                    long f = x + 4;
                    if (id == 1) {
                        if (size == 0xFFFFFFFFL) { size = u64(f); f += 8; }
                        if (compressed == 0xFFFFFFFFL) { compressed = u64(f); f += 8; }
                        if (local == 0xFFFFFFFFL) { local = u64(f); }
                    }
                    x += 4 + len;
                }
                if (u32(local) != LOCAL) throw new NpyFormatException(source, "bad local header for '" + name + "' at offset " + local);
                long dataOffset = local + 30 + u16(local + 26) + u16(local + 28);
                out.add(new Entry(name, method, crc, compressed, size, dataOffset));
                p += 46L + nameLen + extraLen + commentLen;
            }
            return out;
        }

        private long findEnd() {
            long min = Math.max(0, s.byteSize() - 22 - 0xFFFF);
            for (long p = s.byteSize() - 22; p >= min; p--) {
                if (s.get(U32, p) == END) return p;
            }
            throw new NpyFormatException(source, "not a zip file: no end-of-central-directory record");
        }
    }

    // ---- writing -----------------------------------------------------------------------

    /** Writes a stored (uncompressed) archive that {@code np.load} reads; keys become {@code <key>.npy}. */
    public static void save(Path path, Map<String, NDArray> arrays) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer central = ByteBuffer.allocate(1 << 12).order(ByteOrder.LITTLE_ENDIAN);
            long pos = 0;
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                byte[] name = (e.getKey() + ".npy").getBytes(StandardCharsets.UTF_8);
                MemorySegment[] parts = e.getValue().imageParts();
                long size = parts[0].byteSize() + parts[1].byteSize();
                if (size >= 0xFFFFFFFFL || pos >= 0xFFFFFFFFL || arrays.size() >= 0xFFFF) {
                    throw new IllegalArgumentException("Npz.save " + path + ": member '" + e.getKey() + "' needs zip64 (4 GiB or 65535 members), which is not supported for writing");
                }
                CRC32 crc = new CRC32();
                for (MemorySegment part : parts) {
                    for (long off = 0; off < part.byteSize(); off += 1 << 30) {
                        crc.update(part.asSlice(off, Math.min(part.byteSize() - off, 1 << 30)).asByteBuffer());
                    }
                }
                ByteBuffer local = ByteBuffer.allocate(30 + name.length).order(ByteOrder.LITTLE_ENDIAN);
                local.putInt(LOCAL).putShort((short) 20).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0x21) // DOS time 00:00, date 1980-01-01
                        .putInt((int) crc.getValue()).putInt((int) size).putInt((int) size)
                        .putShort((short) name.length).putShort((short) 0).put(name).flip();
                writeFully(ch, local, pos);
                long data = pos + 30 + name.length;
                long written = e.getValue().writeImage(ch, data);
                if (central.remaining() < 46 + name.length) {
                    central = ByteBuffer.allocate(central.capacity() * 2 + 46 + name.length).order(ByteOrder.LITTLE_ENDIAN).put(central.flip());
                }
                central.putInt(CENTRAL).putShort((short) 0x0314).putShort((short) 20).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0x21).putInt((int) crc.getValue()).putInt((int) size).putInt((int) size)
                        .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putInt(0600 << 16).putInt((int) pos).put(name);
                pos = data + written;
            }
            central.flip();
            int cdSize = central.remaining();
            if (pos >= 0xFFFFFFFFL) throw new IllegalArgumentException("Npz.save " + path + ": archive needs zip64, which is not supported for writing");
            writeFully(ch, central, pos);
            ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
            end.putInt(END).putShort((short) 0).putShort((short) 0).putShort((short) arrays.size()).putShort((short) arrays.size())
                    .putInt(cdSize).putInt((int) pos).putShort((short) 0).flip();
            writeFully(ch, end, pos + cdSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) position += ch.write(b, position);
    }
}
