#!/usr/bin/python3
"""Golden cases for the tensor core, computed with PyTorch 1.13 (CPU).

Writes runtime/src/test/resources/golden/ops/ops.jsonl: one JSON object per line,
  {"id", "op", "inputs": [tensor...], "args": [...], "tol": "exact"|"ulp"|"rel",
   "expect": {"dtype", "shape", "values", ["stride", "offset", "shares"]} | {"error": message}}
where a tensor is {"dtype", "shape", "values"} and values are strings (repr of the exact float64
value, integer text, bools as 0/1), so the Java replay (TensorOpsGoldenTest) reads them exactly.
"""
import json
import os
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "runtime", "src", "test", "resources",
                   "golden", "ops", "ops.jsonl")
NAMES = {torch.float32: "float32", torch.float64: "float64", torch.float16: "float16",
         torch.bfloat16: "bfloat16", torch.int64: "int64", torch.int32: "int32", torch.int16: "int16",
         torch.int8: "int8", torch.uint8: "uint8", torch.bool: "bool"}
cases = []


def enc(t):
    flat = t.detach().contiguous().reshape(-1)
    if t.dtype.is_floating_point:
        vals = [repr(float(v)) for v in flat.double().tolist()]
    else:
        vals = [str(int(v)) for v in flat.long().tolist()]
    return {"dtype": NAMES[t.dtype], "shape": list(t.shape), "values": vals}


def case(id, op, inputs, args, fn, tol="exact", view=False):
    c = {"id": id, "op": op, "inputs": [enc(t) for t in inputs], "args": args, "tol": tol}
    try:
        r = fn(*[t.clone() for t in inputs])
        e = enc(r)
        if view:
            e["stride"] = list(r.stride())
            e["offset"] = r.storage_offset()
        c["expect"] = e
    except (RuntimeError, IndexError, ValueError, TypeError) as ex:
        c["expect"] = {"error": str(ex).split("\n")[0]}
    cases.append(c)


g = torch.Generator().manual_seed(1234)


def rnd(*shape, dtype=torch.float32):
    return torch.randn(tuple(shape), generator=g, dtype=torch.float64).to(dtype)


def ints(*shape, lo=-9, hi=10, dtype=torch.int64):
    return torch.randint(lo, hi, shape, generator=g).to(dtype)


def quarter(*shape, dtype=torch.float32):  # floats exact in every dtype, for exact matmul/sums
    return (torch.randint(-16, 17, shape, generator=g) / 4).to(dtype)


sc = lambda v: {"scalar": v}

# ---- arithmetic, broadcasting, type promotion -------------------------------------------------
BIN = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div}
pairs = [
    ("f32_f32_bcast", rnd(3, 1, 4), rnd(2, 1)),
    ("i64_f32", ints(2, 3), rnd(3)),
    ("u8_i8", ints(2, 3, lo=0, hi=250, dtype=torch.uint8), ints(3, lo=-100, hi=100, dtype=torch.int8)),
    ("bool_i64", ints(2, 2, lo=0, hi=2, dtype=torch.bool), ints(2, 2)),
    ("bool_bool", ints(4, lo=0, hi=2, dtype=torch.bool), ints(4, lo=0, hi=2, dtype=torch.bool)),
    ("f16_f32", rnd(2, 3, dtype=torch.float16), rnd(2, 3)),
    ("bf16_f16", rnd(3, dtype=torch.bfloat16), rnd(3, dtype=torch.float16)),
    ("bf16_bf16", rnd(2, 2, dtype=torch.bfloat16), rnd(2, 2, dtype=torch.bfloat16)),
    ("f16_i64", rnd(3, dtype=torch.float16), ints(3)),
    ("0d_f64_f32", rnd(dtype=torch.float64), rnd(2, 2)),
    ("0d_i64_u8", torch.tensor(300), ints(3, lo=0, hi=255, dtype=torch.uint8)),
    ("f32_0d_f32", rnd(2, 3), rnd()),
    ("i32_i64", ints(2, 3, dtype=torch.int32), ints(2, 3, lo=1)),
    ("i64_i64_div", ints(2, 3), ints(2, 3, lo=1, hi=5)),
    ("f64_f32", rnd(2, dtype=torch.float64), rnd(2, 2)),
    ("empty_bcast", rnd(0, 3), rnd(1, 3)),
]
for name, a, b in pairs:
    for op, fn in BIN.items():
        if op == "sub" and (a.dtype == torch.bool or b.dtype == torch.bool):
            continue
        case(f"{op}_{name}", op, [a, b], [], fn)
