package dev.tessera.bindings.headers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The declarations of a C header as a 64-bit Linux C compiler reads them: function prototypes,
 * typedefs, enum constants, struct sizes and integer macros, with every type reducible to the
 * {@link #kind kind} of value the platform ABI passes (I8, I16, I32, I64, F32, F64, PTR, VOID or
 * STRUCT(n bytes)).
 */
public final class CHeader {
    /** A prototype: name, return type and parameter types as written (names removed). */
    public record Prototype(String name, List<String> returnType, List<List<String>> params, boolean varargs) {
        public String text() {
            List<String> ps = params.stream().map(p -> String.join(" ", p)).toList();
            return String.join(" ", returnType) + " " + name + "(" + String.join(", ", ps) + (varargs ? ", ..." : "") + ")";
        }
    }

    private static final Set<String> QUALIFIERS = Set.of("const", "volatile", "restrict", "__restrict", "__restrict__", "extern",
            "static", "inline", "__inline", "__inline__", "__extension__", "register");
    private static final Set<String> BUILTIN = Set.of("void", "char", "short", "int", "long", "float", "double", "signed", "unsigned",
            "_Bool", "bool");
    private static final Map<String, String> STD_TYPES = Map.ofEntries(Map.entry("size_t", "I64"), Map.entry("ssize_t", "I64"),
            Map.entry("ptrdiff_t", "I64"), Map.entry("intptr_t", "I64"), Map.entry("uintptr_t", "I64"), Map.entry("int64_t", "I64"),
            Map.entry("uint64_t", "I64"), Map.entry("int32_t", "I32"), Map.entry("uint32_t", "I32"), Map.entry("int16_t", "I16"),
            Map.entry("uint16_t", "I16"), Map.entry("int8_t", "I8"), Map.entry("uint8_t", "I8"), Map.entry("wchar_t", "I32"));

    private final Map<String, Prototype> functions = new LinkedHashMap<>();
    private final Map<String, List<String>> typedefs = new HashMap<>();
    private final Map<String, Long> constants = new LinkedHashMap<>();
    private final Map<String, Long> structSizes = new HashMap<>();
    private final Map<String, Long> structAligns = new HashMap<>();
    private final Set<String> enumTags = new java.util.HashSet<>();
    private final CPreprocessor pp;

    private CHeader(CPreprocessor pp) { this.pp = pp; }

    /** Reads {@code header} from the first of {@code includeDirs} that has it (and its includes from all of them). */
    public static CHeader read(List<Path> includeDirs, String header) throws IOException {
        return read(includeDirs, header, List.of());
    }

    /** As {@link #read(List, String)}, with macros defined first as by {@code -D} ("NAME" or "NAME=value"). */
    public static CHeader read(List<Path> includeDirs, String header, List<String> defines) throws IOException {
        CPreprocessor pp = new CPreprocessor(includeDirs);
        for (String d : defines) pp.define(d);
        CHeader h = new CHeader(pp);
        h.declarations(pp.run(header));
        return h;
    }

    public Map<String, Prototype> functions() { return functions; }

    /** The value of an enum constant, or of an object-like macro that is an integer expression; null when neither. */
    public Long constant(String name) {
        if (constants.containsKey(name)) return constants.get(name);
        CPreprocessor.Macro m = pp.macros().get(name);
        if (m == null || m.functionLike() || m.body().isEmpty()) return null;
        try {
            return new CExpression(pp.expand(m.body(), Set.of()), constants).value();
        } catch (IllegalArgumentException notAnInteger) {
            return null;
        }
    }

    /** The ABI kind of a type as written ("const char *", "CUdeviceptr", "enum cudaMemcpyKind"). */
    public String kind(List<String> type) { return kind(type, 0); }

    private String kind(List<String> type, int depth) {
        if (depth > 40) return "?loop:" + type;
        if (type.contains("*") || type.contains("[")) return "PTR";
        List<String> words = type.stream().filter(w -> !QUALIFIERS.contains(w)).toList();
        if (words.size() >= 2 && (words.get(0).equals("struct") || words.get(0).equals("union"))) {
            Long size = structSizes.get(words.get(0) + " " + words.get(1));
            return size == null ? "?incomplete " + String.join(" ", words) : "STRUCT(" + size + ")";
        }
        if (words.size() >= 2 && words.get(0).equals("enum")) return "I32";
        if (words.stream().allMatch(BUILTIN::contains) && !words.isEmpty()) {
            if (words.contains("void")) return "VOID";
            if (words.contains("char") || words.contains("_Bool") || words.contains("bool")) return "I8";
            if (words.contains("short")) return "I16";
            if (words.contains("long")) return words.contains("double") ? "?long double" : "I64";
            if (words.contains("float")) return "F32";
            if (words.contains("double")) return "F64";
            return "I32";
        }
        if (words.size() == 1) {
            String w = words.get(0);
            if (typedefs.containsKey(w)) return kind(typedefs.get(w), depth + 1);
            if (STD_TYPES.containsKey(w)) return STD_TYPES.get(w);
        }
        return "?unknown " + String.join(" ", words);
    }

