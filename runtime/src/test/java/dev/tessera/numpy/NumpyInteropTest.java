package dev.tessera.numpy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the real NumPy of {@code python3}: files NumPy writes are read by Java,
 * files Java writes are read by NumPy, and both processes map one file and see each other's
 * writes. Skipped, with the reason printed, when python3 or NumPy is missing.
 */
class NumpyInteropTest {
    static final String[] DESCRS = {"<f2", "<f4", "<f8", "|i1", "<i2", "<i4", "<i8", "|u1", "|b1", "<V2",
        ">f2", ">f4", ">f8", ">i2", ">i4", ">i8"};

    /** Prints one line per array: name, descr, shape, strides, fortran flag, C-order values, str(). */
    static final String DESCRIBE = """
            import numpy as np
            def describe(name, a):
                v = a
                if a.dtype.kind == 'V':
                    v = (a.view('<u2').astype('<u4') << 16).view('<f4')
                vals = ' '.join(repr(float(x)) for x in np.asarray(v).astype(np.float64).ravel(order='C'))
                fortran = int(a.flags.f_contiguous and not a.flags.c_contiguous)
                s = '-' if a.dtype.kind == 'V' else str(a).replace('\\n', '\\\\n')
                print('\\t'.join([name, a.dtype.str, ','.join(map(str, a.shape)), ','.join(map(str, a.strides)),
                                  str(fortran), vals, s]), flush=True)
            """;

    static final String WRITE = DESCRIBE + """
            import sys, os
            d = sys.argv[1]
            def values(descr, shape):
                n = int(np.prod(shape))
                k = descr[1:]
                if k == 'V2':
                    bits = (np.arange(n, dtype=np.float32) * 1.5 - 2.25).view('<u4') >> 16
                    return bits.astype('<u2').view('V2').reshape(shape)
                if k[0] == 'f': return (np.arange(n) * 1.5 - 2.25).astype(descr).reshape(shape)
                if k == 'u1': return (np.arange(n) * 7).astype(descr).reshape(shape)
                if k == 'b1': return (np.arange(n) % 3 == 0).reshape(shape)
                return (np.arange(n) * 3 - 4).astype(descr).reshape(shape)
            for descr in sys.argv[2:]:
                tag = descr[0].replace('<', 'le').replace('>', 'be').replace('|', 'na') + descr[1:]
                for layout, shape in (('c23', (2, 3)), ('f23', (2, 3)), ('f234', (2, 3, 4)), ('0d', ()), ('empty', (0, 3))):
                    a = values(descr, shape)
                    if layout.startswith('f'): a = np.asfortranarray(a)
                    name = f'np_{tag}_{layout}.npy'
                    np.save(os.path.join(d, name), a)
                    describe(name, np.load(os.path.join(d, name)))
            a = values('<f4', (3, 2))
            for v in ((2, 0), (3, 0)):
                name = f'np_v{v[0]}.npy'
                with open(os.path.join(d, name), 'wb') as f: np.lib.format.write_array(f, a, version=v)
                describe(name, a)
            np.savez(os.path.join(d, 'np_stored.npz'), x=values('<f8', (2, 2)), y=values('>i4', (3,)), z=values('|b1', ()))
            np.savez_compressed(os.path.join(d, 'np_deflated.npz'), x=values('<f4', (40, 3)), y=values('<i8', (2, 2)))
            for f in ('np_stored.npz', 'np_deflated.npz'):
                with np.load(os.path.join(d, f)) as z:
                    for k in z.files: describe(f + ':' + k, z[k])
            """;

    static final String VERIFY = DESCRIBE + """
            import sys, io
            for p in sys.argv[1:]:
                if p.endswith('.npz'):
                    with np.load(p) as z:
                        for k in z.files: describe(p.rsplit('/', 1)[1] + ':' + k, z[k])
                    continue
                a = np.load(p)
                describe(p.rsplit('/', 1)[1], a)
                b = io.BytesIO(); np.save(b, a)
                raw = open(p, 'rb').read()
                # Java must write NumPy's exact bytes (bfloat16 aside: NumPy writes '|V2', Java '<V2').
                if a.dtype.kind != 'V' and raw != b.getvalue(): print('DIFF', p, raw[:128], b.getvalue()[:128], flush=True)
            """;

    static String python;
    @TempDir static Path dir;
    static Map<String, String[]> numpyWrote;