for op, fn in BIN.items():
    case(f"{op}_i64_scalar_float", op, [ints(2, 3)], [sc(2.5)], lambda a, fn=fn: fn(a, 2.5))
    case(f"{op}_u8_scalar_int", op, [ints(4, lo=0, hi=255, dtype=torch.uint8)], [sc(7)], lambda a, fn=fn: fn(a, 7))
    case(f"{op}_f16_scalar_float", op, [rnd(3, dtype=torch.float16)], [sc(0.1)], lambda a, fn=fn: fn(a, 0.1))
    case(f"{op}_bool_scalar_int", op, [ints(3, lo=0, hi=2, dtype=torch.bool)], [sc(3)], lambda a, fn=fn: fn(a, 3))
    case(f"{op}_f32_scalar_float", op, [rnd(2, 2)], [sc(1.7)], lambda a, fn=fn: fn(a, 1.7))
    case(f"{op}_i32_scalar_int", op, [ints(3, dtype=torch.int32)], [sc(3)], lambda a, fn=fn: fn(a, 3))
case("add_mismatch", "add", [rnd(2, 3), rnd(2, 4)], [], torch.add)
case("mul_mismatch3d", "mul", [rnd(2, 3, 5), rnd(4, 1)], [], torch.mul)
case("rsub_f32", "rsub", [rnd(3)], [sc(1)], lambda a: 1 - a)
case("neg_i64", "neg", [ints(5)], [], torch.neg)

# pow
case("pow_f32_int", "pow", [rnd(4)], [sc(3)], lambda a: a ** 3, tol="ulp")
case("pow_f32_half", "pow", [rnd(4).abs()], [sc(0.5)], lambda a: a ** 0.5, tol="ulp")
case("pow_i64_int", "pow", [ints(5, lo=-4, hi=5)], [sc(3)], lambda a: a ** 3)
case("pow_i64_float", "pow", [ints(5, lo=0, hi=5)], [sc(1.5)], lambda a: a ** 1.5, tol="ulp")
case("pow_f32_tensor", "pow", [rnd(3).abs(), rnd(2, 1)], [], torch.pow, tol="ulp")
case("pow_f32_2", "pow", [rnd(4)], [sc(2)], lambda a: a ** 2)

# comparisons
for op in ["eq", "ne", "lt", "le", "gt", "ge"]:
    fn = getattr(torch, op)
    case(f"{op}_f32_bcast", op, [quarter(2, 3), quarter(3)], [], fn)
    case(f"{op}_i64_f32", op, [ints(4, lo=-2, hi=2), quarter(4)], [], fn)
    case(f"{op}_i64_scalar", op, [ints(5, lo=-2, hi=3)], [sc(1)], lambda a, fn=fn: fn(a, 1))
    case(f"{op}_u8_scalar_neg", op, [ints(3, lo=0, hi=3, dtype=torch.uint8)], [sc(-1)], lambda a, fn=fn: fn(a, -1))

# unary
for op in ["exp", "log", "sqrt", "abs", "neg", "relu", "sigmoid", "tanh"]:
    fn = getattr(torch, op)
    tol = "exact" if op in ("abs", "neg", "relu") else "ulp"
    x = rnd(7)
    if op in ("log", "sqrt"):
        x = torch.cat([x.abs() * 3, torch.tensor([0.0, -1.0])])
    case(f"{op}_f32", op, [x], [], fn, tol=tol)
    case(f"{op}_f64", op, [x.double()], [], fn, tol=tol)
    case(f"{op}_bf16", op, [x.bfloat16()], [], fn, tol=tol)  # 1.13 CPU has no float16 exp/log/...
    case(f"{op}_i64", op, [ints(4, lo=0, hi=5)], [], fn, tol=tol)
case("relu_i32", "relu", [ints(5, dtype=torch.int32)], [], torch.relu)
case("abs_i8", "abs", [ints(5, dtype=torch.int8)], [], torch.abs)
case("sigmoid_big", "sigmoid", [torch.tensor([-100., -20., 0., 20., 100.])], [], torch.sigmoid, tol="ulp")
case("exp_bool", "exp", [ints(3, lo=0, hi=2, dtype=torch.bool)], [], torch.exp, tol="ulp")

