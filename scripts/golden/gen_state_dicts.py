#!/usr/bin/python3
"""Golden fixtures for dev.tessera.io.StateDicts, from real PyTorch (1.13 CPU).

Run: /usr/bin/python3 scripts/golden/gen_state_dicts.py   (writes runtime/src/test/resources/golden/io/)
     /usr/bin/python3 scripts/golden/gen_state_dicts.py --verify FILE.safetensors
         checks a safetensors file (e.g. one written by Tessera) with an independent parser that follows
         the reference implementation's rules, and prints its tensors.

Files:
  model.pth            torch.save(model.state_dict(), 'model.pth') of Sequential(Conv2d(3,4,3), BatchNorm2d(4),
                       Flatten(), Linear(16,2)) after one training step of BatchNorm (top folder 'model')
  mixed.pth            torch.save to a buffer (top folder 'archive') of a plain dict: every dtype, 0-d and empty
                       tensors, a transposed view and slices sharing one storage, a Parameter that requires grad,
                       and non-tensor entries (an int, a nested dict) that the loader skips
  mixed.safetensors    the contiguous tensors of mixed.pth, written by hand here following the safetensors
                       spec (the `safetensors` package is not installed): data sorted by dtype then name as the
                       reference writer does, header padded with spaces to a multiple of 8
  legacy.pth           torch.save(..., _use_new_zipfile_serialization=False): must be refused (its bytes differ
                       between runs: the legacy format pickles object ids)
  evil_os_system.pth   a zip whose data.pkl is GLOBAL 'os system' + REDUCE('echo pwned'): must be refused
  evil_builtins_eval.pth  the same with protocol-4 STACK_GLOBAL 'builtins' 'eval'
  *.txt                expectations, one line per returned tensor, tab-separated:
                       key dtype shape stride offset requires_grad storage_group values
                       (shape/stride comma-separated; storage_group: equal numbers share storage;
                        values in logical row-major order, floats as Python repr of the exact double)
"""
import io
import json
import os
import struct
import sys
import zipfile

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../runtime/src/test/resources/golden/io")

ST_CODE = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
           torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
           torch.bool: "BOOL"}
# The reference writer's Dtype enum order (it sorts data by dtype, largest first, then by name).
ST_ORDER = ["BOOL", "U8", "I8", "I16", "F16", "BF16", "I32", "F32", "F64", "I64"]
ST_SIZE = {"BOOL": 1, "U8": 1, "I8": 1, "I16": 2, "F16": 2, "BF16": 2, "I32": 4, "F32": 4, "F64": 8, "I64": 8}


def expectations(tensors):
    lines, groups = [], {}
    for k, t in tensors.items():
        ptr = t.storage().data_ptr()
        g = groups.setdefault(ptr, len(groups))
        if t.dtype.is_floating_point:
            vals = [repr(float(v)) for v in t.detach().double().reshape(-1).tolist()]
        else:
            vals = [str(int(v)) for v in t.reshape(-1).tolist()]
        lines.append("\t".join([k, str(t.dtype)[6:], ",".join(map(str, t.shape)), ",".join(map(str, t.stride())),
                                str(t.storage_offset()), str(t.requires_grad).lower(), str(g), " ".join(vals)]))
    return "\n".join(lines) + "\n"


