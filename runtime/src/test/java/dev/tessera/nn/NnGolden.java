package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The PyTorch fixtures of scripts/golden/gen_nn.py: named tensors and strings. */
public final class NnGolden {
    private static NnGolden instance;
    private final Map<String, String[]> tensors = new HashMap<>();
    private final Map<String, String> strings = new HashMap<>();

    public static synchronized NnGolden get() {
        if (instance == null) instance = new NnGolden("/golden/nn/nn.txt");
        return instance;
    }

    private NnGolden(String resource) {
        InputStream in = NnGolden.class.getResourceAsStream(resource);
        if (in == null) throw new IllegalStateException("missing test resource " + resource);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("s ")) {
                    int sp = line.indexOf(' ', 2);
                    strings.put(line.substring(2, sp), line.substring(sp + 1).replace("\\n", "\n"));
                } else if (line.startsWith("t ")) {
                    String[] parts = line.split(" ");
                    tensors.put(parts[1], parts);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String str(String name) {
        String s = strings.get(name);
        if (s == null) throw new IllegalArgumentException("no golden string " + name);
        return s;
    }

    /** A fresh tensor with the stored dtype, shape and values. */
    public Tensor tensor(String name) {
        String[] p = tensors.get(name);
        if (p == null) throw new IllegalArgumentException("no golden tensor " + name);
        DType dt = switch (p[2]) {
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            case "int64" -> DType.INT64;
            default -> throw new IllegalArgumentException(p[2]);
        };
        long[] shape = p[3].equals("scalar") ? new long[0] : java.util.Arrays.stream(p[3].split(",")).mapToLong(Long::parseLong).toArray();
        int n = p.length - 4;
        Tensor t;
        if (dt == DType.INT64) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) v[i] = Long.parseLong(p[4 + i]);
            t = Torch.tensor(v);
        } else if (dt == DType.FLOAT32) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = Float.parseFloat(p[4 + i]);
            t = Torch.tensor(v);
        } else {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = Double.parseDouble(p[4 + i]);
            t = Torch.tensor(v);
        }
        return t.reshape(shape).contiguous().clone();
    }

    /** A stored float tensor as a leaf requiring grad. */
    public Tensor leaf(String name) { return tensor(name).requiresGrad_(true); }

    /** Same shape, dtype and values within rtol 1e-5 (plus atol 1e-6 for values near zero). */
    public static void assertClose(String what, Tensor expected, Tensor actual) { assertClose(what, expected, actual, 1e-5, 1e-6); }

    public static void assertClose(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        assertArrayEquals(expected.shapeArray(), actual.shapeArray(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
                throw new AssertionError(what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
            }
        }
    }

    /** Bit-identical values (same dtype and shape). */
    public static void assertExact(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shapeArray(), actual.shapeArray(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), what);
    }

    public void close(String name, Tensor actual) { assertClose(name, tensor(name), actual); }
}