# where / clamp
case("where_bcast", "where", [rnd(2, 3) > 0, rnd(3), rnd(2, 1)], [], torch.where)
case("where_promote", "where", [rnd(4) > 0, ints(4), rnd(4)], [], torch.where)
case("where_scalars", "where_scalars", [rnd(2, 2) > 0], [sc(1.0), sc(0.0)], lambda c: torch.where(c, 1.0, 0.0))
case("clamp_f32", "clamp", [rnd(6)], [sc(-0.5), sc(0.5)], lambda a: a.clamp(-0.5, 0.5))
case("clamp_min_i64", "clamp", [ints(6)], [sc(0), None], lambda a: a.clamp(min=0))
case("clamp_max_i64", "clamp", [ints(6)], [None, sc(3)], lambda a: a.clamp(max=3))
case("clamp_i64_float", "clamp", [ints(6)], [sc(-1.5), sc(2.5)], lambda a: a.clamp(-1.5, 2.5))

# ---- reductions ----------------------------------------------------------------------------------
A = rnd(3, 4, 5)
I = ints(3, 4)
for name, x in [("f32", A), ("i64", I), ("i32", ints(2, 3, dtype=torch.int32)), ("u8", ints(2, 3, lo=0, hi=255, dtype=torch.uint8)),
                ("bool", ints(2, 3, lo=0, hi=2, dtype=torch.bool))]:
    tol = "rel" if x.is_floating_point() else "exact"
    case(f"sum_all_{name}", "sum", [x], [], lambda a: a.sum(), tol=tol)
    case(f"sum_d1_{name}", "sum", [x], [1, False], lambda a: a.sum(1), tol=tol)
    case(f"sum_dm1_keep_{name}", "sum", [x], [-1, True], lambda a: a.sum(-1, keepdim=True), tol=tol)
    case(f"prod_d0_{name}", "prod", [x], [0, False], lambda a: a.prod(0), tol=tol)
    case(f"max_all_{name}", "max", [x], [], lambda a: a.max())
    case(f"min_all_{name}", "min", [x], [], lambda a: a.min())
    if name != "bool":  # 1.13 has no argmax/argmin for bool
        case(f"argmax_all_{name}", "argmax", [x], [], lambda a: a.argmax())
        case(f"argmin_d1_{name}", "argmin", [x], [1, False], lambda a: a.argmin(1))
        case(f"argmax_d0_keep_{name}", "argmax", [x], [0, True], lambda a: a.argmax(0, keepdim=True))
    case(f"maxdim_values_{name}", "max_values", [x], [1, False], lambda a: a.max(1).values)
    case(f"maxdim_indices_{name}", "max_indices", [x], [1, False], lambda a: a.max(1).indices)
    case(f"mindim_keep_values_{name}", "min_values", [x], [0, True], lambda a: a.min(0, keepdim=True).values)
    case(f"mindim_keep_indices_{name}", "min_indices", [x], [0, True], lambda a: a.min(0, keepdim=True).indices)
    case(f"mean_all_{name}", "mean", [x], [], lambda a: a.mean(), tol="rel")
case("argmax_ties", "argmax", [torch.tensor([1, 5, 5, 2, 5])], [], lambda a: a.argmax())
case("max_nan", "max", [torch.tensor([1.0, float("nan"), 3.0])], [], lambda a: a.max())
case("sum_f16", "sum", [rnd(4, 3, dtype=torch.float16)], [0, False], lambda a: a.sum(0), tol="rel")
case("prod_all_f32", "prod", [rnd(6)], [], lambda a: a.prod(), tol="rel")
case("prod_all_i64", "prod", [ints(6, lo=1, hi=6)], [], lambda a: a.prod())
for k in ["mean", "std", "var"]:
    case(f"{k}_all_f32", k, [A], [], lambda a, k=k: getattr(a, k)(), tol="rel")
    case(f"{k}_d1_f32", k, [A], [1, False], lambda a, k=k: getattr(a, k)(1), tol="rel")
    case(f"{k}_d2_keep_f64", k, [A.double()], [2, True], lambda a, k=k: getattr(a, k)(2, keepdim=True), tol="rel")
case("std_single", "std", [rnd(1)], [], lambda a: a.std())
case("sum_empty", "sum", [rnd(0, 3)], [0, False], lambda a: a.sum(0))
case("mean_int_error", "mean", [ints(3)], [], lambda a: a.mean())
case("max_empty_error", "max", [rnd(0)], [], lambda a: a.max())

