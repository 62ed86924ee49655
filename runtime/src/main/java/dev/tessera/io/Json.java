package dev.tessera.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) parser and string quoter for safetensors headers. Objects become
 * {@link LinkedHashMap} (document order; duplicate keys are an error), arrays {@link ArrayList},
 * integers {@link Long} (out-of-range is an error), other numbers {@link Double}, plus String,
 * Boolean and null. Nesting is capped so hostile input cannot overflow the Java stack.
 */
final class Json {
    static final int MAX_DEPTH = 64;

    private final String s;
    private final String source;
    private final long base; // file offset of s.charAt(0), for messages
    private int i;

    private Json(String s, String source, long base) {
        this.s = s;
        this.source = source;
        this.base = base;
    }

    /** Parses a whole document; trailing whitespace is allowed, anything else after the value is not. */
    static Object parse(String text, String source, long base) {
        Json p = new Json(text, source, base);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.i != text.length()) throw p.fail("unexpected trailing characters");
        return v;
    }

    private StateDictFormatException fail(String problem) {
        return new StateDictFormatException(source, base + i, "malformed JSON header: " + problem);
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            i++;
        }
    }

    private Object value(int depth) {
        if (i >= s.length()) throw fail("unexpected end");
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw fail("unexpected character '" + printable(c) + "'");
            }
        };
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) throw fail("expected '" + word + "'");
        i += word.length();
        return v;
    }

    private Map<String, Object> object(int depth) {
        if (depth > MAX_DEPTH) throw fail("nesting deeper than " + MAX_DEPTH);
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (i < s.length() && s.charAt(i) == '}') { i++; return m; }
        while (true) {
            ws();
            if (i >= s.length() || s.charAt(i) != '"') throw fail("expected a string key");
            int keyAt = i;
            String k = string();
            ws();
            expect(':');
            ws();
            Object v = value(depth);
            if (m.containsKey(k)) { i = keyAt; throw fail("duplicate key \"" + k + "\""); }
            m.put(k, v);
            ws();
            if (i < s.length() && s.charAt(i) == ',') { i++; continue; }
            expect('}');
            return m;
        }
    }

    private List<Object> array(int depth) {
        if (depth > MAX_DEPTH) throw fail("nesting deeper than " + MAX_DEPTH);
        i++;
        List<Object> l = new ArrayList<>();
        ws();
        if (i < s.length() && s.charAt(i) == ']') { i++; return l; }
        while (true) {
            ws();
            l.add(value(depth));
            ws();
            if (i < s.length() && s.charAt(i) == ',') { i++; continue; }
            expect(']');
            return l;
        }
    }

    private void expect(char c) {
        if (i >= s.length() || s.charAt(i) != c) throw fail("expected '" + c + "'");
        i++;
    }

    private String string() {
        i++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) throw fail("unterminated string");
            char c = s.charAt(i++);
            if (c == '"') return sb.toString();
            if (c < 0x20) { i--; throw fail("control character in string"); }
            if (c != '\\') { sb.append(c); continue; }
            if (i >= s.length()) throw fail("unterminated escape");
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) throw fail("truncated \\u escape");
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(s.charAt(i + k), 16);
                        if (d < 0) throw fail("bad hex digit in \\u escape");
                        cp = cp * 16 + d;
                    }
                    i += 4;
                    sb.append((char) cp);
                }
                default -> { i--; throw fail("bad escape '\\" + printable(e) + "'"); }
            }
        }
    }

    private Object number() {
        int start = i;
        if (s.charAt(i) == '-') i++;
        if (i >= s.length()) throw fail("bad number");
        if (s.charAt(i) == '0') i++;
        else if (s.charAt(i) >= '1' && s.charAt(i) <= '9') digits();
        else throw fail("bad number");
        boolean integral = true;
        if (i < s.length() && s.charAt(i) == '.') { i++; integral = false; if (digits() == 0) throw fail("digits expected after '.'"); }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            integral = false;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            if (digits() == 0) throw fail("digits expected in exponent");
        }
        String text = s.substring(start, i);
        if (!integral) return Double.parseDouble(text);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            i = start;
            throw fail("integer " + text + " out of range");
        }
    }

    private int digits() {
        int n = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') { i++; n++; }
        return n;
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    /** A JSON string literal for {@code v}, escaping quotes, backslashes and control characters. */
    static String quote(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 2).append('"');
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