def write(name, data):
    with open(os.path.join(OUT, name), "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def model_fixture():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.Flatten(), torch.nn.Linear(16, 2))
    model.train()
    model(torch.randn(2, 3, 4, 4))  # updates running_mean/var and num_batches_tracked
    sd = model.state_dict()
    torch.save(sd, os.path.join(OUT, "model.pth"))
    write("model.txt", expectations(sd))


def mixed_tensors():
    torch.manual_seed(1)
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    d = {
        "f32": torch.randn(2, 3),
        "f64": torch.randn(3, dtype=torch.float64),
        "f16": torch.tensor([1.5, -2.25, 65504.0, 0.0001], dtype=torch.float16),
        "bf16": torch.tensor([1.0, -3.140625, 1e30], dtype=torch.bfloat16),
        "i64": torch.tensor([-(2 ** 63), 2 ** 63 - 1, 0, 42]),
        "i32": torch.tensor([[1, -2], [3, 2 ** 31 - 1]], dtype=torch.int32),
        "i16": torch.tensor([-32768, 32767], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, 5], dtype=torch.int8),
        "u8": torch.tensor([0, 200, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(3.5),
        "scalar_long": torch.tensor(7),
        "empty": torch.zeros(0, 3),
        "base": base,
        "transposed": base.t(),
        "row": base[1],
        "col": base[:, 2],
        "param": torch.nn.Parameter(torch.tensor([0.5, -0.5])),
        "epoch": 3,
        "nested": {"w": torch.ones(2)},
    }
    return d


def safetensors_bytes(tensors):
    """Serializes like the reference writer: metadata first, then entries sorted by (dtype desc, name)."""
    items = sorted(tensors.items(), key=lambda kv: (-ST_ORDER.index(ST_CODE[kv[1].dtype]), kv[0]))
    header, data, pos = {"__metadata__": {"format": "pt"}}, b"", 0
    for k, t in items:
        raw = t.detach().contiguous().reshape(-1)
        raw = raw.view(torch.int16) if t.dtype == torch.bfloat16 else raw
        b = raw.numpy().astype(raw.numpy().dtype.newbyteorder("<")).tobytes()
        header[k] = {"dtype": ST_CODE[t.dtype], "shape": list(t.shape), "data_offsets": [pos, pos + len(b)]}
        data += b
        pos += len(b)
    js = json.dumps(header, separators=(",", ":")).encode()
    js += b" " * (-(8 + len(js)) % 8)
    return struct.pack("<Q", len(js)) + js + data


def verify_safetensors(path):
    """An independent check of the reference implementation's rules; returns {name: (dtype, shape, bytes)}."""
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    assert 0 < n <= 100_000_000 and 8 + n <= len(raw), "bad header length"
    assert raw[8:9] == b"{", "header must start with '{'"
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    buf = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    assert all(isinstance(v, str) for v in meta.values()), "metadata values must be strings"
    end, out = 0, {}
    for k, info in sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"])):
        b, e = info["data_offsets"]
        assert b == end, "tensor %s: gap or overlap at %d" % (k, b)
        numel = 1
        for s in info["shape"]:
            numel *= s
        assert e - b == numel * ST_SIZE[info["dtype"]], "tensor %s: size mismatch" % k
        out[k] = (info["dtype"], info["shape"], buf[b:e])
        end = e
    assert end == len(buf), "data buffer not fully covered"
    return out


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--verify":
        for k, (dt, shape, b) in verify_safetensors(sys.argv[2]).items():
            print(k, dt, shape, b.hex())
        return
    assert torch.__version__.startswith("1.13"), torch.__version__
    os.makedirs(OUT, exist_ok=True)
    model_fixture()

    mixed = mixed_tensors()
    buf = io.BytesIO()
    torch.save(mixed, buf)
    write("mixed.pth", buf.getvalue())
    tensors = {k: v for k, v in mixed.items() if isinstance(v, torch.Tensor)}
    write("mixed.txt", expectations(tensors))

    st = {k: v for k, v in tensors.items() if v.is_contiguous() and v.storage_offset() == 0 and k != "base"}
    st["transposed"] = tensors["transposed"].contiguous()
    write("mixed.safetensors", safetensors_bytes(st))
    verify_safetensors(os.path.join(OUT, "mixed.safetensors"))
    write("mixed_safetensors.txt", expectations({k: v.detach().contiguous() for k, v in st.items()}).replace("\ttrue\t", "\tfalse\t"))

    legacy = io.BytesIO()
    torch.save({"w": torch.ones(2)}, legacy, _use_new_zipfile_serialization=False)
    write("legacy.pth", legacy.getvalue())

    for name, pkl in [("evil_os_system.pth", b"\x80\x02cos\nsystem\nX\x0a\x00\x00\x00echo pwned\x85R."),
                      ("evil_builtins_eval.pth", b"\x80\x04\x8c\x08builtins\x8c\x04eval\x93\x8c\x0bprint('hi')\x85R.")]:
        z = io.BytesIO()
        with zipfile.ZipFile(z, "w", zipfile.ZIP_STORED) as zf:
            for member, data in [("archive/data.pkl", pkl), ("archive/version", b"3\n")]:
                zf.writestr(zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0)), data)  # reproducible bytes
        write(name, z.getvalue())


if __name__ == "__main__":
    main()