# ---- matmul --------------------------------------------------------------------------------------
for sa, sb in [((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 5)), ((3, 4), (4, 5)), ((2, 3, 4), (4, 5)),
               ((4,), (2, 4, 3)), ((2, 1, 3, 4), (5, 4, 2)), ((1, 3, 4), (2, 4, 2)), ((3, 4), (2, 4, 5)),
               ((0, 4), (4, 3)), ((3, 0), (0, 2))]:
    name = "x".join(map(str, sa)) + "_" + "x".join(map(str, sb))
    case(f"matmul_{name}", "matmul", [quarter(*sa), quarter(*sb)], [], torch.matmul)
case("matmul_f64_rand", "matmul", [rnd(3, 5, dtype=torch.float64), rnd(5, 2, dtype=torch.float64)], [], torch.matmul, tol="rel")
case("matmul_i64", "matmul", [ints(2, 3), ints(3, 2)], [], torch.matmul)
case("matmul_mismatch", "matmul", [rnd(2, 3), rnd(4, 2)], [], torch.matmul)
case("matmul_dtype_mismatch", "matmul", [rnd(2, 3), ints(3, 2)], [], torch.matmul)

# ---- joining and splitting -------------------------------------------------------------------------
case("cat_d0", "cat", [rnd(2, 3), rnd(1, 3)], [0], lambda a, b: torch.cat([a, b], 0))
case("cat_dm1_promote", "cat", [ints(2, 2), rnd(2, 3)], [-1], lambda a, b: torch.cat([a, b], -1))
case("cat_empty1d", "cat", [rnd(0), rnd(2, 2)], [0], lambda a, b: torch.cat([a, b], 0))
case("cat_mismatch", "cat", [rnd(2, 3), rnd(2, 4)], [0], lambda a, b: torch.cat([a, b], 0))
case("stack_d0", "stack", [rnd(2, 3), rnd(2, 3)], [0], lambda a, b: torch.stack([a, b], 0))
case("stack_dm1", "stack", [ints(2, 3), ints(2, 3)], [-1], lambda a, b: torch.stack([a, b], -1))
case("stack_d1", "stack", [rnd(2, 3), rnd(2, 3)], [1], lambda a, b: torch.stack([a, b], 1))
case("stack_mismatch", "stack", [rnd(2, 3), rnd(2, 4)], [0], lambda a, b: torch.stack([a, b], 0))
X = torch.arange(24.).reshape(4, 6)
for i in range(3):
    if i < 2:
        case(f"split2_d1_part{i}", "split", [X], [4, 1, i], lambda a, i=i: a.split(4, 1)[i], view=True)
    case(f"chunk3_d0_part{i}", "chunk", [torch.arange(10)], [4, 0, i], lambda a, i=i: a.chunk(4, 0)[i], view=True)
case("chunk_count", "chunk_count", [torch.arange(6)], [4, 0], lambda a: torch.tensor(len(a.chunk(4, 0))))
case("split_count", "split_count", [torch.arange(7)], [3, 0], lambda a: torch.tensor(len(a.split(3, 0))))

# ---- views ---------------------------------------------------------------------------------------
V = torch.arange(24.).reshape(2, 3, 4)
VIEWS = [
    ("view_6x4", "view", [6, 4], lambda a: a.view(6, 4)),
    ("view_infer", "view", [-1, 8], lambda a: a.view(-1, 8)),
    ("reshape_T", "reshape_t", [-1], lambda a: a.transpose(0, 2).reshape(-1)),
    ("reshape_view", "reshape", [4, 6], lambda a: a.reshape(4, 6)),
    ("view_noncontig_error", "view_t", [24], lambda a: a.transpose(0, 1).view(24)),
    ("view_bad_size", "view", [5, 5], lambda a: a.view(5, 5)),
    ("transpose_0_2", "transpose", [0, 2], lambda a: a.transpose(0, 2)),
    ("transpose_neg", "transpose", [-1, -2], lambda a: a.transpose(-1, -2)),
    ("permute", "permute", [2, 0, 1], lambda a: a.permute(2, 0, 1)),
    ("permute_bad", "permute", [0, 0, 1], lambda a: a.permute(0, 0, 1)),
    ("T", "T", [], lambda a: a.permute(2, 1, 0)),
    ("expand", "expand", [2, 2, 3, 4], lambda a: a.expand(2, 2, 3, 4)),
    ("expand_minus1", "expand", [-1, 3, 4], lambda a: a.expand(-1, 3, 4)),
    ("expand_bad", "expand", [2, 5, 4], lambda a: a.expand(2, 5, 4)),
    ("unsqueeze_1", "unsqueeze", [1], lambda a: a.unsqueeze(1)),
    ("unsqueeze_neg", "unsqueeze", [-1], lambda a: a.unsqueeze(-1)),
    ("flatten_all", "flatten", [0, -1], lambda a: a.flatten()),
    ("flatten_1_2", "flatten", [1, 2], lambda a: a.flatten(1, 2)),
    ("narrow", "narrow", [2, 1, 2], lambda a: a.narrow(2, 1, 2)),
    ("narrow_neg", "narrow", [-1, -3, 2], lambda a: a.narrow(-1, -3, 2)),
    ("select", "select", [1, 2], lambda a: a.select(1, 2)),
    ("select_neg", "select", [2, -1], lambda a: a.select(2, -1)),
    ("select_oob", "select", [1, 3], lambda a: a.select(1, 3)),
    ("contiguous_of_T", "contiguous_t", [], lambda a: a.transpose(0, 2).contiguous()),
]
for name, op, args, fn in VIEWS:
    case(f"{name}", op, [V], args, fn, view=True)
