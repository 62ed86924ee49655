package dev.tessera.vision;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the fixtures of scripts/golden/gen_resnet.py. */
final class ResNetGolden {
    private ResNetGolden() {}

    static List<String> lines(String name) {
        InputStream in = ResNetGolden.class.getResourceAsStream("/golden/vision/" + name);
        if (in == null) throw new IllegalStateException("missing fixture /golden/vision/" + name + "; run scripts/golden/gen_resnet.py");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> out = new ArrayList<>();
            for (String l; (l = r.readLine()) != null; ) if (!l.isBlank()) out.add(l);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** resnet18.txt as name -> values; a name is "kind" or "kind key" (everything before the first number). */
    static Map<String, double[]> values() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String l : lines("resnet18.txt")) {
            String[] tok = l.split(" ");
            int first = 1;
            while (first < tok.length && !isNumber(tok[first])) first++;
            double[] v = new double[tok.length - first];
            for (int i = first; i < tok.length; i++) v[i - first] = Double.parseDouble(tok[i]);
            out.put(String.join(" ", java.util.Arrays.copyOfRange(tok, 0, first)), v);
        }
        return out;
    }

    private static boolean isNumber(String s) {
        char c = s.charAt(0);
        return Character.isDigit(c) || c == '-' || s.equals("nan") || s.equals("inf");
    }
}
