#!/usr/bin/python3
"""Golden fixtures for dev.tessera.tensor.TensorFormatter: repr(tensor) from real PyTorch 1.13.

Writes runtime/src/test/resources/golden/repr/repr_cases.jsonl, one JSON object per line:
  id, shape, dtype (python name), values (one space-separated string of the flat row-major
  elements: float64 as repr(float), other floats as the shortest float32 string, ints as
  decimals, bool as 0/1), device (null or e.g.
  "cuda:0"), grad (suffix strings such as "requires_grad=True"), expected (the repr).
Run from the repository root: /usr/bin/python3 scripts/golden/gen_repr.py
"""
import json
import math
import os

import numpy as np
import torch
import torch._tensor_str as ts

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "runtime", "src", "test", "resources",
                   "golden", "repr", "repr_cases.jsonl")

cases = []


def encode(t):
    flat = t.detach().reshape(-1).tolist()
    if t.dtype == torch.float64:
        return [repr(float(v)) for v in flat]
    if t.dtype.is_floating_point:
        # float16/bfloat16/float32 values are all exact float32s; numpy prints the shortest string.
        return [str(np.float32(v)) for v in flat]
    if t.dtype == torch.bool:
        return ["1" if v else "0" for v in flat]
    return [str(int(v)) for v in flat]


def grad_suffixes(t):
    # Same order and wording as torch._tensor_str._str_intern.
    if t.grad_fn is not None:
        return ["grad_fn=<{}>".format(type(t.grad_fn).__name__)]
    if t.requires_grad:
        return ["requires_grad=True"]
    return []


def add(case_id, t):
    cases.append({"id": case_id, "shape": list(t.shape), "dtype": str(t.dtype)[6:],
                  "values": " ".join(encode(t)), "device": None, "grad": grad_suffixes(t),
                  "expected": repr(t)})


def add_on_device(case_id, t, device):
    """No accelerator here: build the repr the way _str_intern does for a non-cpu tensor, from
    PyTorch's own _tensor_str and _add_suffixes, with device first among the suffixes."""
    suffixes = ["device='" + device + "'"]
    if t.numel() == 0:
        if t.dim() != 1:
            suffixes.append("size=" + str(tuple(t.shape)))
        if t.dtype != torch.get_default_dtype():
            suffixes.append("dtype=" + str(t.dtype))
        body = "[]"
    else:
        if t.dtype not in (torch.float32, torch.int64, torch.bool):
            suffixes.append("dtype=" + str(t.dtype))
        body = ts._tensor_str(t.detach(), len("tensor("))
    suffixes += grad_suffixes(t)
    expected = ts._add_suffixes("tensor(" + body, suffixes, len("tensor("), force_newline=False)
    cases.append({"id": case_id, "shape": list(t.shape), "dtype": str(t.dtype)[6:],
                  "values": " ".join(encode(t)), "device": device, "grad": grad_suffixes(t),
                  "expected": expected})


T = torch.tensor
nan, inf = math.nan, math.inf

# --- the seed tutorial's outputs
add("seed_int_2x2", T([[1, 2], [3, 4]]))
torch.manual_seed(0)
add("seed_rand_like", torch.rand_like(T([[1, 2], [3, 4]]), dtype=torch.float))
add("seed_ones_like_int", torch.ones_like(T([[1, 2], [3, 4]])))
add("seed_rand_2x3", torch.rand(2, 3))
add("seed_ones_2x3", torch.ones(2, 3))
add("seed_zeros_2x3", torch.zeros(2, 3))
ones = torch.ones(4, 4)
ones[:, 1] = 0
add("seed_ones_col1_zero", ones)
add("seed_cat_4x12", torch.cat([ones, ones, ones], dim=1))
add("seed_matmul_3s", ones @ ones.T)
add("seed_add_5", ones + 5)
add("seed_ones_5", torch.ones(5))
add("seed_twos_f64", torch.from_numpy(np.add(np.ones(5), 1)))
add("seed_bool_true_true", T([True, True]))
a = T([2., 3.], requires_grad=True)
b = T([6., 4.], requires_grad=True)
add("seed_requires_grad", a)
add("seed_q_sub_backward", 3 * a ** 3 - b ** 2)