S = torch.arange(6.).reshape(1, 3, 1, 2)
case("squeeze_all", "squeeze", [S], [], lambda a: a.squeeze(), view=True)
case("squeeze_dim0", "squeeze", [S], [0], lambda a: a.squeeze(0), view=True)
case("squeeze_dim1_noop", "squeeze", [S], [1], lambda a: a.squeeze(1), view=True)
case("t_2d", "t", [torch.arange(6).reshape(2, 3)], [], lambda a: a.t(), view=True)
case("t_1d", "t", [torch.arange(3)], [], lambda a: a.t(), view=True)
case("t_3d_error", "t", [V], [], lambda a: a.t())
case("view_of_view_offset", "view_chain", [V], [], lambda a: a[1, 1:].transpose(0, 1)[2:], view=True)

# ---- indexing -------------------------------------------------------------------------------------
def at(i): return {"k": "at", "i": i}
def sl(start=None, stop=None, step=1): return {"k": "slice", "start": start, "stop": stop, "step": step}
ELL, NEW = {"k": "ell"}, {"k": "new"}
def ti(n): return {"k": "tensor", "input": n}

W = torch.arange(60.).reshape(3, 4, 5)
IDX = [
    ("at0", [at(0)], lambda a: a[0]),
    ("at_neg", [at(-1), at(-2)], lambda a: a[-1, -2]),
    ("at_all3", [at(1), at(2), at(3)], lambda a: a[1, 2, 3]),
    ("slice_neg_bounds", [sl(), sl(-3, -1)], lambda a: a[:, -3:-1]),
    ("slice_step", [sl(None, None, 2), sl(1, None, 2)], lambda a: a[::2, 1::2]),
    ("slice_clamped", [sl(-10, 10)], lambda a: a[-10:10]),
    ("slice_empty", [sl(2, 1)], lambda a: a[2:1]),
    ("ellipsis_at", [ELL, at(1)], lambda a: a[..., 1]),
    ("at_ellipsis_slice", [at(0), ELL, sl(1, 3)], lambda a: a[0, ..., 1:3]),
    ("newaxis", [NEW, sl(), NEW, at(1)], lambda a: a[None, :, None, 1]),
    ("newaxis_ellipsis", [ELL, NEW], lambda a: a[..., None]),
    ("at_oob", [at(3)], lambda a: a[3]),
    ("at_oob_dim1", [sl(), at(-5)], lambda a: a[:, -5]),
    ("too_many", [at(0), at(0), at(0), at(0)], lambda a: a[0, 0, 0, 0]),
]
for name, ix, fn in IDX:
    case(f"index_{name}", "index", [W], ix, fn, view=True)
mask = W[:, :, 0] > 20
case("index_boolmask2d", "index", [W, mask], [ti(1)], lambda a, m: a[m])
case("index_boolmask_full", "index", [W, W.remainder(7) == 0], [ti(1)], lambda a, m: a[m])
case("index_boolmask_after_slice", "index", [W, torch.tensor([True, False, True, True, False])], [sl(), at(1), ti(1)],
     lambda a, m: a[:, 1, m])
