package dev.tessera.bindings.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.bindings.cuda.cublas_api_h;
import dev.tessera.bindings.cuda.cuda_h;
import dev.tessera.bindings.cuda.cuda_runtime_api_h;
import dev.tessera.bindings.cuda.curand_h;
import dev.tessera.bindings.nccl.nccl_h;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-kept bindings against the C headers: every bound function's descriptor (argument count,
 * each argument's width and kind, the return type) must match its prototype with typedefs resolved,
 * and every bound enum value or macro must have the header's value. The headers are read from
 * {@code -Dtessera.cuda.include=dir1:dir2:...} (default /usr/local/cuda/include; on the GPU machine the
 * wheels' nvidia/{@literal *}/include folders); a binding whose header is absent is skipped with the reason printed.
 */
class HeaderConformanceTest {
    static final String INCLUDE_PROPERTY = "tessera.cuda.include";
    static final String JEXTRACT_PROPERTY = "tessera.bindings.jextract";

    static List<Path> includeDirs() {
        String prop = System.getProperty(INCLUDE_PROPERTY, "/usr/local/cuda/include");
        return Stream.of(prop.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    /** "cuda_runtime_api_h" binds cuda_runtime_api.h. */
    static String headerOf(Class<?> binding) {
        String n = binding.getSimpleName();
        return n.substring(0, n.length() - 2) + ".h";
    }

    /**
     * The -D options scripts/generate-bindings passes to jextract for a header: cublas_api.h expects
     * its includer (cublas_v2.h) to define CUBLASAPI.
     */
    static List<String> defines(String header) {
        return header.equals("cublas_api.h") ? List.of("CUBLASAPI=") : List.of();
    }

    /** Functions bound by a class: those with a jextract {@code name$descriptor()} accessor. */
    static List<String> functions(Class<?> binding) {
        return Stream.of(binding.getMethods()).map(Method::getName).filter(n -> n.endsWith("$descriptor"))
                .map(n -> n.substring(0, n.length() - "$descriptor".length())).sorted().toList();
    }

    /** Enum values and macros bound by a class: public static int methods without arguments that are not functions. */
    static List<String> constants(Class<?> binding) {
        Set<String> fns = Set.copyOf(functions(binding));
        return Stream.of(binding.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
                        && m.getReturnType() == int.class && !m.getName().contains("$") && !fns.contains(m.getName()))
                .map(Method::getName).sorted().toList();
    }

    /** The ABI kind the header's kinds are compared with. */
    static String kind(MemoryLayout l) {
        if (l instanceof AddressLayout) return "PTR";
        if (l instanceof GroupLayout g) return "STRUCT(" + g.byteSize() + ")";
        if (l instanceof ValueLayout v) {
            Class<?> c = v.carrier();
            if (c == byte.class) return "I8";
            if (c == short.class) return "I16";
            if (c == int.class) return "I32";
            if (c == long.class) return "I64";
            if (c == float.class) return "F32";
            if (c == double.class) return "F64";
        }
        return "?" + l;
    }

    /** Differences between a descriptor and the header's prototype of the same name, one line each. */
    static List<String> compare(CHeader header, String name, FunctionDescriptor desc) {
        List<String> problems = new ArrayList<>();
        CHeader.Prototype p = header.functions().get(name);
        if (p == null) {
            problems.add(name + ": no prototype in the header (renamed or removed?)");
            return problems;
        }
        String ret = header.kind(p.returnType());
        String bound = desc.returnLayout().map(HeaderConformanceTest::kind).orElse("VOID");
        if (!ret.equals(bound)) problems.add(name + ": returns " + bound + " but the header says " + ret + " in " + p.text());
        if (p.varargs()) problems.add(name + ": variadic in the header: " + p.text());
        if (p.params().size() != desc.argumentLayouts().size()) {
            problems.add(name + ": binds " + desc.argumentLayouts().size() + " arguments but the header has " + p.params().size()
                    + ": " + p.text());
            return problems;
        }
        for (int i = 0; i < p.params().size(); i++) {
            String want = header.kind(p.params().get(i));
            String got = kind(desc.argumentLayouts().get(i));
            if (!want.equals(got)) {
                problems.add(name + ": argument " + i + " is " + got + " but the header's '" + String.join(" ", p.params().get(i))
                        + "' is " + want + " in " + p.text());
            }
        }
        return problems;
    }

    static Optional<Path> headerPath(String header) {
        return includeDirs().stream().map(d -> d.resolve(header)).filter(Files::isRegularFile).findFirst();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {cuda_runtime_api_h.class, cuda_h.class, cublas_api_h.class, curand_h.class, nccl_h.class})
    void bindingsMatchTheirHeader(Class<?> binding) throws Exception {
        String header = headerOf(binding);
        if (headerPath(header).isEmpty()) {
            String reason = header + " is not in " + includeDirs() + " (set -D" + INCLUDE_PROPERTY + "=dir1" + File.pathSeparator
                    + "dir2 to the folders holding it and the headers it includes)";
            System.out.println("[HeaderConformanceTest] " + binding.getSimpleName() + " skipped: " + reason);
            Assumptions.abort(reason);
        }
        CHeader h = CHeader.read(includeDirs(), header, defines(header));
        List<String> problems = new ArrayList<>();
        List<String> fns = functions(binding);
        for (String f : fns) {
            FunctionDescriptor desc = (FunctionDescriptor) binding.getMethod(f + "$descriptor").invoke(null);
            problems.addAll(compare(h, f, desc));
        }
        List<String> consts = constants(binding);
        for (String c : consts) {
            Long want = h.constant(c);
            long got = (int) binding.getMethod(c).invoke(null);
            if (want == null) {
                problems.add(c + ": no enum value or integer macro of that name in the header");
            } else if (want != got) {
                problems.add(c + ": bound as " + got + " but the header says " + want);
            }
        }
        assertTrue(fns.size() >= 5, binding + " binds only " + fns);
        assertTrue(problems.isEmpty(), binding.getSimpleName() + " differs from " + header + ":\n  " + String.join("\n  ", problems));
        System.out.println("[HeaderConformanceTest] " + binding.getSimpleName() + ": " + fns.size() + " functions and " + consts.size()
                + " constants match " + headerPath(header).get());
    }

    /** The committed jextract include lists name exactly the symbols each class binds. */
    @Test
    void includeListsNameExactlyTheBoundSymbols() throws IOException {
        Optional<Path> dir = Stream.of(System.getProperty(JEXTRACT_PROPERTY, ""), "jextract", "bindings/jextract")
                .filter(s -> !s.isBlank()).map(Path::of).filter(p -> Files.isRegularFile(p.resolve("cuda.txt"))).findFirst();
        if (dir.isEmpty()) {
            System.out.println("[HeaderConformanceTest] include lists skipped: bindings/jextract not found from "
                    + Path.of("").toAbsolutePath() + " (set -D" + JEXTRACT_PROPERTY + ")");
            Assumptions.abort("bindings/jextract not found");
        }
        for (Class<?> binding : List.of(cuda_runtime_api_h.class, cuda_h.class, cublas_api_h.class, curand_h.class, nccl_h.class)) {
            Path list = dir.get().resolve(headerOf(binding).replace(".h", ".txt"));
            List<String> lines = Files.readAllLines(list);
            assertEquals(new TreeSet<>(functions(binding)), option(lines, "--include-function"), list + " vs " + binding.getSimpleName());
            assertEquals(new TreeSet<>(constants(binding)), option(lines, "--include-constant"), list + " vs " + binding.getSimpleName());
        }
    }

    private static Set<String> option(List<String> lines, String opt) {
        return lines.stream().map(String::strip).filter(l -> l.startsWith(opt + " ")).map(l -> l.substring(opt.length()).strip())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
