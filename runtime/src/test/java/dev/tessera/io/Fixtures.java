package dev.tessera.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.tensor.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The golden files of scripts/golden/gen_state_dicts.py and the checks against their expectations. */
final class Fixtures {
    private Fixtures() {}

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/golden/io/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource /golden/io/" + name, e);
        }
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One expectation line: key dtype shape stride offset requires_grad storage_group values. */
    record Expected(String key, DType dtype, long[] shape, long[] stride, long offset, boolean requiresGrad, int group, String[] values) {}

    static List<Expected> expectations(String name) {
        List<Expected> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(path(name))) {
                if (line.isEmpty()) continue;
                String[] f = line.split("\t", -1);
                out.add(new Expected(f[0], DType.fromName(f[1]), longs(f[2]), longs(f[3]), Long.parseLong(f[4]),
                        Boolean.parseBoolean(f[5]), Integer.parseInt(f[6]), f[7].isEmpty() ? new String[0] : f[7].split(" ")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static long[] longs(String csv) {
        return csv.isEmpty() ? new long[0] : Arrays.stream(csv.split(",")).mapToLong(Long::parseLong).toArray();
    }

    /** Checks every tensor against PyTorch's: metadata, exact values and which entries share storage. */
    static void check(List<Expected> expected, Map<String, Tensor> actual, boolean checkGeometry) {
        assertEquals(expected.stream().map(Expected::key).sorted().toList(), actual.keySet().stream().sorted().toList());
        Map<Integer, Storage> groups = new HashMap<>();
        for (Expected e : expected) {
            Tensor t = actual.get(e.key);
            String k = e.key;
            assertEquals(e.dtype, t.dtype(), k);
            assertArrayEquals(e.shape, t.shapeArray(), k);
            if (checkGeometry) {
                assertArrayEquals(e.stride, t.stride(), k);
                assertEquals(e.offset, t.storageOffset(), k);
                Storage s = groups.putIfAbsent(e.group, t.storage());
                if (s != null) assertSame(s, t.storage(), k + " shares storage");
                else assertTrue(groups.values().stream().filter(x -> x == t.storage()).count() == 1, k + " has its own storage");
            }
            assertEquals(e.requiresGrad, t.requiresGrad(), k);
            assertEquals(e.values.length, t.numel(), k);
            if (e.dtype.isFloatingPoint()) {
                double[] v = t.detach().toDoubleArray();
                for (int i = 0; i < v.length; i++) assertEquals(Double.parseDouble(e.values[i]), v[i], 0.0, k + "[" + i + "]");
            } else {
                long[] v = t.toLongArray();
                for (int i = 0; i < v.length; i++) assertEquals(Long.parseLong(e.values[i]), v[i], k + "[" + i + "]");
            }
        }
    }
}