case("index_int64", "index", [W, torch.tensor([2, 0, -1, 2])], [ti(1)], lambda a, i: a[i])
case("index_int64_dim1", "index", [W, torch.tensor([[0, 3], [1, 1]])], [sl(), ti(1)], lambda a, i: a[:, i])
case("index_two_int64", "index", [W, torch.tensor([0, 2]), torch.tensor([1, 3])], [ti(1), ti(2)], lambda a, i, j: a[i, j])
case("index_int64_oob", "index", [W, torch.tensor([0, 5])], [ti(1)], lambda a, i: a[i])
case("index_mask_shape_bad", "index", [W, torch.tensor([True, False])], [ti(1)], lambda a, m: a[m])
case("index_apart_bcast", "index", [W, torch.tensor([2, 0, -1]), torch.tensor([[4], [0]])], [ti(1), sl(), ti(2)],
     lambda a, i, j: a[i, :, j])
case("index_adjacent_mid", "index", [W, torch.tensor([[3], [-4]]), torch.tensor([1, 4, 0])], [sl(), ti(1), ti(2)],
     lambda a, i, j: a[:, i, j])
case("index_slices_around_int64", "index", [W, torch.tensor([1, 1, 0])], [sl(None, None, 2), ti(1), sl(1, None, 2)],
     lambda a, i: a[::2, i, 1::2])
case("index_int64_empty", "index", [W, torch.zeros(0, dtype=torch.int64)], [sl(), ti(1)], lambda a, i: a[:, i])
case("index_int32", "index", [W, torch.tensor([2, -3], dtype=torch.int32)], [ti(1)], lambda a, i: a[i])
case("index_two_oob_dim2", "index", [W, torch.tensor([0, 1]), torch.tensor([4, 5])], [sl(), ti(1), ti(2)],
     lambda a, i, j: a[:, i, j])

# ---- gather and index_select (the device's gather/scatter kernels) --------------------------------
GI = torch.tensor([[[0, 4], [2, 2]], [[1, 0], [3, 3]], [[4, 1], [0, 2]]])
case("gather_dim2", "gather", [W, GI], [2], lambda a, i: a.gather(2, i))
case("gather_neg_dim", "gather", [W, GI], [-1], lambda a, i: a.gather(-1, i))
case("gather_dim0_small", "gather", [W, torch.tensor([[[2, 0, 1, 1, 0]]])], [0], lambda a, i: a.gather(0, i))
case("gather_int64", "gather", [torch.arange(12).reshape(3, 4) * 7 - 40, torch.tensor([[3, 0], [1, 1], [2, 3]])], [1], lambda a, i: a.gather(1, i))
case("gather_0d", "gather", [torch.tensor(2.5), torch.tensor(0)], [0], lambda a, i: a.gather(0, i))
case("gather_neg_error", "gather", [W, torch.tensor([[[-1]]])], [1], lambda a, i: a.gather(1, i))
case("gather_oob_error", "gather", [W, torch.tensor([[[4]]])], [1], lambda a, i: a.gather(1, i))
case("gather_size_error", "gather", [W, torch.zeros(4, 1, 1, dtype=torch.int64)], [1], lambda a, i: a.gather(1, i))
case("index_select_dim1", "index_select", [W, torch.tensor([3, 0, 3])], [1], lambda a, i: a.index_select(1, i))
case("index_select_0d_index", "index_select", [W, torch.tensor(2)], [2], lambda a, i: a.index_select(2, i))
case("index_select_i32", "index_select", [W, torch.tensor([2, 1], dtype=torch.int32)], [0], lambda a, i: a.index_select(0, i))
case("index_select_empty", "index_select", [W, torch.zeros(0, dtype=torch.int64)], [1], lambda a, i: a.index_select(1, i))
case("index_select_0d_input", "index_select", [torch.tensor(2.5), torch.tensor([0])], [0], lambda a, i: a.index_select(0, i))
case("nonzero_3d", "nonzero", [W.remainder(3) == 0], [], torch.nonzero)
case("nonzero_float_nan", "nonzero", [torch.tensor([[0.0, float("nan")], [-0.0, 2.5]])], [], torch.nonzero)
case("nonzero_none", "nonzero", [torch.zeros(2, 3)], [], torch.nonzero)
case("nonzero_0d", "nonzero", [torch.tensor(3)], [], torch.nonzero)

def put(ix, value):
    def f(a, *ts):
        real = [ts[x["input"] - 1] if x["k"] == "tensor" else
                (x["i"] if x["k"] == "at" else slice(x["start"], x["stop"], x["step"]) if x["k"] == "slice" else
                 (Ellipsis if x["k"] == "ell" else None)) for x in ix]
        v = ts[-1] if isinstance(value, str) else value
        a[tuple(real)] = v
        return a
    return f