    private void declarations(List<String> toks) {
        List<String> cur = new ArrayList<>();
        int depth = 0;
        for (String t : toks) {
            cur.add(t);
            if (t.equals("{")) depth++;
            if (t.equals("}")) {
                depth--;
                int open = cur.indexOf("{");
                boolean functionBody = depth == 0 && open > 0 && cur.get(open - 1).equals(")") && !cur.get(0).equals("typedef")
                        && !cur.contains("struct") && !cur.contains("enum") && !cur.contains("union");
                if (functionBody) cur.clear(); // an inline function's definition: nothing bindable
            }
            if (depth == 0 && t.equals(";")) {
                declaration(stripAttributes(cur.subList(0, cur.size() - 1)));
                cur.clear();
            }
        }
    }

    /** Drops __attribute__((...)), __declspec(...), __asm__(...) and __align__-like groups the platform ignores for ABI. */
    private static List<String> stripAttributes(List<String> in) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String s = in.get(i);
            if (Set.of("__attribute__", "__declspec", "__asm__", "__asm", "_Alignas", "__align__").contains(s) && i + 1 < in.size()
                    && in.get(i + 1).equals("(")) {
                int d = 0;
                do {
                    i++;
                    if (in.get(i).equals("(")) d++;
                    if (in.get(i).equals(")")) d--;
                } while (d > 0 && i + 1 < in.size());
                continue;
            }
            out.add(s);
        }
        return out;
    }

    private void declaration(List<String> d) {
        if (d.isEmpty()) return;
        int brace = d.indexOf("{");
        if (brace >= 0) {
            int close = matching(d, brace, "{", "}");
            List<String> head = d.subList(0, brace);
            String kw = head.stream().filter(w -> Set.of("struct", "union", "enum").contains(w)).findFirst().orElse(null);
            if (kw == null) return;
            int kwAt = head.indexOf(kw);
            String tag = kwAt + 1 < head.size() ? head.get(kwAt + 1) : null;
            List<String> body = d.subList(brace + 1, close);
            String anon = kw + " $anon" + brace + "_" + functions.size() + "_" + constants.size() + "_" + typedefs.size();
            String key = tag != null ? kw + " " + tag : anon;
            if (kw.equals("enum")) {
                enumerators(body);
                enumTags.add(key);
            } else if (kw.equals("struct")) {
                struct(key, body);
            }
            if (d.get(0).equals("typedef")) {
                List<String> declarators = d.subList(close + 1, d.size());
                typedefNames(List.of(key.split(" ")), declarators);
            }
            return;
        }
        if (d.get(0).equals("typedef")) {
            typedef(d.subList(1, d.size()));
            return;
        }
        prototype(d);
    }

    private void typedef(List<String> rest) {
        int paren = rest.indexOf("(");
        if (paren >= 0) { // function pointer: typedef ret (*name)(args); a plain function type counts as a pointer too
            int star = rest.indexOf("*");
            String name = star >= 0 && star + 1 < rest.size() ? rest.get(star + 1) : rest.get(paren - 1);
            typedefs.put(name, List.of("void", "*"));
            return;
        }
        // typedef <type words> [*] name [array]
        int end = rest.indexOf("[") >= 0 ? rest.indexOf("[") : rest.size();
        String name = rest.get(end - 1);
        List<String> type = new ArrayList<>(rest.subList(0, end - 1));
        if (end < rest.size()) type.add("[");
        typedefs.put(name, type);
    }

    /** "} Name, *PName;" after a struct/enum body. */
    private void typedefNames(List<String> base, List<String> declarators) {
        List<String> cur = new ArrayList<>();
        for (String t : concat(declarators, List.of(","))) {
            if (!t.equals(",")) {
                cur.add(t);
                continue;
            }
            if (!cur.isEmpty()) {
                String name = cur.get(cur.size() - 1);
                List<String> type = new ArrayList<>(base);
                cur.stream().filter(x -> x.equals("*")).forEach(type::add);
                typedefs.put(name, type);
            }
            cur.clear();
        }
    }

    private void enumerators(List<String> body) {
        long next = 0;
        for (List<String> e : split(body, ",")) {
            if (e.isEmpty()) continue;
            String name = e.get(0);
            long v = next;
            if (e.size() > 2 && e.get(1).equals("=")) {
                try {
                    v = new CExpression(e.subList(2, e.size()), constants).value();
                } catch (IllegalArgumentException unknownValue) {
                    next = Long.MIN_VALUE; // values after an unknown one are unknown too
                    continue;
                }
            } else if (next == Long.MIN_VALUE) {
                continue;
            }
            constants.put(name, v);
            next = v + 1;
        }
    }

    /** Size and alignment of a struct of scalars, pointers, arrays of them and structs seen before. */
    private void struct(String key, List<String> body) {
        long size = 0;
        long align = 1;
        for (List<String> member : split(body, ";")) {
            if (member.isEmpty()) continue;
            int bracket = member.indexOf("[");
            List<String> decl = bracket >= 0 ? member.subList(0, bracket) : member;
            long count = 1;
            if (bracket >= 0) {
                Long n = constantExpr(member.subList(bracket + 1, member.lastIndexOf("]")));
                if (n == null) return;
                count = n;
            }
            List<String> type = decl.subList(0, decl.size() - 1);
            String k = kind(type);
            long s = switch (k) {
                case "I8" -> 1;
                case "I16" -> 2;
                case "I32", "F32" -> 4;
                case "I64", "F64", "PTR" -> 8;
                default -> -1;
            };
            long a = s;
            if (k.startsWith("STRUCT(")) {
                s = Long.parseLong(k.substring(7, k.length() - 1));
                a = structAligns.getOrDefault(String.join(" ", type.stream().filter(w -> !QUALIFIERS.contains(w)).toList()), 8L);
            }
            if (s < 0 || member.contains(":")) return; // unknown member or a bit-field: size not worked out
            size = (size + a - 1) / a * a + s * count;
            align = Math.max(align, a);
        }
        structSizes.put(key, (size + align - 1) / align * align);
        structAligns.put(key, align);
    }

    private Long constantExpr(List<String> e) {
        try {
            return new CExpression(pp.expand(e, Set.of()), constants).value();
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private void prototype(List<String> d) {
        int depth = 0;
        int open = -1;
        for (int i = 0; i < d.size(); i++) {
            if (d.get(i).equals("(")) {
                if (depth == 0 && open < 0) open = i;
                depth++;
            } else if (d.get(i).equals(")")) {
                depth--;
            }
        }
        if (open < 1 || !CLexer.isIdentifier(d.get(open - 1))) return; // a variable, or a declarator we do not bind
        int close = matching(d, open, "(", ")");
        if (close != d.size() - 1) return; // e.g. a function returning a function pointer
        String name = d.get(open - 1);
        List<String> ret = d.subList(0, open - 1).stream().filter(w -> !QUALIFIERS.contains(w)).toList();
        if (ret.isEmpty()) return;
        List<List<String>> params = new ArrayList<>();
        boolean varargs = false;
        for (List<String> p : split(d.subList(open + 1, close), ",")) {
            if (p.isEmpty()) continue; // f(): no parameters, as jextract reads it
            if (p.equals(List.of("..."))) {
                varargs = true;
                continue;
            }
            List<String> type = paramType(p);
            if (type.equals(List.of("void"))) continue;
            params.add(type);
        }
        functions.put(name, new Prototype(name, ret, params, varargs));
    }

    /** A parameter's type with its name removed; "int x[]" becomes a pointer. */
    private List<String> paramType(List<String> p) {
        List<String> t = new ArrayList<>(p.stream().filter(w -> !QUALIFIERS.contains(w)).toList());
        boolean array = t.contains("[");
        if (array) t = new ArrayList<>(t.subList(0, t.indexOf("[")));
        if (!t.isEmpty()) {
            String last = t.get(t.size() - 1);
            List<String> before = t.subList(0, t.size() - 1).stream().filter(w -> !w.equals("struct") && !w.equals("enum")
                    && !w.equals("union")).toList();
            if (CLexer.isIdentifier(last) && !BUILTIN.contains(last) && !before.isEmpty()) t.remove(t.size() - 1);
        }
        if (array) t.add("*");
        return t;
    }

    private static int matching(List<String> d, int open, String o, String c) {
        int depth = 0;
        for (int i = open; i < d.size(); i++) {
            if (d.get(i).equals(o)) depth++;
            if (d.get(i).equals(c) && --depth == 0) return i;
        }
        return d.size() - 1;
    }

    private static List<List<String>> split(List<String> toks, String sep) {
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        int depth = 0;
        for (String t : toks) {
            if (t.equals("(") || t.equals("{") || t.equals("[")) depth++;
            if (t.equals(")") || t.equals("}") || t.equals("]")) depth--;
            if (depth == 0 && t.equals(sep)) {
                out.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(t);
            }
        }
        out.add(cur);
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
