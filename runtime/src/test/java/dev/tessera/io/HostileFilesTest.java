package dev.tessera.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.numpy.InflationLimit;
import dev.tessera.numpy.NpyFormatException;
import dev.tessera.numpy.Npz;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decompression bombs and pickle memory bombs (issue 12, defects 1 and 2): each must be refused
 * quickly with an exception naming the file, the member and the sizes, never an OutOfMemoryError.
 * CRCs of the zero runs are zlib.crc32 values (Python), independent of the code under test.
 */
class HostileFilesTest {
    private static final long CRC_1_GIB_ZEROS = 0x5b64c2b0L, CRC_4_GIB_ZEROS = 0xd202ef8dL;
    @TempDir Path dir;

    @Test
    void npzMemberHonestlyDeclaring4GiBOfZerosIsRefusedByTheDefaultCap() throws IOException {
        byte[] bomb = TestZip.zerosDeflated(4096);
        Path f = write("bomb.npz", new TestZip().deflated("x.npy", bomb, 1L << 32, CRC_4_GIB_ZEROS).bytes());
        assertTrue(f.toFile().length() < 8 << 20, "a small file: " + f.toFile().length());
        long cap = InflationLimit.bytes();
        assertTrue(cap < 1L << 32, "under -Xmx4g the default cap (" + cap + ") is below 4 GiB");
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.load(f));
        assertMentions(e, f + "!x.npy", "4294967296", String.valueOf(bomb.length), String.valueOf(cap));
        // The same archive through StateDicts, read into memory or mapped.
        assertMentions(assertThrows(NpyFormatException.class, () -> StateDicts.load(f)), "x.npy", "4294967296");
        assertMentions(assertThrows(NpyFormatException.class, () -> StateDicts.load(f, true)), "x.npy", "4294967296");
    }

    @Test
    void defaultCapIsHalfTheDirectMemoryLimitAndThePropertyOverridesIt() {
        // Tests run without -XX:MaxDirectMemorySize, so the limit is the heap's.
        assertEquals(Math.max(1L << 26, Runtime.getRuntime().maxMemory() / 2), InflationLimit.bytes());
        withCap("3m", () -> assertEquals(3L << 20, InflationLimit.bytes()));
        withCap("12345", () -> assertEquals(12345, InflationLimit.bytes()));
        withCap("lots", () -> assertMentions(assertThrows(IllegalArgumentException.class, InflationLimit::bytes), InflationLimit.PROPERTY, "lots"));
    }

    @Test
    void pthWhosePickleInflatesTo1GiBIsRefusedUnderA256MiBCap() throws IOException {
        byte[] bomb = TestZip.zerosDeflated(1024);
        Path f = write("bomb.pth", new TestZip().deflated("archive/data.pkl", bomb, 1L << 30, CRC_1_GIB_ZEROS).bytes());
        withCap("256m", () -> {
            StateDictFormatException e = assertThrows(StateDictFormatException.class, () -> StateDicts.load(f));
            assertMentions(e, f + "!archive/data.pkl", "1073741824", String.valueOf(bomb.length), String.valueOf(256L << 20));
        });
    }

    @Test
    void pthWithA1GiBDeflatedStorageIsRefusedBeforeInflating() throws IOException {
        byte[] pickle; // model.pth's own data.pkl, which names storage "0" first
        try (var in = HostileFilesTest.class.getResourceAsStream("JazzerFuzzTestInputs/pickle/model.pkl")) {
            pickle = in.readAllBytes();
        }
        byte[] bomb = TestZip.zerosDeflated(1024);
        TestZip zip = new TestZip().stored("model/data.pkl", pickle);
        zip.deflated("model/data/0", bomb, 1L << 30, CRC_1_GIB_ZEROS); // the first storage the pickle names
        Path f = write("storage-bomb.pth", zip.bytes());
        withCap("256m", () -> {
            StateDictFormatException e = assertThrows(StateDictFormatException.class, () -> StateDicts.load(f));
            // The pickle's numel check or the cap refuses it, both naming the member.
            assertMentions(e, "model/data");
        });
    }

    @Test
    void memberInflatingBeyondItsDeclaredSizeIsRefused() throws IOException {
        byte[] oneMiB = TestZip.zerosDeflated(1);
        Path f = write("liar.npz", new TestZip().deflated("x.npy", oneMiB, 1000, 0).bytes());
        assertMentions(assertThrows(NpyFormatException.class, () -> Npz.load(f)), "x.npy", "more than its declared size 1000");
    }

    @Test
    void declaredSizeBeyondWhatDeflateCanProduceIsRefusedBeforeAllocating() throws IOException {
        Path f = write("impossible.pth", new TestZip().deflated("archive/data.pkl", new byte[] {3, 0}, 1L << 40, 0).bytes());
        long before = threadAllocatedBytes();
        StateDictFormatException e = assertThrows(StateDictFormatException.class, () -> StateDicts.load(f));
        assertMentions(e, "archive/data.pkl", "1099511627776", "1032:1");
        assertTrue(threadAllocatedBytes() - before < 64 << 20, "refused without allocating");
    }

    @Test
    void sixteenMiBOfEmptyDictsFailsFastWithoutAGigabyte() throws IOException {
        byte[] pickle = new byte[16 << 20];
        Arrays.fill(pickle, (byte) '}');
        Path f = write("dicts.pth", new TestZip().stored("archive/data.pkl", pickle).bytes());
        long before = threadAllocatedBytes();
        StateDictFormatException e = assertThrows(StateDictFormatException.class, () -> StateDicts.load(f));
        long allocated = threadAllocatedBytes() - before;
        assertMentions(e, f + "!archive/data.pkl", "16777216", "memory bomb", "offset");
        assertTrue(allocated < 1L << 30, "allocated " + (allocated >> 20) + " MiB of heap");
        System.out.println("16 MiB of '}' refused after allocating " + (allocated >> 20) + " MiB: " + e.getMessage());
        // A real state dict's pickle stays far inside the budget.
        assertTrue(StateDicts.load(Fixtures.path("mixed.pth")).size() > 0);
    }

    private static long threadAllocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private static void withCap(String cap, Runnable body) {
        String old = System.getProperty(InflationLimit.PROPERTY);
        System.setProperty(InflationLimit.PROPERTY, cap);
        try {
            body.run();
        } finally {
            if (old == null) System.clearProperty(InflationLimit.PROPERTY);
            else System.setProperty(InflationLimit.PROPERTY, old);
        }
    }

    private static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
    }
}