case("indexput_col", "index_put_scalar", [W], [[sl(), at(1)], sc(0)], put([sl(), at(1)], 0))
case("indexput_slice_step", "index_put_scalar", [W], [[sl(None, None, 2), ELL, sl(1, None, 2)], sc(-1.5)],
     put([sl(None, None, 2), ELL, sl(1, None, 2)], -1.5))
case("indexput_mask", "index_put_scalar", [W, W > 40], [[ti(1)], sc(7)], put([ti(1)], 7))
case("indexput_int64", "index_put_tensor", [W, torch.tensor([0, 2]), rnd(4, 5)], [[ti(1)]], put([ti(1)], "t"))
case("indexput_bcast_tensor", "index_put_tensor", [W, rnd(5)], [[at(1)]], put([at(1)], "t"))
case("indexput_int_into_i64", "index_put_scalar", [ints(3, 3)], [[sl(1, None), at(-1)], sc(2.9)], put([sl(1, None), at(-1)], 2.9))

# ---- in-place -------------------------------------------------------------------------------------
for op in ["add_", "sub_", "mul_", "div_"]:
    case(f"{op}_f32_bcast", op, [rnd(2, 3), rnd(3)], [], lambda a, b, op=op: getattr(a, op)(b))
    case(f"{op}_f32_scalar", op, [rnd(4)], [sc(3)], lambda a, op=op: getattr(a, op)(3))
case("add__i64_f32_error", "add_", [ints(3), rnd(3)], [], lambda a, b: a.add_(b))
case("add__bcast_error", "add_", [rnd(3), rnd(2, 3)], [], lambda a, b: a.add_(b))
case("mul__i64_scalar_int", "mul_", [ints(3)], [sc(4)], lambda a: a.mul_(4))
case("add__f32_i64", "add_", [rnd(3), ints(3)], [], lambda a, b: a.add_(b))
case("relu__f32", "relu_", [rnd(6)], [], lambda a: a.relu_())
case("clamp__f32", "clamp_", [rnd(6)], [sc(-0.2), sc(0.3)], lambda a: a.clamp_(-0.2, 0.3))
case("fill__view", "fill_view", [torch.zeros(3, 4)], [sc(2.0)], lambda a: (a[:, 1::2].fill_(2.0), a)[1])
case("copy__bcast_cast", "copy_", [torch.zeros(2, 3), ints(3)], [], lambda a, b: a.copy_(b))


