package dev.tessera.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Index;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Graphs built and differentiated by PyTorch 1.13 (scripts/golden/gen_autograd.py): each case is
 * rebuilt here op for op on the same leaf values; leaf gradients, the output and the grad_fn /
 * next_functions structure must match.
 */
class AutogradGoldenTest {
    record Case(String name, Map<String, double[]> inputs, Map<String, long[]> shapes, Map<String, double[]> grads,
                double[] out, String fn) {}

    private static final Map<String, Function<Map<String, Tensor>, Tensor>> GRAPHS = new LinkedHashMap<>();

    private static Tensor longs(long... v) { return Torch.tensor(v); }

    static {
        GRAPHS.put("tutorial", l -> {
            Tensor a = l.get("a"), b = l.get("b");
            Tensor q = a.pow(3.0).mul(3.0).sub(b.pow(2.0));
            q.backward(Torch.tensor(new double[]{1, 1}, DType.FLOAT64));
            return q;
        });
        GRAPHS.put("broadcast_mul_add", l -> back(l.get("x").mul(l.get("y")).add(l.get("z")).sum()));
        GRAPHS.put("accumulation", l -> {
            Tensor x = l.get("x");
            x.mul(2.0).sum().backward();
            x.mul(x).sum().backward();
            return back(x.exp().sum());
        });
        GRAPHS.put("retain_graph", l -> {
            Tensor x = l.get("x");
            Tensor out = x.sin().mul(x).sum();
            out.backward(null, true);
            return back(out);
        });
        GRAPHS.put("views_chain", l -> back(l.get("x").transpose(0, 2).reshape(4, 6).index(Index.slice(1, 3))
                .select(1, 2).unsqueeze(0).expand(3, 2).sum()));
        GRAPHS.put("view_permute_t", l -> back(l.get("x").t().T().view(6).view(2, 3).matmul(l.get("w"))
                .permute(1, 0).squeeze().sum()));
        GRAPHS.put("cat_stack", l -> {
            Tensor x = l.get("x"), y = l.get("y");
            Tensor c = Torch.cat(List.of(x, y, x), 0);
            Tensor s = Torch.stack(List.of(x, x.mul(2.0)), 1);
            return back(c.pow(2.0).sum().add(s.sum(1).mul(y).sum()));
        });
        GRAPHS.put("matmul_batched", l -> back(l.get("a").matmul(l.get("b")).tanh().sum()));
        GRAPHS.put("mm_mv_dot", l -> {
            Tensor m = l.get("m");
            return back(m.mm(m.t()).mv(l.get("w")).dot(m.mv(l.get("v"))));
        });
        GRAPHS.put("inplace_nonleaf", l -> {
            Tensor h = l.get("x").mul(2.0);
            h.mul_(l.get("y"));
            h.add_(1.0);
            return back(h.sigmoid().sum());
        });
        GRAPHS.put("copyslices_select", l -> {
            Tensor h = l.get("x").clone();
            h.index(Index.at(1)).mul_(l.get("y"));
            return back(h.mul(h).sum());
        });
        GRAPHS.put("copyslices_slice", l -> {
            Tensor h = l.get("x").mul(1.5);
            h.index(Index.all(), Index.slice(1, 3)).add_(l.get("y").exp());
            return back(h.pow(2.0).sum());
        });
        GRAPHS.put("copyslices_copy", l -> {
            Tensor x = l.get("x");
            Tensor h = x.mul(3.0);
            h.indexPut_(new Index[]{Index.at(0)}, l.get("y"));
            return back(h.mul(x).sum());
        });
        GRAPHS.put("index_gather", l -> {
            Tensor x = l.get("x");
            Tensor out = x.index(Index.tensor(longs(2, 0, 2))).sum()
                    .add(x.index(Index.tensor(x.gt(0))).pow(2.0).sum())
                    .add(x.gather(1, Torch.tensor(new long[][]{{0, 1}, {3, 3}, {2, 0}})).sum())
                    .add(x.indexSelect(1, longs(1, 1)).sum());
            return back(out);
        });
        GRAPHS.put("reductions", l -> {
            Tensor x = l.get("x");
            return back(x.var(1).sum().add(x.std(0).sum()).add(x.amax(1).sum()).add(x.max().mul(x.min()))
                    .add(x.prod(1).sum()).add(x.mean()));
        });
        GRAPHS.put("softmax_ce", l -> {
            Tensor x = l.get("x");
            return back(x.logSoftmax(1).gather(1, Torch.tensor(new long[][]{{3}, {1}})).mean().neg()
                    .add(x.softmax(0).index(Index.at(0), Index.at(0))));
        });
        GRAPHS.put("split_unbind", l -> {
            Tensor x = l.get("x");
            List<Tensor> ab = x.split(2), u = x.unbind(1), c = x.chunk(3, 1);
            return back(ab.get(0).mul(ab.get(1)).sum().add(u.get(0).dot(u.get(2))).add(c.get(1).sum()));
        });
        GRAPHS.put("where_clamp_relu", l -> {
            Tensor x = l.get("x"), y = l.get("y");
            return back(Torch.where(x.gt(0), x, y).sum().add(x.clamp(-0.2, 0.4).sum()).add(y.sub(0.1).relu().sum())
                    .add(x.maximum(y).sum()));
        });
        GRAPHS.put("unused_and_nonrequiring", l -> {
            Tensor c = Torch.tensor(new double[]{1, 2, 3}, DType.FLOAT64);
            return back(l.get("x").mul(c).add(c).sum());
        });
        GRAPHS.put("scalar_pow_div", l -> {
            Tensor x = l.get("x"), y = l.get("y");
            // Python's 2 / y is reciprocal(y) * 2 in PyTorch's graph
            return back(x.pow(y).div(x.add(1.0)).sub(y.reciprocal().mul(2.0)).add(x.sqrt().mul(y.log())).sub(x.abs()).sum());
        });
    }

