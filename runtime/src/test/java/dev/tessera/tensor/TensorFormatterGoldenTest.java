package dev.tessera.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Compares TensorFormatter.repr with PyTorch 1.13's repr() on the cases of scripts/golden/gen_repr.py. */
class TensorFormatterGoldenTest {
    private static final String FIXTURE = "/golden/repr/repr_cases.jsonl";

    @TestFactory
    Stream<DynamicTest> matchesPyTorchRepr() throws IOException {
        List<Map<String, Object>> cases = readCases();
        assertTrue(cases.size() >= 60, "expected at least 60 golden cases, found " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> check(c)));
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> c) {
        String id = (String) c.get("id");
        List<Object> dims = (List<Object>) c.get("shape");
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = Long.parseLong((String) dims.get(i));
        DType dtype = DType.fromName((String) c.get("dtype"));
        String values = (String) c.get("values");
        String[] tokens = values.isEmpty() ? new String[0] : values.split(" ");
        double[] doubles = new double[tokens.length];
        long[] longs = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            if (dtype.isFloatingPoint()) doubles[i] = parseFloat(tokens[i], dtype);
            else longs[i] = Long.parseLong(tokens[i]);
        }
        TensorFormatter.Reader reader = new TensorFormatter.Reader() {
            @Override public double getDouble(long i) {
                if (!dtype.isFloatingPoint()) throw new AssertionError(id + ": getDouble on " + dtype);
                return doubles[Math.toIntExact(i)];
            }

            @Override public long getLong(long i) {
                if (dtype.isFloatingPoint()) throw new AssertionError(id + ": getLong on " + dtype);
                return longs[Math.toIntExact(i)];
            }
        };
        List<String> grad = new ArrayList<>();
        for (Object g : (List<Object>) c.get("grad")) grad.add((String) g);
        String actual = TensorFormatter.repr(shape, dtype, reader, (String) c.get("device"), grad);
        assertEquals(c.get("expected"), actual, "case " + id);
    }

    /** float64 fixtures hold repr(float); narrower floats the shortest float32 string, parsed as float. */
    private static double parseFloat(String s, DType dtype) {
        switch (s) {
            case "nan": return Double.NaN;
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default: return dtype == DType.FLOAT64 ? Double.parseDouble(s) : Float.parseFloat(s);
        }
    }

    private static List<Map<String, Object>> readCases() throws IOException {
        return dev.tessera.GoldenJson.readLines(FIXTURE);
    }
}
