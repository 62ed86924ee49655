package dev.tessera.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zip archives byte by byte, so tests can state any sizes and CRCs, honest or not; members
 * of 4 GiB or more get zip64 extra fields. Also builds honest deflate bombs cheaply: a run of
 * zeros compressed once, ending in a full flush, is a self-contained sequence of deflate blocks,
 * so repeating it n times (then an empty final block) is a valid stream of n times the zeros.
 */
final class TestZip {
    record Member(String name, int method, long crc, long size, byte[] data) {}

    private final List<Member> members = new ArrayList<>();

    TestZip stored(String name, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        members.add(new Member(name, 0, crc.getValue(), data.length, data));
        return this;
    }

    TestZip deflated(String name, byte[] compressed, long size, long crc) {
        members.add(new Member(name, 8, crc, size, compressed));
        return this;
    }

    /** An honest raw-deflate stream of {@code mib} MiB of zeros (about 1 KiB per MiB). */
    static byte[] zerosDeflated(int mib) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(new byte[1 << 20]);
        byte[] buf = new byte[1 << 16];
        int n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
        d.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * mib + 2);
        for (int i = 0; i < mib; i++) out.write(buf, 0, n);
        out.write(new byte[] {3, 0}, 0, 2); // a final, empty block with fixed codes
        return out.toByteArray();
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (Member m : members) {
            long offset = out.size();
            byte[] name = m.name.getBytes(StandardCharsets.UTF_8);
            boolean z64 = m.size >= 0xFFFFFFFFL || m.data.length >= 0xFFFFFFFFL;
            byte[] extra = z64 ? le(ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 1).putShort((short) 16)
                    .putLong(m.size).putLong(m.data.length)) : new byte[0];
            long size32 = z64 ? 0xFFFFFFFFL : m.size, comp32 = z64 ? 0xFFFFFFFFL : m.data.length;
            out.writeBytes(le(ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN).putInt(0x04034b50).putShort((short) 45)
                    .putShort((short) 0).putShort((short) m.method).putInt(0).putInt((int) m.crc).putInt((int) comp32)
                    .putInt((int) size32).putShort((short) name.length).putShort((short) extra.length)));
            out.writeBytes(name);
            out.writeBytes(extra);
            out.writeBytes(m.data);
            central.writeBytes(le(ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN).putInt(0x02014b50).putShort((short) 45)
                    .putShort((short) 45).putShort((short) 0).putShort((short) m.method).putInt(0).putInt((int) m.crc)
                    .putInt((int) comp32).putInt((int) size32).putShort((short) name.length).putShort((short) extra.length)
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offset)));
            central.writeBytes(name);
            central.writeBytes(extra);
        }
        long cdOffset = out.size();
        out.writeBytes(central.toByteArray());
        out.writeBytes(le(ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN).putInt(0x06054b50).putShort((short) 0)
                .putShort((short) 0).putShort((short) members.size()).putShort((short) members.size())
                .putInt(central.size()).putInt((int) cdOffset).putShort((short) 0)));
        return out.toByteArray();
    }

    private static byte[] le(ByteBuffer b) { return b.array(); }
}
