package dev.tessera.bindings.headers;

import java.util.List;
import java.util.Map;

/**
 * An integer constant expression (for #if and enum values), evaluated with C's precedence over
 * 64-bit integers. Identifiers take their value from {@code names} (enum constants seen so far); an
 * unknown one is an error, so a value the reader cannot work out is never guessed.
 */
final class CExpression {
    private final List<String> t;
    private final Map<String, Long> names;
    private int i;

    CExpression(List<String> tokens, Map<String, Long> names) {
        this.t = tokens;
        this.names = names;
    }

    long value() {
        long v = ternary();
        if (i != t.size()) throw new IllegalArgumentException("cannot evaluate " + String.join(" ", t));
        return v;
    }

    private String peek() { return i < t.size() ? t.get(i) : ""; }

    private boolean eat(String s) {
        if (peek().equals(s)) {
            i++;
            return true;
        }
        return false;
    }

    private long ternary() {
        long c = binary(0);
        if (eat("?")) {
            long a = ternary();
            if (!eat(":")) throw new IllegalArgumentException("missing ':' in " + String.join(" ", t));
            long b = ternary();
            return c != 0 ? a : b;
        }
        return c;
    }

    private static final List<List<String>> LEVELS = List.of(List.of("||"), List.of("&&"), List.of("|"), List.of("^"), List.of("&"),
            List.of("==", "!="), List.of("<", "<=", ">", ">="), List.of("<<", ">>"), List.of("+", "-"), List.of("*", "/", "%"));

    private long binary(int level) {
        if (level == LEVELS.size()) return unary();
        long v = binary(level + 1);
        while (LEVELS.get(level).contains(peek())) {
            String op = t.get(i++);
            long r = binary(level + 1);
            v = switch (op) {
                case "||" -> (v != 0 || r != 0) ? 1 : 0;
                case "&&" -> (v != 0 && r != 0) ? 1 : 0;
                case "|" -> v | r;
                case "^" -> v ^ r;
                case "&" -> v & r;
                case "==" -> v == r ? 1 : 0;
                case "!=" -> v != r ? 1 : 0;
                case "<" -> v < r ? 1 : 0;
                case "<=" -> v <= r ? 1 : 0;
                case ">" -> v > r ? 1 : 0;
                case ">=" -> v >= r ? 1 : 0;
                case "<<" -> v << r;
                case ">>" -> v >> r;
                case "+" -> v + r;
                case "-" -> v - r;
                case "*" -> v * r;
                case "/" -> r == 0 ? 0 : v / r;
                default -> r == 0 ? 0 : v % r;
            };
        }
        return v;
    }

    private long unary() {
        if (eat("!")) return unary() == 0 ? 1 : 0;
        if (eat("~")) return ~unary();
        if (eat("-")) return -unary();
        if (eat("+")) return unary();
        if (eat("(")) {
            // a cast such as (int) or (unsigned int) is skipped; anything else is a parenthesised expression
            int save = i;
            while (i < t.size() && List.of("int", "unsigned", "long", "signed", "short", "char").contains(peek())) i++;
            if (i > save && eat(")")) return unary();
            i = save;
            long v = ternary();
            if (!eat(")")) throw new IllegalArgumentException("missing ')' in " + String.join(" ", t));
            return v;
        }
        String tok = peek();
        i++;
        if (names.containsKey(tok)) return names.get(tok);
        if (tok.startsWith("'") && tok.length() >= 3) return tok.charAt(1);
        return literal(tok, t);
    }

    static long literal(String tok, List<String> context) {
        String s = tok.toLowerCase().replaceAll("[ul]+$", "");
        try {
            if (s.startsWith("0x")) return Long.parseUnsignedLong(s.substring(2), 16);
            if (s.length() > 1 && s.startsWith("0")) return Long.parseLong(s.substring(1), 8);
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot evaluate '" + tok + "' in " + String.join(" ", context), e);
        }
    }
}