# ---- edge cases: wrap-around, division by zero, floor semantics ------------------------------------
case("add_i8_wrap", "add", [torch.tensor([100, -100, 127], dtype=torch.int8), torch.tensor([100, -100, 1], dtype=torch.int8)], [], torch.add)
case("sub_u8_wrap", "sub", [torch.tensor([0, 5], dtype=torch.uint8), torch.tensor([1, 10], dtype=torch.uint8)], [], torch.sub)
case("mul_i64_overflow", "mul", [torch.tensor([2 ** 62, -3])], [sc(4)], lambda a: a * 4)
case("div_f32_by_zero", "div", [torch.tensor([1.0, -1.0, 0.0])], [sc(0)], lambda a: a / 0)
case("div_i64_by_zero_true", "div", [torch.tensor([1, -1, 0])], [sc(0)], lambda a: a / 0)
case("remainder_neg", "remainder", [torch.tensor([-7, 7, -7, 7])], [sc(3)], lambda a: a.remainder(3))
case("remainder_neg_div", "remainder", [torch.tensor([-7, 7, -7, 7])], [sc(-3)], lambda a: a.remainder(-3))
case("remainder_f32", "remainder", [torch.tensor([-7.5, 7.5, -0.5])], [sc(2)], lambda a: a.remainder(2))
case("floor_divide_neg", "floor_divide", [torch.tensor([-7, 7, -7, 7])], [sc(2)], lambda a: a.floor_divide(2))
case("floor_divide_f32", "floor_divide", [torch.tensor([-7.5, 7.5])], [sc(2)], lambda a: a.floor_divide(2))
case("clamp_min_gt_max", "clamp", [rnd(4)], [sc(1.0), sc(-1.0)], lambda a: a.clamp(1.0, -1.0))
case("maximum_nan", "maximum", [torch.tensor([1.0, float("nan"), 2.0]), torch.tensor([float("nan"), 0.0, 3.0])], [], torch.maximum)
case("maximum_promote", "maximum", [ints(4), rnd(4)], [], torch.maximum)
case("sum_multi_dims", "sum_dims", [quarter(2, 3, 4)], [[0, 2], True], lambda a: a.sum((0, 2), keepdim=True))
case("sum_dtype_f64", "sum_dtype", [quarter(2, 3)], ["float64"], lambda a: a.sum(dtype=torch.float64))
case("sum_bool_all", "sum", [ints(7, lo=0, hi=2, dtype=torch.bool)], [], lambda a: a.sum())
case("sum_i8_all", "sum", [torch.tensor([100, 100, 100], dtype=torch.int8)], [], lambda a: a.sum())
case("prod_i32_d0", "prod", [ints(3, 2, lo=1, hi=5, dtype=torch.int32)], [0, False], lambda a: a.prod(0))
case("var_correction0", "var_c0", [quarter(3, 4)], [1], lambda a: a.var(1, unbiased=False), tol="rel")
case("mean_dims_f64", "mean_dims", [rnd(2, 3, 4, dtype=torch.float64)], [[-1, 0], False], lambda a: a.mean((-1, 0)), tol="rel")
case("pow_i64_neg_exp_error", "pow", [torch.tensor([2, 3])], [sc(-1)], lambda a: a ** -1)
case("pow_0d_base", "pow", [torch.tensor(2.0), torch.tensor([1.0, 2.0, 3.0])], [], torch.pow)
case("where_cond_u8_error", "where", [torch.tensor([1, 0], dtype=torch.int64), rnd(2), rnd(2)], [], torch.where)
case("eq_bool_int", "eq", [torch.tensor([True, False]), torch.tensor([1, 1])], [], torch.eq)
case("index_neg_int64_2d", "index", [W, torch.tensor([-1, -3])], [sl(), sl(), ti(1)], lambda a, i: a[:, :, i])
case("index_slice_then_mask", "index", [W, torch.tensor([True, False, True])], [ti(1), sl(1, 3)], lambda a, m: a[m, 1:3])
case("index_noncontig_src", "index_t", [W], [at(1), sl(None, None, 2)], lambda a: a.transpose(0, 2)[1, ::2], view=True)
case("indexput_noncontig_view", "index_put_t", [W], [[at(0), sl(1, None, 2)], sc(-9)], lambda a: (a.transpose(0, 1).__setitem__((0, slice(1, None, 2)), -9), a)[1])
case("matmul_1d_1d_int", "matmul", [ints(5), ints(5)], [], torch.matmul)
case("matmul_transposed_args", "matmul_tt", [quarter(4, 3), quarter(5, 4)], [], lambda a, b: a.t() @ b.t())
case("cat_three_dim1_bool_int", "cat", [ints(2, 1, lo=0, hi=2, dtype=torch.bool), ints(2, 2, dtype=torch.int8), ints(2, 1, lo=0, hi=9, dtype=torch.uint8)], [1],
     lambda a, b, c: torch.cat([a, b, c], 1))
case("squeeze_0d", "squeeze", [torch.tensor(3.0)], [], lambda a: a.squeeze(), view=True)
case("unsqueeze_0d", "unsqueeze", [torch.tensor(3.0)], [0], lambda a: a.unsqueeze(0), view=True)
case("expand_0d", "expand", [torch.tensor(3.0)], [2, 3], lambda a: a.expand(2, 3), view=True)
case("flatten_0d", "flatten", [torch.tensor(3.0)], [0, -1], lambda a: a.flatten(), view=True)
case("view_0d_to_1", "view", [torch.tensor(3.0)], [1], lambda a: a.view(1), view=True)
case("reshape_empty", "reshape", [rnd(0, 3)], [3, -1, 0], lambda a: a.reshape(3, -1, 0))
case("narrow_oob", "narrow", [V], [1, 2, 2], lambda a: a.narrow(1, 2, 2))

# ---- creation errors ------------------------------------------------------------------------------
cases.append({"id": "ragged_tensor", "op": "ragged", "inputs": [], "args": [[[1, 2], [3]]], "tol": "exact",
              "expect": {"error": "expected sequence of length 2 at dim 1 (got 1)"}})

with open(OUT, "w") as f:
    for c in cases:
        f.write(json.dumps(c, separators=(",", ":")) + "\n")
print("wrote", len(cases), "cases to", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")
