package dev.tessera;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Maps the op names of scripts/golden/gen_ops.py onto the Java API (the Python lambda's equivalent). */
final class GoldenOps {
    private GoldenOps() {}

    @SuppressWarnings("unchecked")
    static Tensor apply(String op, List<Tensor> in, List<Object> args) {
        Tensor a = in.isEmpty() ? null : in.get(0);
        Tensor b = in.size() > 1 ? in.get(1) : null;
        Number s = !args.isEmpty() && args.get(0) instanceof Map<?, ?> m && m.containsKey("scalar") ? scalar(args.get(0)) : null;
        return switch (op) {
            case "add" -> s != null ? a.add(s) : a.add(b);
            case "sub" -> s != null ? a.sub(s) : a.sub(b);
            case "mul" -> s != null ? a.mul(s) : a.mul(b);
            case "div" -> s != null ? a.div(s) : a.div(b);
            case "rsub" -> a.rsub(s);
            case "neg" -> a.neg();
            case "pow" -> s != null ? a.pow(s) : a.pow(b);
            case "eq" -> s != null ? a.eq(s) : a.eq(b);
            case "ne" -> s != null ? a.ne(s) : a.ne(b);
            case "lt" -> s != null ? a.lt(s) : a.lt(b);
            case "le" -> s != null ? a.le(s) : a.le(b);
            case "gt" -> s != null ? a.gt(s) : a.gt(b);
            case "ge" -> s != null ? a.ge(s) : a.ge(b);
            case "exp" -> a.exp();
            case "log" -> a.log();
            case "sqrt" -> a.sqrt();
            case "abs" -> a.abs();
            case "relu" -> a.relu();
            case "sigmoid" -> a.sigmoid();
            case "tanh" -> a.tanh();
            case "where" -> Torch.where(a, b, in.get(2));
            case "where_scalars" -> Torch.where(a, scalar(args.get(0)), scalar(args.get(1)));
            case "clamp" -> a.clamp(scalar(args.get(0)), scalar(args.get(1)));
            case "sum" -> args.isEmpty() ? a.sum() : a.sum(i(args, 0), bool(args, 1));
            case "prod" -> args.isEmpty() ? a.prod() : a.prod(i(args, 0), bool(args, 1));
            case "mean" -> args.isEmpty() ? a.mean() : a.mean(i(args, 0), bool(args, 1));
            case "std" -> args.isEmpty() ? a.std() : a.std(new int[]{i(args, 0)}, 1, bool(args, 1));
            case "var" -> args.isEmpty() ? a.var() : a.var(new int[]{i(args, 0)}, 1, bool(args, 1));
            case "max" -> a.max();
            case "min" -> a.min();
            case "argmax" -> args.isEmpty() ? a.argmax() : a.argmax(i(args, 0), bool(args, 1));
            case "argmin" -> args.isEmpty() ? a.argmin() : a.argmin(i(args, 0), bool(args, 1));
            case "max_values" -> a.max(i(args, 0), bool(args, 1)).values();
            case "max_indices" -> a.max(i(args, 0), bool(args, 1)).indices();
            case "min_values" -> a.min(i(args, 0), bool(args, 1)).values();
            case "min_indices" -> a.min(i(args, 0), bool(args, 1)).indices();
            case "matmul" -> a.matmul(b);
            case "cat" -> Torch.cat(in, i(args, 0));
            case "stack" -> Torch.stack(in, i(args, 0));
            case "split" -> a.split(l(args, 0), i(args, 1)).get(i(args, 2));
            case "chunk" -> a.chunk(i(args, 0), i(args, 1)).get(i(args, 2));
            case "chunk_count" -> Torch.tensor((long) a.chunk(i(args, 0), i(args, 1)).size());
            case "split_count" -> Torch.tensor((long) a.split(l(args, 0), i(args, 1)).size());
            case "view" -> a.view(ls(args));
            case "view_t" -> a.transpose(0, 1).view(ls(args));
            case "reshape" -> a.reshape(ls(args));
            case "reshape_t" -> a.transpose(0, 2).reshape(ls(args));
            case "transpose" -> a.transpose(i(args, 0), i(args, 1));
            case "permute" -> a.permute(is(args));
            case "T" -> a.T();
            case "t" -> a.t();
            case "expand" -> a.expand(ls(args));
            case "unsqueeze" -> a.unsqueeze(i(args, 0));
            case "squeeze" -> args.isEmpty() ? a.squeeze() : a.squeeze(i(args, 0));
            case "flatten" -> a.flatten(i(args, 0), i(args, 1));
            case "narrow" -> a.narrow(i(args, 0), l(args, 1), l(args, 2));
            case "select" -> a.select(i(args, 0), l(args, 1));
            case "contiguous_t" -> a.transpose(0, 2).contiguous();
            case "view_chain" -> a.index(Index.at(1), Index.from(1)).transpose(0, 1).index(Index.from(2));
            case "index" -> a.index(indices(args, in));
            case "gather" -> a.gather(i(args, 0), b);
            case "nonzero" -> Torch.nonzero(a);
            case "index_select" -> a.indexSelect(i(args, 0), b);
            case "index_put_scalar" -> a.indexPut_(indices((List<Object>) args.get(0), in), scalar(args.get(1)));
            case "index_put_tensor" -> a.indexPut_(indices((List<Object>) args.get(0), in), in.get(in.size() - 1));
            case "add_" -> s != null ? a.add_(s) : a.add_(b);
            case "sub_" -> s != null ? a.sub_(s) : a.sub_(b);
            case "mul_" -> s != null ? a.mul_(s) : a.mul_(b);
            case "div_" -> s != null ? a.div_(s) : a.div_(b);
            case "relu_" -> a.relu_();
            case "clamp_" -> a.clamp_(scalar(args.get(0)), scalar(args.get(1)));
            case "fill_view" -> {
                a.index(Index.all(), Index.slice(1L, null, 2)).fill_(s);
                yield a;
            }
            case "copy_" -> a.copy_(b);
            case "remainder" -> s != null ? a.remainder(s) : a.remainder(b);
            case "floor_divide" -> s != null ? a.floorDivide(s) : a.floorDivide(b);
            case "maximum" -> a.maximum(b);
            case "sum_dims" -> a.sum(is((List<Object>) args.get(0)), (Boolean) args.get(1));
            case "sum_dtype" -> a.sum(DType.fromName((String) args.get(0)));
            case "var_c0" -> a.var(new int[]{i(args, 0)}, 0, false);
            case "mean_dims" -> a.mean(is((List<Object>) args.get(0)), (Boolean) args.get(1));
            case "index_t" -> a.transpose(0, 2).index(indices(args, in));
            case "index_put_t" -> {
                a.transpose(0, 1).indexPut_(indices((List<Object>) args.get(0), in), scalar(args.get(1)));
                yield a;
            }
            case "matmul_tt" -> a.t().matmul(b.t());
            case "ragged" -> Torch.tensor(nested(args.get(0)));
            default -> throw new AssertionError("golden op without a Java mapping: " + op);
        };
    }

    /** A Python scalar: text with '.', 'e', "inf" or "nan" is a float, otherwise an int; null stays null. */
    @SuppressWarnings("unchecked")
    static Number scalar(Object o) {
        if (o == null) return null;
        String v = (String) ((Map<String, Object>) o).get("scalar");
        if (v.matches("-?\\d+")) return Long.parseLong(v);
        return Double.parseDouble(v);
    }

    private static int i(List<Object> args, int k) { return Integer.parseInt((String) args.get(k)); }

    private static long l(List<Object> args, int k) { return Long.parseLong((String) args.get(k)); }

    private static boolean bool(List<Object> args, int k) { return (Boolean) args.get(k); }

    private static long[] ls(List<Object> args) {
        long[] out = new long[args.size()];
        for (int k = 0; k < out.length; k++) out[k] = l(args, k);
        return out;
    }

    private static int[] is(List<Object> args) {
        int[] out = new int[args.size()];
        for (int k = 0; k < out.length; k++) out[k] = i(args, k);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Index[] indices(List<Object> specs, List<Tensor> in) {
        Index[] out = new Index[specs.size()];
        for (int k = 0; k < out.length; k++) {
            Map<String, Object> m = (Map<String, Object>) specs.get(k);
            out[k] = switch ((String) m.get("k")) {
                case "at" -> Index.at(Long.parseLong((String) m.get("i")));
                case "slice" -> Index.slice(opt(m.get("start")), opt(m.get("stop")), Long.parseLong((String) m.get("step")));
                case "ell" -> Index.ellipsis();
                case "new" -> Index.newAxis();
                case "tensor" -> Index.tensor(in.get(Integer.parseInt((String) m.get("input"))));
                default -> throw new AssertionError("index kind " + m.get("k"));
            };
        }
        return out;
    }

    private static Long opt(Object o) { return o == null ? null : Long.parseLong((String) o); }

    /** A nested JSON int list as a (possibly ragged) Java long array tree. */
    @SuppressWarnings("unchecked")
    private static Object nested(Object o) {
        List<Object> list = (List<Object>) o;
        if (!list.isEmpty() && list.get(0) instanceof List) {
            long[][] rows = new long[list.size()][];
            for (int k = 0; k < rows.length; k++) rows[k] = (long[]) nested(list.get(k));
            return rows;
        }
        long[] row = new long[list.size()];
        for (int k = 0; k < row.length; k++) row[k] = Long.parseLong((String) list.get(k));
        return row;
    }
}
