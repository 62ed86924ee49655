package dev.tessera.numpy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.DType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** toString() against NumPy's str(), from goldens written by scripts/golden/numpy_str.py. */
class NDArrayStringTest {

    @TestFactory
    List<DynamicTest> matchesNumpyStr() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (var in = getClass().getResourceAsStream("/golden/numpy/str_cases.tsv");
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                String expected = f[3].replace("\\n", "\n");
                int id = n++;
                tests.add(DynamicTest.dynamicTest("case " + id + " " + f[0] + " (" + f[1] + ")", () -> {
                    NDArray a = build(f[0], f[1], f[2]);
                    assertEquals(expected, a.toString(), () -> "values " + abbreviate(f[2]));
                }));
            }
        }
        return tests;
    }

    static NDArray build(String descr, String shapeText, String spec) {
        DType t = Npy.parseDescr(descr, new boolean[1], "golden");
        long[] shape = shapeText.isEmpty() ? new long[0] : Arrays.stream(shapeText.split(",")).mapToLong(Long::parseLong).toArray();
        NDArray a = NDArray.empty(t, shape);
        String[] tok = spec.split(" ");
        long[] idx = new long[shape.length];
        for (long k = 0; k < a.size(); k++) {
            if (tok[0].equals("V")) {
                String v = tok[(int) k + 1];
                if (t.isFloatingPoint()) a.setDouble(parse(v), idx);
                else a.setLong(Long.parseLong(v), idx);
            } else {
                double v = k * Double.parseDouble(tok[2]) + Double.parseDouble(tok[3]);
                if (t.isFloatingPoint()) a.setDouble(v, idx);
                else a.setLong((long) v, idx);
            }
            a.increment(idx);
        }
        return a;
    }

    private static double parse(String v) {
        return switch (v) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @Test
    void seedTutorialLines() {
        NDArray n = NDArray.ones(5);
        assertEquals("[1. 1. 1. 1. 1.]", n.toString());
        for (long i = 0; i < 5; i++) n.setDouble(2, i);
        assertEquals("[2. 2. 2. 2. 2.]", n.toString());
        assertEquals("[0.1 0.2]", NDArray.of(0.1, 0.2).toString());
    }
}
