#!/usr/bin/env python3
"""Half of scripts/bench-compare: times NumPy or PyTorch on the same work as
dev.tessera.bench.CompareMain (best of N after warm-up) and prints `work,size,seconds`.
With --report, merges the three CSVs into a table, compare.csv and compare.svg."""
import argparse
import sys
import time


def best(fn, reps):
    end = time.perf_counter() + 0.3
    warm = 0
    while warm < 3 or time.perf_counter() < end:
        fn()
        warm += 1
    b = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        b = min(b, time.perf_counter() - t)
    return b


def works(lib, quick):
    import numpy as np
    rng = np.random.default_rng(0)
    sizes = [64, 128] if quick else [256, 512, 1024, 2048]
    lengths = [1 << 12] if quick else [1 << 20, 1 << 24]
    skinny, cols = 64, 1024
    if lib == "torch":
        import torch
        T = lambda x: torch.from_numpy(x)
    for n in sizes:
        a = rng.random((n, n), dtype=np.float32) * 2 - 1
        b = rng.random((n, n), dtype=np.float32) * 2 - 1
        bs = np.ascontiguousarray(b[:, :skinny])
        if lib == "numpy":
            c, cs = np.empty((n, n), np.float32), np.empty((n, skinny), np.float32)
            yield "matmul", n, lambda: np.matmul(a, b, out=c)
            yield "matmul_skinny", n, lambda: np.matmul(a, bs, out=cs)
            yield "matmul_tA", n, lambda: np.matmul(a.T, b, out=c)
        else:
            ta, tb, tbs = T(a), T(b), T(bs)
            c, cs = torch.empty(n, n), torch.empty(n, skinny)
            yield "matmul", n, lambda: torch.mm(ta, tb, out=c)
            yield "matmul_skinny", n, lambda: torch.mm(ta, tbs, out=cs)
            yield "matmul_tA", n, lambda: torch.mm(ta.t(), tb, out=c)
    for n in lengths:
        x = rng.random(n, dtype=np.float32) * 2 - 1
        y = rng.random(n, dtype=np.float32) * 2 - 1
        positive = np.abs(x) + np.float32(0.01)
        if lib == "numpy":
            o = np.empty_like(x)
            x2, o2 = x.reshape(-1, cols), o.reshape(-1, cols)

            def softmax():
                np.subtract(x2, x2.max(axis=1, keepdims=True), out=o2)
                np.exp(o2, out=o2)
                np.divide(o2, o2.sum(axis=1, keepdims=True), out=o2)

            yield "add", n, lambda: np.add(x, y, out=o)
            yield "mul", n, lambda: np.multiply(x, y, out=o)
            yield "relu", n, lambda: np.maximum(x, 0, out=o)
            yield "sum", n, lambda: x.sum()
            yield "softmax", n, softmax
            yield "log", n, lambda: np.log(positive, out=o)
            yield "tanh", n, lambda: np.tanh(x, out=o)
        else:
            tx, ty, to, tpositive = T(x), T(y), torch.empty(n), T(positive)
            tx2, to2 = tx.view(-1, cols), to.view(-1, cols)
            yield "add", n, lambda: torch.add(tx, ty, out=to)
            yield "mul", n, lambda: torch.mul(tx, ty, out=to)
            yield "relu", n, lambda: torch.clamp(tx, min=0, out=to)
            yield "sum", n, lambda: tx.sum()
            yield "softmax", n, lambda: torch.softmax(tx2, dim=1)
            yield "log", n, lambda: torch.log(tpositive)
            yield "tanh", n, lambda: torch.tanh(tx)
    if lib == "torch":
        # NumPy has no convolution: these rows compare Tessera with PyTorch only.
        import torchvision
        side = 8 if quick else 56
        for item in conv_works(torch, quick):
            yield item
        torch.manual_seed(0)
        model = torchvision.models.resnet18().eval()
        image = torch.rand(1, 3, 4 * side, 4 * side) * 2 - 1

        def fwd():
            with torch.no_grad():
                model(image)

        def fwdbwd():
            model.zero_grad(set_to_none=True)
            model(image).sum().backward()

        yield "resnet18_fwd", 4 * side, fwd
        yield "resnet18_fwdbwd", 4 * side, fwdbwd
        # the batches people train with, as CompareMain: eval-mode inference, train-mode fwd+bwd
        trained = torchvision.models.resnet18().train()
        for n, size in ([(2, 32)] if quick else [(8, 224), (32, 64)]):
            batch = torch.rand(n, 3, size, size) * 2 - 1

            def fwd_n(batch=batch):
                with torch.no_grad():
                    model(batch)

            def train_n(batch=batch):
                trained.zero_grad(set_to_none=True)
                trained(batch).sum().backward()

            yield "resnet18_fwd_n%d" % n, size, fwd_n
            yield "resnet18_train_n%d" % n, size, train_n


def conv_works(torch, quick):
    """conv2d 3x3 (stride 1, padding 1, no bias) at ResNet-18's four stage shapes, batch 1 and 8:
    forward under no_grad, and aten.convolution_backward (the op autograd's ConvolutionBackward0
    calls) for the input gradient alone and the weight gradient alone, as CompareMain.convWorks."""
    stages = [(16, 8)] if quick else [(64, 56), (128, 28), (256, 14), (512, 7)]
    F = torch.nn.functional
    for batch in (1, 8):
        for c, side in stages:
            x = torch.rand(batch, c, side, side) * 2 - 1
            w = (torch.rand(c, c, 3, 3) * 2 - 1) * 0.05
            gout = torch.rand(batch, c, side, side) * 2 - 1
            tag = "_n%d_c%d" % (batch, c)

            def fwd(x=x, w=w):
                with torch.no_grad():
                    F.conv2d(x, w, None, 1, 1)

            def bwd(mask, x=x, w=w, gout=gout):
                return lambda: torch.ops.aten.convolution_backward(gout, x, w, None, [1, 1], [1, 1], [1, 1], False,
                                                                   [0, 0], 1, mask)

            yield "conv3x3_fwd" + tag, side, fwd
            yield "conv3x3_bwd_data" + tag, side, bwd([True, False, False])
            yield "conv3x3_bwd_weight" + tag, side, bwd([False, True, False])


