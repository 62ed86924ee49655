package dev.tessera.bindings.headers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Just enough of a C preprocessor to read the CUDA, cuBLAS, cuRAND and NCCL headers as a 64-bit Linux C
 * compiler (gcc, not C++, not nvcc) sees them: comments, line splices, #include (headers missing from
 * the include directories, i.e. the C library's, are skipped), object- and function-like macros with
 * # and ##, and #if/#ifdef/#elif/#else/#endif with integer expressions. Its output is the active
 * declarations as tokens, macros expanded.
 */
final class CPreprocessor {
    record Macro(String name, List<String> params, List<String> body) {
        boolean functionLike() { return params != null; }
    }

    private final List<Path> includeDirs;
    private final Map<String, Macro> macros = new HashMap<>();
    private final List<String> out = new ArrayList<>();
    private final List<String> pending = new ArrayList<>();
    private final Set<Path> including = new HashSet<>();

    CPreprocessor(List<Path> includeDirs) {
        this.includeDirs = includeDirs;
        for (String predefined : List.of("__linux__ 1", "__linux 1", "__unix__ 1", "__LP64__ 1", "_LP64 1", "__GNUC__ 9",
                "__GNUC_MINOR__ 0", "__STDC__ 1", "__STDC_VERSION__ 201112L", "__SIZEOF_POINTER__ 8", "__CHAR_BIT__ 8",
                System.getProperty("os.arch", "").equals("aarch64") ? "__aarch64__ 1" : "__x86_64__ 1")) {
            define(CLexer.tokens(predefined));
        }
    }

    /** Reads a header (found in the include directories) and everything it includes. */
    List<String> run(String header) throws IOException {
        Path p = find(header, null);
        if (p == null) throw new IOException(header + " not found in " + includeDirs);
        file(p);
        flush();
        return out;
    }

    Map<String, Macro> macros() { return macros; }

    /** A -D option: "NAME" defines it as 1, "NAME=" as nothing, "NAME=value" as value. */
    void define(String option) {
        int eq = option.indexOf('=');
        define(CLexer.tokens(eq < 0 ? option + " 1" : option.substring(0, eq) + " " + option.substring(eq + 1), true));
    }

    private Path find(String name, Path from) {
        if (from != null && Files.isRegularFile(from.resolveSibling(name))) return from.resolveSibling(name);
        for (Path d : includeDirs) if (Files.isRegularFile(d.resolve(name))) return d.resolve(name);
        return null;
    }

