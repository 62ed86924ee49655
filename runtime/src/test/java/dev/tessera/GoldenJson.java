package dev.tessera;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Just enough JSON for the golden fixtures: objects, arrays, strings, null; numbers kept as their text. */
public final class GoldenJson {
    /** Reads a JSON-lines test resource into one map per non-blank line. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> readLines(String resource) throws IOException {
        InputStream in = GoldenJson.class.getResourceAsStream(resource);
        if (in == null) throw new IllegalStateException("missing test resource " + resource);
        List<Map<String, Object>> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) if (!line.isBlank()) out.add((Map<String, Object>) new GoldenJson(line).value());
        }
        return out;
    }

    private final String s;
    private int pos;

    GoldenJson(String s) { this.s = s; }

    Object value() {
        skipSpace();
        char ch = s.charAt(pos);
        if (ch == '{') return object();
        if (ch == '[') return array();
        if (ch == '"') return string();
        if (s.startsWith("null", pos)) { pos += 4; return null; }
        if (s.startsWith("true", pos)) { pos += 4; return Boolean.TRUE; }
        if (s.startsWith("false", pos)) { pos += 5; return Boolean.FALSE; }
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