    @BeforeAll
    static void findNumpy() throws Exception {
        python = System.getenv().getOrDefault("TESSERA_PYTHON", "python3");
        String why = null;
        try {
            Process p = new ProcessBuilder(python, "-c", "import numpy").redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) why = python + " cannot import numpy";
        } catch (IOException e) {
            why = python + " not found: " + e.getMessage();
        }
        if (why != null) System.out.println("SKIP NumpyInteropTest: " + why);
        Assumptions.assumeTrue(why == null, why);
        List<String> args = new ArrayList<>(List.of(dir.toString()));
        args.addAll(Arrays.asList(DESCRS));
        numpyWrote = parse(run(WRITE, args));
        assertEquals(DESCRS.length * 5 + 2 + 5, numpyWrote.size(), "one line per file and npz member");
    }

    static List<String> run(String script, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, "-c", script));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    static Map<String, String[]> parse(List<String> lines) {
        Map<String, String[]> m = new LinkedHashMap<>();
        for (String l : lines) {
            assertFalse(l.startsWith("DIFF"), l);
            String[] f = l.split("\t", -1);
            assertEquals(7, f.length, l);
            m.put(f[0], f);
        }
        return m;
    }

    /** Asserts that a Java array matches NumPy's description of the same data. */
    static void assertMatches(String[] f, NDArray a) {
        String name = f[0];
        String descr = f[1].equals("|V2") ? "<V2" : f[1];
        assertEquals(descr, a.descr(), name);
        assertEquals(f[2], join(a.shape()), name + " shape");
        assertEquals(f[3], join(a.strides()), name + " strides");
        assertEquals(f[4].equals("1"), a.fortranOrder(), name + " fortran");
        double[] want = f[5].isEmpty() ? new double[0] : Arrays.stream(f[5].split(" ")).mapToDouble(Double::parseDouble).toArray();
        assertArrayEquals(want, a.toDoubleArray(), name + " values");
        if (!f[6].equals("-")) assertEquals(f[6].replace("\\n", "\n"), a.toString(), name + " str");
    }

    static String join(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? "," : "").append(v[i]);
        return sb.toString();
    }

    @Test
    void javaReadsWhatNumpyWrote() {
        for (String[] f : numpyWrote.values()) {
            if (f[0].contains(":")) continue;
            Path p = dir.resolve(f[0]);
            try (NDArray mapped = NDArray.open(p, NDArray.Mode.READ_ONLY); NDArray loaded = NDArray.load(p)) {
                assertMatches(f, mapped);
                assertMatches(f, loaded);
                assertEquals(f[1].charAt(0) != '>', mapped.isLittleEndian(), f[0]);
                assertTrue(mapped.isReadOnly());
                assertEquals(mapped.data().byteSize(), mapped.size() * mapped.dtype().byteSize());
            }
        }
    }

    @Test
    void javaReadsNumpyNpz() {
        for (String file : List.of("np_stored.npz", "np_deflated.npz")) {
            Map<String, NDArray> z = Npz.load(dir.resolve(file));
            List<String> keys = new ArrayList<>();
            for (String[] f : numpyWrote.values()) {
                if (!f[0].startsWith(file + ":")) continue;
                String key = f[0].substring(file.length() + 1);
                keys.add(key);
                assertMatches(f, z.get(key));
            }
            assertEquals(keys, new ArrayList<>(z.keySet()));
        }
        // Stored members are views of the mapped archive; writes stay private to this process.
        NDArray x = Npz.load(dir.resolve("np_stored.npz")).get("x");
        assertTrue(x.data().isMapped());
        x.setDouble(99, 0, 0);
        assertEquals(-2.25, Npz.load(dir.resolve("np_stored.npz")).get("x").getDouble(0, 0));
    }

    @Test
    void numpyReadsWhatJavaWrote() throws Exception {
        Map<String, NDArray> expected = new LinkedHashMap<>();
        for (String descr : DESCRS) {
            if (descr.charAt(0) == '>') continue;
            boolean[] le = new boolean[1];
            DType t = Npy.parseDescr(descr, le, "test");
            String tag = t.pythonName();
            expected.put("j_" + tag + "_c23.npy", filled(NDArray.empty(t, 2, 3)));
            expected.put("j_" + tag + "_0d.npy", filled(NDArray.empty(t)));
            expected.put("j_" + tag + "_empty.npy", NDArray.empty(t, 0, 3));
            // Fortran-ordered memory: saved with fortran_order True, no reordering.
            long item = t.byteSize();
            MemorySegment seg = Arena.ofAuto().allocate(24 * item);
            expected.put("j_" + tag + "_f234.npy", filled(NDArray.wrap(seg, t, new long[] {2, 3, 4}, new long[] {item, 2 * item, 6 * item}, seg)));
            // Neither C nor F contiguous (a transposed 3-d view): saved as a C-order copy.
            MemorySegment seg2 = Arena.ofAuto().allocate(24 * item);
            expected.put("j_" + tag + "_perm.npy", filled(NDArray.wrap(seg2, t, new long[] {3, 2, 4}, new long[] {4 * item, 12 * item, item}, seg2)));
        }
        // Big-endian: re-save what NumPy wrote; byte order and layout are preserved.
        for (String[] f : numpyWrote.values()) {
            if (f[1].startsWith(">") && !f[0].contains(":")) expected.put("j_" + f[0], NDArray.load(dir.resolve(f[0])));
        }
        for (Map.Entry<String, NDArray> e : expected.entrySet()) e.getValue().save(dir.resolve(e.getKey()));
        try (NDArray m = NDArray.create(dir.resolve("j_created.npy"), DType.FLOAT32, 3, 5)) {
            filled(m);
            m.force();
            expected.put("j_created.npy", NDArray.load(dir.resolve("j_created.npy")));
        }
        Map<String, NDArray> npz = new LinkedHashMap<>();
        npz.put("weights", expected.get("j_float32_c23.npy"));
        npz.put("flags", expected.get("j_bool_c23.npy"));
        npz.put("scalar", expected.get("j_int64_0d.npy"));
        Npz.save(dir.resolve("j_arch.npz"), npz);
        for (Map.Entry<String, NDArray> e : npz.entrySet()) expected.put("j_arch.npz:" + e.getKey(), e.getValue());

        List<String> paths = new ArrayList<>();
        for (String name : expected.keySet()) if (!name.contains(":")) paths.add(dir.resolve(name).toString());
        paths.add(dir.resolve("j_arch.npz").toString());
        Map<String, String[]> seen = parse(run(VERIFY, paths));
        assertEquals(expected.keySet(), seen.keySet());
        assertEquals(10 * 5 + 6 * 5 + 1 + 3, expected.size());
        for (Map.Entry<String, NDArray> e : expected.entrySet()) {
            String[] f = seen.get(e.getKey()).clone();
            NDArray a = e.getValue();
            assertEquals(a.descr(), f[1].equals("|V2") ? "<V2" : f[1], e.getKey());
            // NumPy reads the permuted view back as plain C order.
            if (e.getKey().endsWith("_perm.npy")) a = reordered(a);
            assertMatches(f, a);
        }
    }

    /** Two processes, one mapped file: each sees the other's writes without reopening. */
    @Test
    void sharedMappingBothWays() throws Exception {
        String child = """
                import sys, numpy as np
                a = np.load(sys.argv[1], mmap_mode='r+')
                print('ready', repr(float(a[1])), flush=True)
                for line in sys.stdin:
                    cmd = line.split()
                    if cmd[0] == 'write':
                        a[int(cmd[1])] = float(cmd[2]); a.flush(); print('ok', flush=True)
                    elif cmd[0] == 'read':
                        print('val', repr(float(a[int(cmd[1])])), flush=True)
                    else:
                        break
                """;
        Path file = dir.resolve("shared.npy");
        try (NDArray j = NDArray.create(file, DType.FLOAT64, 5)) {
            j.setDouble(1.5, 1);
            j.force();
            Process p = new ProcessBuilder(python, "-c", child, file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 var out = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8)) {
                assertEquals("ready 1.5", in.readLine());
                out.println("write 2 7.25");
                assertEquals("ok", in.readLine());
                assertEquals(7.25, j.getDouble(2), "Java sees Python's write through its mapping");
                j.setDouble(-3.5, 4);
                j.force();
                out.println("read 4");
                assertEquals("val -3.5", in.readLine(), "Python sees Java's write through its mapping");
                out.println("quit");
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            assertEquals("[ 0.    1.5   7.25  0.   -3.5 ]", j.toString());
        }
    }

    /** Values 1.5k - 2.25 (ints: 3k - 4, uint8: 7k, bool: k % 3 == 0) in C order, as the Python writer. */
    static NDArray filled(NDArray a) {
        long[] idx = new long[a.ndim()];
        for (long k = 0; k < a.size(); k++) {
            switch (a.dtype()) {
                case UINT8 -> a.setLong(7 * k, idx);
                case BOOL -> a.setLong(k % 3 == 0 ? 1 : 0, idx);
                default -> {
                    if (a.dtype().isFloatingPoint()) a.setDouble(1.5 * k - 2.25, idx);
                    else a.setLong(3 * k - 4, idx);
                }
            }
            a.increment(idx);
        }
        return a;
    }

    static NDArray reordered(NDArray a) {
        NDArray c = NDArray.empty(a.dtype(), a.shape());
        long[] idx = new long[a.ndim()];
        for (long k = 0; k < a.size(); k++) {
            c.setDouble(a.getDouble(idx), idx);
            a.increment(idx);
        }
        return c;
    }
}