    private void file(Path path) throws IOException {
        if (!including.add(path.toAbsolutePath().normalize())) return; // a header including itself again: guards make it empty
        try {
            String text = CLexer.stripComments(Files.readString(path).replace("\r", "").replace("\\\n", " "));
            Deque<boolean[]> conds = new ArrayDeque<>(); // {active, taken}
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                boolean active = conds.isEmpty() || conds.peek()[0];
                if (!line.startsWith("#")) {
                    if (active) pending.addAll(CLexer.tokens(line));
                    continue;
                }
                List<String> t = CLexer.tokens(line.substring(1));
                if (t.isEmpty()) continue;
                String d = t.get(0);
                List<String> rest = t.subList(1, t.size());
                switch (d) {
                    case "if", "ifdef", "ifndef" -> {
                        boolean v = active && (d.equals("if") ? eval(rest) : macros.containsKey(rest.get(0)) == d.equals("ifdef"));
                        conds.push(new boolean[] {v, v, active});
                    }
                    case "elif" -> {
                        boolean[] c = conds.peek();
                        boolean parent = c.length > 2 && c[2];
                        c[0] = parent && !c[1] && eval(rest);
                        c[1] |= c[0];
                    }
                    case "else" -> {
                        boolean[] c = conds.peek();
                        c[0] = c[2] && !c[1];
                        c[1] = true;
                    }
                    case "endif" -> conds.pop();
                    case "define" -> {
                        if (active) {
                            flush();
                            define(CLexer.tokens(line.substring(line.indexOf("define") + 6), true));
                        }
                    }
                    case "undef" -> {
                        if (active) {
                            flush();
                            macros.remove(rest.get(0));
                        }
                    }
                    case "include" -> {
                        if (active) {
                            flush();
                            String name = line.replaceFirst("^#\\s*include\\s*[<\"]([^>\"]+)[>\"].*$", "$1");
                            Path inc = find(name, path);
                            if (inc != null) file(inc);
                        }
                    }
                    default -> { } // #pragma, #error in inactive code, #line: nothing a declaration needs
                }
            }
        } finally {
            including.remove(path.toAbsolutePath().normalize());
        }
    }

    /** Expands the text read since the last directive with the macros defined so far. */
    private void flush() {
        out.addAll(expand(pending, Set.of()));
        pending.clear();
    }

    /** tokens after "define": NAME body, or NAME( params ) body when "(" touches the name (marked by CLexer). */
    private void define(List<String> t) {
        String name = t.get(0);
        if (t.size() > 1 && t.get(1).equals(CLexer.TOUCHING_PAREN)) {
            int close = t.indexOf(")");
            List<String> params = new ArrayList<>();
            for (String p : t.subList(2, close)) if (!p.equals(",")) params.add(p);
            macros.put(name, new Macro(name, params, List.copyOf(t.subList(close + 1, t.size()))));
        } else {
            macros.put(name, new Macro(name, null, List.copyOf(t.subList(1, t.size()))));
        }
    }

    List<String> expand(List<String> in, Set<String> hidden) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String tok = in.get(i);
            Macro m = hidden.contains(tok) ? null : macros.get(tok);
            if (m == null) {
                result.add(tok);
                continue;
            }
            Set<String> h = new HashSet<>(hidden);
            h.add(tok);
            if (!m.functionLike()) {
                result.addAll(expand(m.body(), h));
                continue;
            }
            if (i + 1 >= in.size() || !in.get(i + 1).equals("(")) {
                result.add(tok);
                continue;
            }
            List<List<String>> args = new ArrayList<>();
            List<String> cur = new ArrayList<>();
            int depth = 0;
            int j = i + 2;
            for (; j < in.size(); j++) {
                String a = in.get(j);
                if (depth == 0 && a.equals(")")) break;
                if (depth == 0 && a.equals(",")) {
                    args.add(cur);
                    cur = new ArrayList<>();
                    continue;
                }
                if (a.equals("(")) depth++;
                if (a.equals(")")) depth--;
                cur.add(a);
            }
            args.add(cur);
            result.addAll(expand(substitute(m, args, h), h));
            i = j;
        }
        return result;
    }

    private List<String> substitute(Macro m, List<List<String>> args, Set<String> hidden) {
        List<String> body = m.body();
        List<String> s = new ArrayList<>();
        for (int k = 0; k < body.size(); k++) {
            String b = body.get(k);
            int p = m.params().indexOf(b);
            if (b.equals("#") && k + 1 < body.size() && m.params().contains(body.get(k + 1))) {
                s.add("\"" + String.join(" ", arg(args, m.params().indexOf(body.get(++k)))) + "\"");
            } else if (p >= 0) {
                boolean pasted = (k > 0 && body.get(k - 1).equals("##")) || (k + 1 < body.size() && body.get(k + 1).equals("##"));
                s.addAll(pasted ? arg(args, p) : expand(arg(args, p), hidden));
            } else {
                s.add(b);
            }
        }
        for (int k = s.indexOf("##"); k > 0 && k + 1 < s.size(); k = s.indexOf("##")) {
            s.set(k - 1, s.get(k - 1) + s.get(k + 1));
            s.remove(k + 1);
            s.remove(k);
        }
        return s;
    }

    private static List<String> arg(List<List<String>> args, int p) { return p < args.size() ? args.get(p) : List.of(); }

    /** An #if expression: defined(X), macros, integers; identifiers left over are 0, as in C. */
    boolean eval(List<String> expr) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < expr.size(); i++) {
            if (expr.get(i).equals("defined")) {
                boolean paren = expr.get(i + 1).equals("(");
                String name = expr.get(paren ? i + 2 : i + 1);
                t.add(macros.containsKey(name) ? "1" : "0");
                i += paren ? 3 : 1;
            } else {
                t.add(expr.get(i));
            }
        }
        List<String> e = expand(t, Set.of());
        List<String> clean = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            String s = e.get(i);
            if (CLexer.isIdentifier(s)) {
                if (i + 1 < e.size() && e.get(i + 1).equals("(")) { // __has_include(...) and the like: 0
                    int depth = 0;
                    do {
                        i++;
                        if (e.get(i).equals("(")) depth++;
                        if (e.get(i).equals(")")) depth--;
                    } while (depth > 0);
                }
                clean.add("0");
            } else {
                clean.add(s);
            }
        }
        return new CExpression(clean, Map.of()).value() != 0;
    }
}