    private static Tensor back(Tensor out) {
        out.backward();
        return out;
    }

    static String structure(Node fn) {
        if (fn == null) return "None";
        String name = fn.name().replace("torch::autograd::", "");
        List<Edge> next = fn.nextFunctions();
        if (next.isEmpty()) return name;
        return name + "(" + next.stream().map(e -> structure(e == null ? null : e.function())).collect(Collectors.joining(",")) + ")";
    }

    private static List<Case> load() throws Exception {
        List<Case> cases = new ArrayList<>();
        var stream = AutogradGoldenTest.class.getResourceAsStream("/golden/autograd/graphs.txt");
        assertNotNull(stream, "fixture golden/autograd/graphs.txt missing");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String name = null, fn = null;
            Map<String, double[]> in = null, grads = null;
            Map<String, long[]> shapes = null;
            double[] out = null;
            for (String line; (line = r.readLine()) != null; ) {
                String[] p = line.split(" ");
                switch (p[0]) {
                    case "case" -> {
                        name = p[1];
                        in = new LinkedHashMap<>();
                        grads = new LinkedHashMap<>();
                        shapes = new LinkedHashMap<>();
                    }
                    case "in" -> {
                        shapes.put(p[1], shape(p[2]));
                        in.put(p[1], values(p, 3));
                    }
                    case "grad" -> grads.put(p[1], p[2].equals("None") ? null : values(p, 3));
                    case "out" -> out = values(p, 2);
                    case "fn" -> cases.add(new Case(name, in, shapes, grads, out, p[1]));
                    default -> { }
                }
            }
        }
        return cases;
    }

    private static long[] shape(String s) {
        return s.equals("scalar") ? new long[0] : Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
    }

    private static double[] values(String[] p, int from) {
        return Arrays.stream(p, from, p.length).mapToDouble(Double::parseDouble).toArray();
    }

    @TestFactory
    List<DynamicTest> graphsMatchPyTorch() throws Exception {
        List<Case> cases = load();
        assertTrue(cases.size() >= 15, "expected at least 15 golden graphs");
        assertEquals(GRAPHS.keySet(), cases.stream().map(Case::name).collect(Collectors.toCollection(java.util.LinkedHashSet::new)));
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                Map<String, Tensor> leaves = new LinkedHashMap<>();
                c.inputs().forEach((k, v) -> leaves.put(k, Torch.tensor(v, DType.FLOAT64).reshape(c.shapes().get(k)).requiresGrad_(true)));
                Tensor out = GRAPHS.get(c.name()).apply(leaves);
                assertEquals(c.fn(), structure(out.gradFn()), c.name() + ": grad_fn structure");
                assertClose(c.out(), out.detach().toDoubleArray(), c.name() + " output");
                for (var e : c.grads().entrySet()) {
                    Tensor g = leaves.get(e.getKey()).grad();
                    if (e.getValue() == null) {
                        assertNull(g, c.name() + ": grad of " + e.getKey() + " should be None");
                    } else {
                        assertNotNull(g, c.name() + ": grad of " + e.getKey() + " missing");
                        assertArrayEquals(c.shapes().get(e.getKey()), g.shapeArray(), c.name() + ": grad shape of " + e.getKey());
                        assertClose(e.getValue(), g.toDoubleArray(), c.name() + ": grad of " + e.getKey());
                    }
                }
            }));
        }
        return tests;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > 1e-9 + 1e-9 * Math.abs(expected[i])) {
                throw new AssertionError(what + " element " + i + ": expected " + expected[i] + " got " + actual[i]
                        + "\nexpected=" + Arrays.toString(expected) + "\nactual=" + Arrays.toString(actual));
            }
        }
    }
}
