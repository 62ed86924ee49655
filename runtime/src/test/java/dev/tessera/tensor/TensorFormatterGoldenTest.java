package dev.tessera.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        InputStream in = TensorFormatterGoldenTest.class.getResourceAsStream(FIXTURE);
        if (in == null) throw new IllegalStateException("missing test resource " + FIXTURE);
        List<Map<String, Object>> cases = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                @SuppressWarnings("unchecked")
                Map<String, Object> c = (Map<String, Object>) new MiniJson(line).value();
                cases.add(c);
            }
        }
        return cases;
    }

    /** Just enough JSON for the fixtures: objects, arrays, strings, null; numbers kept as their text. */
    private static final class MiniJson {
        private final String s;
        private int pos;

        MiniJson(String s) { this.s = s; }

        Object value() {
            skipSpace();
            char ch = s.charAt(pos);
            if (ch == '{') return object();
            if (ch == '[') return array();
            if (ch == '"') return string();
            if (s.startsWith("null", pos)) { pos += 4; return null; }
            int start = pos;
            while (pos < s.length() && "-+.eE0123456789".indexOf(s.charAt(pos)) >= 0) pos++;
            if (start == pos) throw new IllegalArgumentException("bad JSON at " + pos + ": " + s);
            return s.substring(start, pos);
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (s.charAt(pos) == '}') { pos++; return m; }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                m.put(key, value());
                skipSpace();
                if (s.charAt(pos++) == '}') return m;
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (s.charAt(pos) == ']') { pos++; return list; }
            while (true) {
                list.add(value());
                skipSpace();
                if (s.charAt(pos++) == ']') return list;
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char ch = s.charAt(pos++);
                if (ch == '"') return sb.toString();
                if (ch != '\\') { sb.append(ch); continue; }
                char esc = s.charAt(pos++);
                switch (esc) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'u' -> { sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16)); pos += 4; }
                    default -> sb.append(esc);  // \" \\ \/
                }
            }
        }

        private void expect(char ch) {
            if (s.charAt(pos) != ch) throw new IllegalArgumentException("expected '" + ch + "' at " + pos + ": " + s);
            pos++;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }
    }
}
