package dev.tessera.bindings.headers;

import java.util.ArrayList;
import java.util.List;

/** C tokens: identifiers, numbers, string and character literals, punctuators. */
final class CLexer {
    /** Stands for the "(" that directly follows a macro's name in #define NAME(params). */
    static final String TOUCHING_PAREN = "<(>";
    private static final List<String> PUNCT = List.of("...", "<<=", ">>=", "##", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "->",
            "++", "--", "+=", "-=", "*=", "/=", "|=", "&=", "^=", "%=", "::");

    private CLexer() {}

    static boolean isIdentifier(String s) {
        return !s.isEmpty() && (Character.isLetter(s.charAt(0)) || s.charAt(0) == '_');
    }

    static List<String> tokens(String s) { return tokens(s, false); }

    /** With {@code define}, the "(" that touches the first identifier becomes {@link #TOUCHING_PAREN}. */
    static List<String> tokens(String s, boolean define) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                out.add(s.substring(i, j));
                if (define && out.size() == 1 && j < n && s.charAt(j) == '(') {
                    out.add(TOUCHING_PAREN);
                    j++;
                }
                i = j;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.' || s.charAt(j) == '_'
                        || ((s.charAt(j) == '+' || s.charAt(j) == '-') && "eEpP".indexOf(s.charAt(j - 1)) >= 0
                        && !s.substring(i, j).startsWith("0x")))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && s.charAt(j) != c) j += s.charAt(j) == '\\' ? 2 : 1;
                out.add(s.substring(i, Math.min(j + 1, n)));
                i = j + 1;
            } else {
                String p = String.valueOf(c);
                for (String q : PUNCT) {
                    if (s.startsWith(q, i)) {
                        p = q;
                        break;
                    }
                }
                out.add(p);
                i += p.length();
            }
        }
        return out;
    }

    /** Removes comments, keeping line structure (a block comment's newlines stay) and string literals. */
    static String stripComments(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') j += s.charAt(j) == '\\' ? 2 : 1;
                j = Math.min(j, n - 1);
                b.append(s, i, j + 1);
                i = j;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') i++;
                if (i < n) b.append('\n');
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) end = n - 2;
                for (int k = i; k < end; k++) if (s.charAt(k) == '\n') b.append('\n');
                b.append(' ');
                i = end + 1;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
