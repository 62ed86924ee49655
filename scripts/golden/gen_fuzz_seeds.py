#!/usr/bin/env python3
"""Writes the seed corpora the Jazzer fuzz tests replay (runtime/src/test/resources/.../JazzerFuzzTestInputs).

.npy/.npz seeds come from NumPy (every dtype Tessera reads, both byte orders, Fortran order, 0-d,
empty, a version 2.0 header, stored and deflated archives); .pth/.safetensors seeds are the golden
files of gen_state_dicts.py, and the pickle seeds their data.pkl members. Run from the repo root.
Findings of a campaign are added to the same directories by hand (named finding-*).
"""
import io, os, shutil, zipfile
import numpy as np

RES = "runtime/src/test/resources"
GOLDEN = f"{RES}/golden/io"
NP_DIR = f"{RES}/dev/tessera/numpy/JazzerFuzzTestInputs"
IO_DIR = f"{RES}/dev/tessera/io/JazzerFuzzTestInputs"


def put(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def npy_bytes(a, version=None):
    b = io.BytesIO()
    if version is None:
        np.save(b, a)
    else:
        np.lib.format.write_array(b, a, version=version)
    return b.getvalue()


def main():
    arrays = {
        "f32_2x3": np.arange(6, dtype="<f4").reshape(2, 3),
        "f64_be": np.array([1.5, -2.0, np.nan], dtype=">f8"),
        "f16": np.array([0.5, 65504], dtype="<f2"),
        "i64_fortran": np.asfortranarray(np.arange(12, dtype="<i8").reshape(3, 4)),
        "i32_be": np.array([[1, -2], [3, 4]], dtype=">i4"),
        "i16": np.array([-7, 7], dtype="<i2"),
        "i8": np.array([-128, 127], dtype="i1"),
        "u1": np.array([0, 255], dtype="u1"),
        "bool": np.array([True, False, True]),
        "scalar": np.array(3.25),
        "empty": np.zeros((0, 4), dtype="<f4"),
    }
    for name, a in arrays.items():
        put(f"{NP_DIR}/npy", f"{name}.npy", npy_bytes(a))
    put(f"{NP_DIR}/npy", "v2_header.npy", npy_bytes(np.arange(3, dtype="<f4"), version=(2, 0)))

    small = {k: arrays[k] for k in ("f32_2x3", "i32_be", "scalar")}
    for name, saver in (("stored", np.savez), ("deflated", np.savez_compressed)):
        b = io.BytesIO()
        saver(b, **small)
        put(f"{NP_DIR}/npz", f"{name}.npz", b.getvalue())
    b = io.BytesIO()
    np.savez_compressed(b, zeros=np.zeros(4096, dtype="<f4"))  # a high-ratio member
    put(f"{NP_DIR}/npz", "zeros_deflated.npz", b.getvalue())

    for name in ("model.pth", "mixed.pth", "evil_os_system.pth", "legacy.pth"):
        put(f"{IO_DIR}/pth", name, open(f"{GOLDEN}/{name}", "rb").read())
        if name.endswith(".pth") and zipfile.is_zipfile(f"{GOLDEN}/{name}"):
            with zipfile.ZipFile(f"{GOLDEN}/{name}") as z:
                pkl = [n for n in z.namelist() if n.endswith("/data.pkl")][0]
                put(f"{IO_DIR}/pickle", name.replace(".pth", ".pkl"), z.read(pkl))
    put(f"{IO_DIR}/safetensors", "mixed.safetensors", open(f"{GOLDEN}/mixed.safetensors", "rb").read())
    put(f"{IO_DIR}/safetensors", "empty.safetensors", b"\x02\x00\x00\x00\x00\x00\x00\x00{}")


if __name__ == "__main__":
    main()
