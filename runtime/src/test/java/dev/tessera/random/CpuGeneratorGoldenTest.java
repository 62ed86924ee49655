package dev.tessera.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.tensor.Elements;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every case of golden/rng/rng.txt (made by scripts/golden/gen_rng.py with torch 1.13) on a
 * fresh generator and compares results op by op, then the generator state byte for byte.
 * Everything must be bit-identical except normal samples that go through libm (float64, the
 * scalar path, float16/bfloat16), where glibc and StrictMath may differ in the last bit.
 */
class CpuGeneratorGoldenTest {
    record Op(String[] head, String expected) {}
    record Case(String name, long seed, List<Op> ops) {}

    static List<Case> load() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (var in = CpuGeneratorGoldenTest.class.getResourceAsStream("/golden/rng/rng.txt")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            Case cur = null;
            String[] head = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) continue;
                if (line.startsWith("case ")) {
                    String[] p = line.split(" ");
                    cur = new Case(p[1], Long.parseLong(p[2]), new ArrayList<>());
                } else if (line.equals("end")) {
                    cases.add(cur);
                } else if (line.startsWith("=")) {
                    cur.ops().add(new Op(head, line.substring(1).trim()));
                } else {
                    head = line.split(" ");
                }
            }
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        return load().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> replay(c)));
    }

    /** Outside the bit-exact paths, count how often libm-based samples still match torch exactly. */
    @Test
    void libmNormalsAreAlmostAlwaysBitExact() throws Exception {
        int[] counts = new int[2];
        for (Case c : load()) replay(c, counts);
        System.out.printf("golden rng: %d of %d libm-path normal samples bit-identical to torch%n", counts[0], counts[1]);
        assertTrue(counts[1] > 1000, "fixture should hold many libm-path normal samples");
        assertTrue(counts[0] >= 0.99 * counts[1], counts[0] + " of " + counts[1] + " bit-identical");
    }

    private static void replay(Case c) throws Exception {
        replay(c, new int[2]);
    }

    private static void replay(Case c, int[] counts) throws Exception {
        CpuGenerator g = new CpuGenerator(123);
        g.manualSeed(c.seed());
        int step = 0;
        for (Op op : c.ops()) {
            String where = c.name() + " step " + step++ + " (" + String.join(" ", op.head()) + ")";
            switch (op.head()[0]) {
                case "state" -> checkState(g.getState(), op.expected(), where);
                case "setstate" -> g.setState(HexFormat.of().parseHex(op.expected()));
                case "randperm" -> {
                    long[] p = g.randperm(Long.parseLong(op.head()[2]));
                    assertEquals(op.expected(), join(p), where);
                }
                default -> runFill(g, op, where, counts);
            }
        }
    }

    private static void runFill(CpuGenerator g, Op op, String where, int[] counts) {
        String[] h = op.head();
        DType dt = DType.fromName(h[1]);
        int n = Integer.parseInt(h[2]);
        try (Arena arena = Arena.ofConfined()) {
            // Offset by 3 bytes so every store is unaligned, as the API allows.
            MemorySegment seg = arena.allocate(3 + (long) n * dt.byteSize());
            long off = 3;
            switch (h[0]) {
                case "uniform" -> g.uniform(seg, off, n, dt, Double.parseDouble(h[3]), Double.parseDouble(h[4]));
                case "normal" -> g.normal(seg, off, n, dt, Double.parseDouble(h[3]), Double.parseDouble(h[4]), h[5].equals("1"));
                case "randint" -> g.randint(seg, off, n, dt, Long.parseLong(h[3]), Long.parseLong(h[4]));
                case "bernoulli" -> g.bernoulli(seg, off, n, dt, Double.parseDouble(h[3]));
                default -> throw new IllegalStateException("unknown op " + h[0]);
            }
            String[] want = n == 0 ? new String[0] : op.expected().split(" ");
            assertEquals(n, want.length, where);
            boolean exact = !h[0].equals("normal")
                    || (dt == DType.FLOAT32 && n >= 16 && h[5].equals("1"));  // AVX2 path: pure float arithmetic
            for (int i = 0; i < n; i++) {
                long at = off + (long) i * dt.byteSize();
                if (!dt.isFloatingPoint()) {
                    assertEquals(Long.parseLong(want[i]), Elements.getLong(seg, dt, at), where + " element " + i);
                    continue;
                }
                double expect = decodeFloat(dt, want[i]);
                double got = Elements.getDouble(seg, dt, at);
                if (exact) {
                    assertEquals(expect, got, 0.0, where + " element " + i);
                } else {
                    counts[1]++;
                    if (expect == got) counts[0]++;
                    double ulp16 = dt.byteSize() == 2 ? Math.ulp((float) expect) * (dt == DType.BFLOAT16 ? 65536 : 8192) : 0;
                    double tol = Math.max(1e-6 * Math.max(1, Math.abs(expect)), ulp16);
                    assertTrue(Math.abs(expect - got) <= tol, where + " element " + i + ": expected " + expect + " got " + got);
                }
            }
        }
    }

    static double decodeFloat(DType dt, String hex) {
        long bits = Long.parseUnsignedLong(hex, 16);
        return switch (dt) {
            case FLOAT32 -> Float.intBitsToFloat((int) bits);
            case FLOAT64 -> Double.longBitsToDouble(bits);
            case FLOAT16 -> Float.float16ToFloat((short) bits);
            case BFLOAT16 -> Elements.bfloat16ToFloat((short) bits);
            default -> throw new IllegalArgumentException(dt.toString());
        };
    }

    private static void checkState(byte[] state, String expected, String where) throws Exception {
        String[] p = expected.split(" ");
        HexFormat hex = HexFormat.of();
        assertEquals(5056, state.length, where);
        assertEquals(p[1], hex.formatHex(state, 0, 24), where + " header (seed, left, seeded, next)");
        assertEquals(p[0], hex.formatHex(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(state, 5016))),
                where + " engine state digest");
        // Cached samples: flags exact; the double sample came through libm sin, so allow its last bits.
        byte[] want = hex.parseHex(p[2]);
        ByteBuffer w = ByteBuffer.wrap(want).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer s = ByteBuffer.wrap(state, 5016, 40).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(w.getInt(24), s.getInt(24), where + " cached double valid");
        assertEquals(w.getDouble(8), s.getDouble(8), 1e-12 * Math.max(1, Math.abs(w.getDouble(8))), where + " cached double");
        assertEquals(hex.formatHex(want, 32, 40), hex.formatHex(state, 5048, 5056), where + " cached float");
    }

    private static String join(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : " ").append(v[i]);
        return sb.toString();
    }
}
