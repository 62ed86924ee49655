package dev.tessera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tessera.tensor.Elements;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the PyTorch 1.13 cases of scripts/golden/gen_ops.py through the Java API: result dtype,
 * shape and values (exact for integers, bools and + - * / ; a few ulps for transcendental functions;
 * a small relative error for float reductions), strides/offset/sharing for views, and error messages.
 */
class TensorOpsGoldenTest {
    private static final String FIXTURE = "/golden/ops/ops.jsonl";
    /** View-flagged ops whose result is a copy rather than a view of input 0. */
    private static final Set<String> COPIES = Set.of("contiguous_t", "reshape_t");
    /** Cases skipped with the reason; each names a difference left for the owner of that code. */
    private static final Map<String, String> KNOWN_DEVIATIONS = Map.of();

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() throws IOException {
        List<Map<String, Object>> cases = GoldenJson.readLines(FIXTURE);
        assertTrue(cases.size() >= 300, "expected at least 300 golden cases, found " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> check(c)));
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> c) {
        String id = (String) c.get("id");
        List<Tensor> in = new ArrayList<>();
        for (Object t : (List<Object>) c.get("inputs")) in.add(tensorOf((Map<String, Object>) t));
        List<Object> args = (List<Object>) c.get("args");
        Map<String, Object> expect = (Map<String, Object>) c.get("expect");
        String op = (String) c.get("op");
        Assumptions.assumeFalse(KNOWN_DEVIATIONS.containsKey(id), () -> id + ": " + KNOWN_DEVIATIONS.get(id));
        if (expect.containsKey("error")) {
            String message = (String) expect.get("error");
            try {
                Tensor r = GoldenOps.apply(op, in, args);
                fail(id + ": expected an error \"" + message + "\" but got " + r);
            } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException | UnsupportedOperationException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains(message),
                        id + ": expected message containing\n  " + message + "\nbut was\n  " + e.getMessage());
            }
            return;
        }
        Tensor r = GoldenOps.apply(op, in, args);
        Map<String, Object> want = expect;
        assertEquals(DType.fromName((String) want.get("dtype")), r.dtype(), id + ": dtype");
        assertArrayEquals(longs(want.get("shape")), r.shapeArray(), id + ": shape");
        if (want.containsKey("stride")) {
            assertArrayEquals(longs(want.get("stride")), r.strideArray(), id + ": stride");
            assertEquals(Long.parseLong((String) want.get("offset")), r.storageOffset(), id + ": storage offset");
            if (!COPIES.contains(op)) assertSame(in.get(0).storage(), r.storage(), id + ": a view must share storage");
        }
        compareValues(id, (List<Object>) want.get("values"), r, (String) c.get("tol"));
    }

    private static void compareValues(String id, List<Object> want, Tensor r, String tol) {
        assertEquals(want.size(), r.numel(), id + ": numel");
        if (!r.dtype().isFloatingPoint()) {
            long[] got = r.toLongArray();
            for (int i = 0; i < got.length; i++) assertEquals(Long.parseLong((String) want.get(i)), got[i], id + ": element " + i);
            return;
        }
        double[] got = r.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            double w = parseDouble((String) want.get(i));
            double g = got[i];
            if (Double.isNaN(w) || Double.isNaN(g) || Double.isInfinite(w)) {
                assertEquals(w, g, id + ": element " + i);
                continue;
            }
            double allowed = switch (tol) {
                case "exact" -> 0;
                // results in the subnormal range may be flushed by PyTorch's float arithmetic (sigmoid(-100) = 0)
                case "ulp" -> Math.max(4 * ulp(r.dtype(), w), r.dtype() == DType.FLOAT64 ? 0 : Float.MIN_NORMAL);
                case "rel" -> relTol(r.dtype()) * Math.max(1, Math.abs(w));
                default -> throw new IllegalArgumentException("unknown tolerance " + tol);
            };
            if (Math.abs(g - w) > allowed) fail(id + ": element " + i + " expected " + w + " but was " + g + " (tol " + tol + ")");
        }
    }

    /** One unit in the last place of w in the given float format. */
    private static double ulp(DType t, double w) {
        return switch (t) {
            case FLOAT64 -> Math.ulp(w);
            case FLOAT32 -> Math.ulp((float) w);
            case FLOAT16 -> Math.max(Math.ulp((float) w) * 8192, 0x1p-24);
            case BFLOAT16 -> Math.max(Math.ulp((float) w) * 65536, 0x1p-133);
            default -> 0;
        };
    }

    private static double relTol(DType t) {
        return switch (t) {
            case FLOAT64 -> 1e-12;
            case FLOAT32 -> 2e-6;
            default -> 1e-2;
        };
    }

    static double parseDouble(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    @SuppressWarnings("unchecked")
    static long[] longs(Object list) {
        List<Object> l = (List<Object>) list;
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = Long.parseLong((String) l.get(i));
        return out;
    }

    /** A contiguous tensor holding the fixture's exact values. */
    @SuppressWarnings("unchecked")
    static Tensor tensorOf(Map<String, Object> spec) {
        DType dtype = DType.fromName((String) spec.get("dtype"));
        Tensor t = Torch.empty(longs(spec.get("shape")), dtype);
        List<Object> values = (List<Object>) spec.get("values");
        for (int i = 0; i < values.size(); i++) {
            String v = (String) values.get(i);
            long off = (long) i * dtype.byteSize();
            if (dtype.isFloatingPoint()) Elements.setDouble(t.storage().segment(), dtype, off, parseDouble(v));
            else Elements.setLong(t.storage().segment(), dtype, off, Long.parseLong(v));
        }
        return t;
    }
}