def describe(lib):
    if lib == "torch":
        import torch
        return "torch %s threads=%d %s" % (torch.__version__, torch.get_num_threads(),
                                            torch.backends.cpu.get_cpu_capability()
                                            if hasattr(torch.backends, "cpu") else "")
    import numpy as np
    info = "numpy %s" % np.__version__
    try:
        import threadpoolctl
        for p in threadpoolctl.threadpool_info():
            info += " %s/%s threads=%s" % (p.get("internal_api"), p.get("architecture"), p.get("num_threads"))
    except ImportError:
        import ctypes
        import glob
        import os
        libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "libscipy_openblas*.so"))
        if libs:
            ob = ctypes.CDLL(libs[0])
            ob.scipy_openblas_get_corename64_.restype = ctypes.c_char_p
            info += " openblas core=%s threads=%d" % (ob.scipy_openblas_get_corename64_().decode(),
                                                    ob.scipy_openblas_get_num_threads64_())
    return info


def report(paths, outdir):
    libs = ["tessera", "numpy", "torch"]
    data = {}
    for lib, path in zip(libs, paths):
        with open(path) as f:
            for line in f:
                parts = line.strip().split(",")
                if len(parts) == 3 and not line.startswith("#"):
                    # a work measured in several rounds keeps its best time
                    row = data.setdefault((parts[0], int(parts[1])), {})
                    row[lib] = min(row.get(lib, float("inf")), float(parts[2]))
    rows = []
    hdr = "%-14s %9s %12s %12s %12s %10s %10s" % ("work", "size", "tessera_ms", "numpy_ms", "torch_ms",
                                                   "vs_numpy", "vs_torch")
    print(hdr)
    print("-" * len(hdr))
    for (work, size), v in data.items():
        t, n, p = v.get("tessera"), v.get("numpy"), v.get("torch")
        rn = n / t if t and n else None
        rp = p / t if t and p else None
        rows.append((work, size, t, n, p, rn, rp))
        fmt = lambda x, s=1e3: "%12.4f" % (x * s) if x else "%12s" % "-"
        print("%-14s %9d %s %s %s %10s %10s" % (work, size, fmt(t), fmt(n), fmt(p),
                                                 "%.2fx" % rn if rn else "-", "%.2fx" % rp if rp else "-"))
    print("ratios are speed-ups of Tessera: other time / Tessera time (>1 means Tessera is faster)")
    with open(outdir + "/compare.csv", "w") as f:
        f.write("work,size,tessera_s,numpy_s,torch_s,numpy_over_tessera,torch_over_tessera\n")
        for r in rows:
            f.write(",".join("" if x is None else str(x) for x in r) + "\n")
    svg(rows, outdir + "/compare.svg")


def svg(rows, path):
    """Horizontal bars of the two ratios per work item; a line marks 1.0."""
    bar, gap, left, width = 9, 8, 190, 520
    top = 40
    height = top + len(rows) * (2 * bar + gap) + 40
    vmax = max([2.0] + [r for row in rows for r in row[5:] if r]) * 1.05
    x = lambda v: left + width * v / vmax
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" '
           'font-size="11">' % (left + width + 80, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="18" font-size="14">Tessera speed-up (other time / Tessera time)</text>',
           '<rect x="%d" y="24" width="10" height="8" fill="#4878d0"/><text x="%d" y="32">vs NumPy</text>'
           % (left, left + 14),
           '<rect x="%d" y="24" width="10" height="8" fill="#ee854a"/><text x="%d" y="32">vs PyTorch</text>'
           % (left + 90, left + 104)]
    y = top
    for work, size, _, _, _, rn, rp in rows:
        out.append('<text x="%d" y="%d" text-anchor="end">%s %d</text>' % (left - 6, y + bar + 3, work, size))
        for i, (r, color) in enumerate(((rn, "#4878d0"), (rp, "#ee854a"))):
            if r:
                yy = y + i * bar
                out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>' % (left, yy, x(r) - left,
                                                                                       bar - 1, color))
                out.append('<text x="%.1f" y="%d" font-size="9">%.2f</text>' % (x(r) + 3, yy + bar - 2, r))
        y += 2 * bar + gap
    out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black" stroke-dasharray="4 3"/>'
               % (x(1), top - 4, x(1), y))
    out.append('<text x="%.1f" y="%d" text-anchor="middle">1.0</text>' % (x(1), y + 14))
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", choices=["numpy", "torch"])
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="", help="comma-separated work-name prefixes to run")
    ap.add_argument("--report", nargs=3, metavar=("TESSERA", "NUMPY", "TORCH"))
    ap.add_argument("--outdir", default="bench/results")
    args = ap.parse_args()
    if args.report:
        report(args.report, args.outdir)
        return
    if args.lib == "torch":
        # Debian's torch starts with one OpenMP thread here; give it every core, as Tessera and NumPy have.
        import os
        import torch
        torch.set_num_threads(os.cpu_count())
    print("# " + describe(args.lib), flush=True)
    only = [p for p in args.only.split(",") if p]
    for work, size, fn in works(args.lib, args.quick):
        if only and not any(work.startswith(p) for p in only):
            continue
        print("%s,%d,%.9f" % (work, size, best(fn, args.reps)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
