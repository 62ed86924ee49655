package dev.tessera.io;

import dev.tessera.numpy.InflationLimit;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The members of a zip archive held in a (mapped) segment, read from the central directory with
 * every field bounds-checked. Stored members are returned as slices of the segment (no copy); the
 * data offset comes from each member's local header, whose extra field torch.save uses to pad data
 * to 64 bytes. Deflated members are inflated off-heap, never past their declared size, and all of a
 * file's members together never past {@link InflationLimit#bytes()}.
 */
final class ZipDirectory {
    private static final int LOCAL = 0x04034b50, CENTRAL = 0x02014b50, END = 0x06054b50;
    private static final int END64 = 0x06064b50, END64_LOCATOR = 0x07064b50;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    record Entry(String name, int method, long crc, long compressed, long size, long dataOffset) {}

    private final MemorySegment s;
    private final String source;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final InflationLimit inflation = InflationLimit.forFile(); // shared by all members: bombs may be split

    ZipDirectory(MemorySegment s, String source) {
        this.s = s;
        this.source = source;
        readCentralDirectory();
    }

    Map<String, Entry> entries() { return entries; }

    /** The member's bytes: a slice of the file when stored, an inflated copy when deflated. */
    MemorySegment data(Entry e) {
        String member = source + "!" + e.name;
        return switch (e.method) {
            case 0 -> {
                if (e.compressed != e.size) {
                    throw new StateDictFormatException(member, e.dataOffset, "stored member with compressed size " + e.compressed + " != size " + e.size);
                }
                yield slice(e.dataOffset, e.size, "data of member '" + e.name + "'");
            }
            case 8 -> inflation.inflate(slice(e.dataOffset, e.compressed, "compressed data of member '" + e.name + "'"), e.size, e.crc, member,
                    (problem, cause) -> new StateDictFormatException(member, problem, cause));
            default -> throw new StateDictFormatException(member, "unsupported zip compression method " + e.method);
        };
    }

    private int u16(long off) { check(off, 2); return s.get(U16, off) & 0xFFFF; }

    private long u32(long off) { check(off, 4); return s.get(U32, off) & 0xFFFFFFFFL; }

    private long u64(long off) {
        check(off, 8);
        long v = s.get(U64, off);
        if (v < 0) throw new StateDictFormatException(source, off, "zip64 field out of range");
        return v;
    }

    private void check(long off, long n) {
        if (off < 0 || n < 0 || off > s.byteSize() - n) {
            throw new StateDictFormatException(source, off, "truncated or corrupt zip: " + n + " bytes lie outside the file (" + s.byteSize() + " bytes)");
        }
    }

    private MemorySegment slice(long off, long n, String what) {
        if (off < 0 || n < 0 || off > s.byteSize() - n) {
            throw new StateDictFormatException(source, off, what + " (" + n + " bytes) extends beyond the end of the file (" + s.byteSize() + " bytes)");
        }
        return s.asSlice(off, n);
    }

    private void readCentralDirectory() {
        long end = findEnd();
        long count = u16(end + 10);
        long cdSize = u32(end + 12);
        long cdOffset = u32(end + 16);
        if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            long loc = end - 20;
            if (loc < 0 || u32(loc) != END64_LOCATOR) throw new StateDictFormatException(source, end, "zip64 end locator missing");
            long end64 = u64(loc + 8);
            if (u32(end64) != END64) throw new StateDictFormatException(source, end64, "zip64 end record missing");
            count = u64(end64 + 32);
            cdSize = u64(end64 + 40);
            cdOffset = u64(end64 + 48);
        }
        slice(cdOffset, cdSize, "central directory");
        // Each central entry takes at least 46 bytes, which caps the count a lying header can claim.
        if (count > cdSize / 46) throw new StateDictFormatException(source, end, "zip claims " + count + " members in a " + cdSize + "-byte directory");
        long p = cdOffset;
        for (long i = 0; i < count; i++) {
            if (u32(p) != CENTRAL) throw new StateDictFormatException(source, p, "bad central directory entry");
            if ((u16(p + 8) & 1) != 0) throw new StateDictFormatException(source, p, "encrypted zip members are not supported");
            int method = u16(p + 10);
            long crc = u32(p + 16);
            long compressed = u32(p + 20);
            long size = u32(p + 24);
            int nameLen = u16(p + 28), extraLen = u16(p + 30), commentLen = u16(p + 32);
            long local = u32(p + 42);
            String name = new String(slice(p + 46, nameLen, "member name").toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            long extraEnd = p + 46 + nameLen + extraLen;
            slice(p + 46 + nameLen, extraLen, "extra field");
            // zip64 extra: the fields that read 0xFFFFFFFF follow, in this order.
            for (long x = p + 46 + nameLen; x + 4 <= extraEnd; ) {
                int id = u16(x), len = u16(x + 2);
                long f = x + 4;
                if (id == 1) {
                    if (size == 0xFFFFFFFFL && f + 8 <= x + 4 + len) { size = u64(f); f += 8; }
                    if (compressed == 0xFFFFFFFFL && f + 8 <= x + 4 + len) { compressed = u64(f); f += 8; }
                    if (local == 0xFFFFFFFFL && f + 8 <= x + 4 + len) { local = u64(f); }
                }
                x += 4 + len;
            }
            if (u32(local) != LOCAL) throw new StateDictFormatException(source, local, "bad local header for member '" + name + "'");
            long dataOffset = local + 30 + u16(local + 26) + u16(local + 28);
            if (entries.put(name, new Entry(name, method, crc, compressed, size, dataOffset)) != null) {
                throw new StateDictFormatException(source, p, "duplicate zip member '" + name + "'");
            }
            p = extraEnd + commentLen;
        }
    }

    private long findEnd() {
        if (s.byteSize() < 22) throw new StateDictFormatException(source, "not a zip file: only " + s.byteSize() + " bytes");
        long min = Math.max(0, s.byteSize() - 22 - 0xFFFF);
        for (long p = s.byteSize() - 22; p >= min; p--) {
            if (s.get(U32, p) == END) return p;
        }
        throw new StateDictFormatException(source, "not a zip file: no end-of-central-directory record");
    }
}