# --- every dtype
torch.manual_seed(1)
add("f32_randn_2x3", torch.randn(2, 3))
add("f64_randn_2x3", torch.randn(2, 3, dtype=torch.float64))
add("f16_values", T([0.1, -2.5, 3.14159, 65504.0], dtype=torch.float16))
add("bf16_values", T([0.1, -2.5, 3.14159, 100.0], dtype=torch.bfloat16))
add("f16_int_valued", T([1., 2., 3.], dtype=torch.float16))
add("bf16_sci", T([1e-5, 3e10], dtype=torch.bfloat16))
add("i64_values", T([5, -17, 0, 123456]))
add("i32_values", T([[5, -17], [0, 2147483647]], dtype=torch.int32))
add("i16_values", T([-32768, 32767, 7], dtype=torch.int16))
add("i8_values", T([-128, 127, 0], dtype=torch.int8))
add("u8_values", T([0, 255, 17], dtype=torch.uint8))
add("bool_2x3", T([[True, False, True], [False, False, True]]))
add("bool_all_true", T([True, True, True]))

# --- 0-d
add("scalar_f32_int_valued", T(3.))
add("scalar_i64", T(3))
add("scalar_bool", T(False))
add("scalar_neg_zero", T(-0.))
add("scalar_nan", T(nan))
add("scalar_tiny", T(1e-5))
add("scalar_frac", T(0.1234567))
add("scalar_f64", T(2.5, dtype=torch.float64))
add("scalar_i8", T(-7, dtype=torch.int8))
add("scalar_f16", T(1.5, dtype=torch.float16))
add("scalar_huge", T(1e10))
add("scalar_zero", T(0.))
add("scalar_neg_inf", T(-inf))

# --- empty
add("empty_f32", torch.empty(0))
add("empty_i64", torch.empty(0, dtype=torch.int64))
add("empty_bool", torch.empty(0, dtype=torch.bool))
add("empty_f64", torch.empty(0, dtype=torch.float64))
add("empty_0x3", torch.empty(0, 3))
add("empty_2x0x4_i32", torch.empty(2, 0, 4, dtype=torch.int32))
add("empty_requires_grad", torch.empty(0, requires_grad=True))
add("empty_f16_3x0", torch.empty(3, 0, dtype=torch.float16))

# --- shapes 1-D .. 4-D
add("arange_1d_f32", torch.arange(6.))
add("arange_3d_i64", torch.arange(24).reshape(2, 3, 4))
torch.manual_seed(2)
add("rand_4d", torch.rand(2, 2, 2, 3))
add("randn_3d", torch.randn(2, 3, 4))
add("randint_4x5", torch.randint(-50, 50, (4, 5)))
add("rand_times_1000", torch.rand(3, 3) * 1000)

# --- scientific notation switching
add("sci_tiny_min", T([1e-5, 1.0]))
add("sci_huge_max", T([1e9, 1.5]))
add("sci_ratio", T([1.5, 2000.5]))
add("no_sci_ratio_below", T([1.5, 1000.5]))
add("int_mode_ratio_exact_1000", T([1., 1000.]))
add("int_mode_ratio_1001", T([1., 1001.]))
add("int_mode_big", T([1e10, 2e10]))
add("int_mode_1e8_edge", T([1e8, 5e7]))
add("sci_negative", T([-1e-7, 3.5, -2e5]))
add("sci_with_zero_and_nan", T([0., nan, 1e-8, -inf]))
add("f64_extremes", T([1e300, 5e-324, -1e-300], dtype=torch.float64))
add("f64_sci_3digit_exp", T([1.5e100, 2.5], dtype=torch.float64))

# --- nan / inf / negative zero
add("nan_inf_int_mode", T([nan, inf, -inf, 1.]))
add("nan_frac", T([nan, 0.5]))
add("all_nonfinite", T([inf, -inf, nan]))
add("zero_and_nan", T([0., nan]))
add("neg_zero_pair", T([-0., 0.]))
add("neg_zero_frac", T([-0., 1.5]))
add("neg_zero_int_mode", T([-0., 1.]))
add("neg_zero_sci", T([-0., 1e-5]))
add("nan_2d_frac", T([[1.25, nan], [inf, -3.75]]))

# --- rounding ties: Python rounds the exact binary value half-to-even
add("tie_fixed", T([1.03125, 0.09375, 0.15625, 2.5], dtype=torch.float64))
add("tie_sci", T([1.03125, 1e-6, 2.0000500000000001], dtype=torch.float64))
add("round_carry", T([9.99996, 0.99995, 1.5]))

# --- integer-valued floats and widths
add("int_valued_floats", T([1., 2., 100.]))
add("int_valued_neg", T([-1., 1000.]))
add("large_i64", T([2 ** 62, -2 ** 63, 1]))
add("mixed_width_int", T([[1, -100], [10000, 5]]))
add("mixed_width_float", T([-123.4567, 0.001, 5.5]))

