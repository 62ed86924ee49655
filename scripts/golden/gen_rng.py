#!/usr/bin/python3
"""Golden fixtures for dev.tessera.random.CpuGenerator, from real PyTorch (1.13 CPU, AVX2).

Run: /usr/bin/python3 scripts/golden/gen_rng.py   (writes runtime/src/test/resources/golden/rng/rng.txt)

Format, one record per line:
  case NAME SEED        start a case: torch.manual_seed(SEED) (SEED as a signed 64-bit integer)
  uniform DTYPE N FROM TO             -> torch.empty(N, dtype).uniform_(FROM, TO)
  normal DTYPE N MEAN STD CONTIG      -> normal_(MEAN, STD) on a contiguous tensor (CONTIG=1) or a stride-2 view
  randint DTYPE N LOW HIGH            -> torch.randint(LOW, HIGH, (N,), dtype)
  bernoulli DTYPE N P                 -> torch.empty(N, dtype).bernoulli_(P)
  randperm int64 N                    -> torch.randperm(N)
  state                               -> torch.get_rng_state(): '= SHA256 HEAD TAIL', the SHA-256 of bytes 0..5016 (engine),
                                         bytes 0..24 (seed, left, seeded, next) and 5016..5056 (cached normals) in hex
  setstate                            -> the next '=' line is a state to restore (made by torch)
  = V V V ...   the op's result: floats as hex of their raw bits, integers/bools in decimal, state as one hex string
  end
"""
import hashlib
import os
import torch

assert torch.__version__.startswith("1.13"), torch.__version__
OUT = os.path.join(os.path.dirname(__file__), "../../runtime/src/test/resources/golden/rng/rng.txt")
DT = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16,
      "int64": torch.int64, "int32": torch.int32, "int16": torch.int16, "int8": torch.int8,
      "uint8": torch.uint8, "bool": torch.bool}
BITS = {"float32": torch.int32, "float64": torch.int64, "float16": torch.int16, "bfloat16": torch.int16}
WIDTH = {"float32": 8, "float64": 16, "float16": 4, "bfloat16": 4}
lines = []


def values(dtype, t):
    if dtype in BITS:
        mask = (1 << (4 * WIDTH[dtype])) - 1
        return " ".join(format(v & mask, "0%dx" % WIDTH[dtype]) for v in t.contiguous().view(BITS[dtype]).tolist())
    return " ".join(str(int(v)) for v in t.tolist())


def case(name, seed, ops):
    torch.manual_seed(seed)
    lines.append("case %s %d" % (name, seed))
    for op in ops:
        kind, args = op[0], op[1:]
        if kind == "state":
            st = torch.get_rng_state().numpy().tobytes()
            lines.append("state")
            lines.append("= %s %s %s" % (hashlib.sha256(st[:5016]).hexdigest(), st[:24].hex(), st[5016:].hex()))
            continue
        if kind == "setstate":
            torch.manual_seed(args[0])
            for _ in range(args[1]):
                torch.randn(1, dtype=torch.float64)  # leaves a cached normal sample when args[1] is odd
            state = torch.get_rng_state()
            torch.manual_seed(seed)
            torch.set_rng_state(state)
            lines.append("setstate")
            lines.append("= " + state.numpy().tobytes().hex())
            continue
        dtype, n = args[0], args[1]
        if kind == "uniform":
            t = torch.empty(n, dtype=DT[dtype]).uniform_(args[2], args[3])
        elif kind == "normal":
            if args[4]:
                t = torch.empty(n, dtype=DT[dtype]).normal_(args[2], args[3])
            else:
                t = torch.empty(2 * n, dtype=DT[dtype])[::2]
                assert n < 2 or not t.is_contiguous()
                t.normal_(args[2], args[3])
        elif kind == "randint":
            t = torch.randint(args[2], args[3], (n,), dtype=DT[dtype])
        elif kind == "bernoulli":
            t = torch.empty(n, dtype=DT[dtype]).bernoulli_(args[2])
        elif kind == "randperm":
            t = torch.randperm(n)
        else:
            raise ValueError(kind)
        lines.append(" ".join([kind, dtype, str(n)] + [repr(a) if isinstance(a, float) else str(int(a)) for a in args[2:]]))
        lines.append("= " + values(dtype, t))
    lines.append("end")


SEEDS = [0, 1, 42, 2**40 + 7, -1]
SIZES = [1, 3, 15, 16, 17, 100]