# --- line wrapping
torch.manual_seed(3)
add("wrap_1d_30", torch.randn(30))
add("wrap_2d_3x25", torch.rand(3, 25))
add("wrap_i64_50", torch.arange(50) * 37)
add("wrap_neg_ints_100", torch.arange(100) - 50)
add("wrap_3d_2x3x30", torch.randn(2, 3, 30))
add("wrap_bool_40", torch.rand(40) > 0.5)
add("wrap_sci_20", torch.randn(20) * 1e-6)

# --- summarization (> 1000 elements)
torch.manual_seed(4)
add("sum_arange_2000", torch.arange(2000.))
add("sum_randn_2000", torch.randn(2000))
add("sum_rand_40x40", torch.rand(40, 40))
add("sum_randn_12x12x12", torch.randn(12, 12, 12))
add("sum_i64_1500", torch.arange(1500) * 1001)
add("sum_bool_2000", torch.arange(2000) % 3 == 0)
add("sum_f64_1001", torch.linspace(0, 1, 1001, dtype=torch.float64))
add("sum_2x1000", torch.randn(2, 1000))
add("sum_4d", torch.randn(3, 4, 10, 10))
x = torch.ones(2000)
x[1000] = 1e10
add("sum_hidden_huge_middle", x)
x = torch.ones(2000)
x[0] = 1e10
add("sum_huge_edge", x)
add("not_summarized_1000", torch.arange(1000))
add("sum_7x7x7x3_i16", torch.arange(1029, dtype=torch.int16).reshape(7, 7, 7, 3))

# --- autograd suffixes
torch.manual_seed(5)
x = torch.randn(3, requires_grad=True)
add("rg_randn", x)
add("grad_fn_mul", x * 2)
add("grad_fn_sum_scalar", x.sum())
add("rg_f64", torch.randn(4, dtype=torch.float64, requires_grad=True))
m = torch.randn(2, 3, requires_grad=True)
add("grad_fn_mm", m @ torch.randn(3, 2))
add("long_suffix_f64", (torch.randn(8, dtype=torch.float64, requires_grad=True) * 3).exp())
add("long_suffix_wrapped_then_short", torch.randn(25, requires_grad=True) + 1)
add("long_suffix_f16_line", torch.full((9,), -1.5, dtype=torch.float16, requires_grad=True) * 1)
add("grad_fn_f64_2d", torch.randn(2, 5, dtype=torch.float64, requires_grad=True).relu())

# --- suffix wrapping at the exact boundary: _add_suffixes counts len - rfind('\n') + 1, i.e.
# two more than the line's length, so ", suffix" wraps once that count + len + 2 exceeds 80.
def boundary_cases():
    limits = {torch.int8: 2, torch.uint8: 2, torch.int16: 4, torch.float16: 4, torch.bfloat16: 2}
    for dtype, grad in ((torch.float64, False), (torch.int32, False), (torch.int16, False),
                        (torch.int8, False), (torch.uint8, False), (torch.float16, False),
                        (torch.bfloat16, False), (torch.float64, True), (torch.float16, True)):
        for d in range(0, limits.get(dtype, 8) + 1):
            for sign in ((1,) if dtype == torch.uint8 else (1, -1)):
                for k in range(1, 14):
                    t = torch.full((k,), sign * 10 ** d, dtype=dtype)
                    if grad:
                        t.requires_grad_(True)
                    body = ts._tensor_str(t.detach(), 7)
                    line = len("tensor(" + body) + 2
                    first = line + len("dtype=" + str(dtype)) + 2
                    second = first + len("requires_grad=True") + 2
                    if first in (80, 81) or (grad and first <= 80 and second in (80, 81)):
                        yield "suffix_boundary_{}_{}x{}{}".format(
                            str(dtype)[6:], sign * 10 ** d, k, "_rg" if grad else ""), t


for case_id, t in boundary_cases():
    add(case_id, t)

# --- device suffix (synthesized from PyTorch's own helpers, see add_on_device)
add_on_device("device_cuda_f32", T([1., 2.5]), "cuda:0")
add_on_device("device_cuda_empty_i64_0x2", torch.empty(0, 2, dtype=torch.int64), "cuda:0")
add_on_device("device_cuda_long", torch.randn(8, dtype=torch.float64, requires_grad=True) * 2, "cuda:1")

ids = [c["id"] for c in cases]
assert len(ids) == len(set(ids)), "duplicate case ids"
with open(OUT, "w") as f:
    for c in cases:
        f.write(json.dumps(c) + "\n")
print("wrote", len(cases), "cases to", os.path.normpath(OUT))