for s in SEEDS:
    for dt in ["float32", "float64"]:
        case("uniform-%s-%d" % (dt, s), s, [("uniform", dt, n, 0.0, 1.0) for n in SIZES]
             + [("uniform", dt, 17, -0.3, 0.7), ("uniform", dt, 9, 2.5, 1e3), ("state",)])
        case("normal-%s-%d" % (dt, s), s, [("normal", dt, n, 0.0, 1.0, 1) for n in SIZES]
             + [("normal", dt, 5, 0.0, 1.0, 0), ("normal", dt, 17, 0.0, 1.0, 0),
                ("normal", dt, 33, 0.5, 2.0, 1), ("normal", dt, 7, -1.5, 0.25, 1), ("state",)])

case("large-float32-42", 42, [("uniform", "float32", 1000, 0.0, 1.0), ("normal", "float32", 1000, 0.0, 1.0, 1),
                               ("uniform", "float32", 1000, -0.3, 0.7), ("normal", "float32", 1000, 3.0, 0.5, 1),
                               ("state",)])
case("large-float64-0", 0, [("uniform", "float64", 1000, -0.3, 0.7), ("normal", "float64", 1000, 3.0, 0.5, 1),
                            ("state",)])

for s in [0, 42, -1]:
    case("half-%d" % s, s, [("uniform", dt, n, a, b) for dt in ["float16", "bfloat16"]
                            for (n, a, b) in [(5, 0.0, 1.0), (17, -0.3, 0.7), (40, 2.0, 10.0)]]
         + [("normal", dt, n, m, sd, 1) for dt in ["float16", "bfloat16"]
            for (n, m, sd) in [(5, 0.0, 1.0), (16, 0.0, 1.0), (37, 0.0, 1.0), (40, 0.5, 3.0)]]
         + [("normal", "float16", 20, 0.0, 1.0, 0), ("state",)])
    case("int-%d" % s, s, [
        ("randint", "int64", 100, 0, 10), ("randint", "int32", 50, -5, 5), ("randint", "int64", 40, 0, 2**33),
        ("randint", "int64", 40, -2**40, 2**40), ("randint", "int64", 30, -2**63, 2**63 - 1),
        ("randint", "uint8", 40, 0, 256), ("randint", "int8", 40, -128, 128), ("randint", "int16", 30, -1000, 1000),
        ("randint", "bool", 40, 0, 2), ("randint", "float32", 30, 0, 10), ("randint", "float64", 30, -(2**50), 2**50),
        ("randint", "float16", 20, -100, 100), ("randint", "bfloat16", 20, 0, 200), ("randint", "int64", 10, 5, 6),
        ("state",),
        ("bernoulli", "float32", 100, 0.3), ("bernoulli", "float64", 30, 0.5), ("bernoulli", "int64", 30, 0.9),
        ("bernoulli", "bool", 30, 0.5), ("bernoulli", "uint8", 20, 0.0), ("bernoulli", "int32", 20, 1.0),
        ("state",),
        ("randperm", "int64", 0), ("randperm", "int64", 1), ("randperm", "int64", 2), ("randperm", "int64", 10),
        ("randperm", "int64", 257), ("state",)])

for s in SEEDS:
    case("mixed-%d" % s, s, [
        ("uniform", "float32", 5, 0.0, 1.0), ("normal", "float32", 3, 0.0, 1.0, 1), ("randint", "int64", 4, 0, 10),
        ("normal", "float32", 17, 0.0, 1.0, 1), ("uniform", "float64", 2, 0.0, 1.0), ("normal", "float64", 1, 0.0, 1.0, 1),
        ("bernoulli", "float32", 6, 0.5), ("randperm", "int64", 7), ("normal", "float32", 3, 0.0, 1.0, 1),
        ("normal", "float64", 20, 0.0, 1.0, 0), ("state",), ("normal", "float16", 3, 0.0, 1.0, 1),
        ("uniform", "bfloat16", 3, 0.0, 1.0), ("normal", "float32", 1, 2.0, 3.0, 1), ("state",)])

case("setstate", 5, [("normal", "float64", 3, 0.0, 1.0, 1), ("setstate", 77, 3), ("state",),
                     ("normal", "float64", 3, 0.0, 1.0, 1), ("uniform", "float32", 4, 0.0, 1.0), ("state",)])

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    f.write("# torch %s; generated by scripts/golden/gen_rng.py\n" % torch.__version__)
    f.write("\n".join(lines) + "\n")
print("wrote", OUT, sum(len(l) + 1 for l in lines), "bytes")
