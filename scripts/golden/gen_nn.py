#!/usr/bin/python3
"""nn/optim goldens from PyTorch 1.13 CPU.

Run: /usr/bin/python3 scripts/golden/gen_nn.py
Writes runtime/src/test/resources/golden/nn/nn.txt, one entry a line:
  t <name> <dtype> <shape,comma,separated|scalar> <values...>   (floats as Python repr of the exact value)
  s <name> <text with newlines written as \\n>
Each case below has a Java twin in NnGoldenTest / OptimGoldenTest that feeds the stored inputs.
"""
import os
import numpy  # noqa: F401  (float32 repr)
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "../../runtime/src/test/resources/golden/nn/nn.txt")
lines = []


def t(name, x):
    x = x.detach()
    shape = ",".join(str(s) for s in x.shape) if x.dim() else "scalar"
    if x.dtype == torch.float32:  # shortest digits that round-trip through float32
        vs = " ".join(str(v) for v in x.reshape(-1).numpy())
    else:
        vs = " ".join(repr(float(v)) if x.is_floating_point() else str(int(v)) for v in x.reshape(-1).tolist())
    lines.append("t %s %s %s %s" % (name, str(x.dtype).replace("torch.", ""), shape, vs))


def s(name, text):
    lines.append("s %s %s" % (name, text.replace("\n", "\\n")))


def rnd(*shape, lo=-1.0, hi=1.0, dtype=torch.float32):
    return torch.rand(*shape, dtype=dtype) * (hi - lo) + lo


# ---- default initialisation ----
torch.manual_seed(0)
lin = nn.Linear(4, 3)
t("init_linear.weight", lin.weight); t("init_linear.bias", lin.bias)
torch.manual_seed(1)
conv = nn.Conv2d(3, 4, 3)
t("init_conv.weight", conv.weight); t("init_conv.bias", conv.bias)
torch.manual_seed(3)
lin2 = nn.Linear(7, 5, bias=False)
conv2 = nn.Conv2d(4, 6, (3, 2), groups=2)
t("init_seq.lin", lin2.weight); t("init_seq.conv.weight", conv2.weight); t("init_seq.conv.bias", conv2.bias)

torch.manual_seed(100)
# ---- linear ----
x = rnd(5, 4).requires_grad_(); w = rnd(3, 4).requires_grad_(); b = rnd(3).requires_grad_(); g = rnd(5, 3)
y = F.linear(x, w, b); y.backward(g)
for k, v in dict(x=x, w=w, b=b, g=g, y=y, gx=x.grad, gw=w.grad, gb=b.grad).items():
    t("linear." + k, v)
s("linear.fn", type(y.grad_fn).__name__)

# ---- conv2d ----
CONVS = [
    ("plain", dict(stride=1, padding=0, dilation=1, groups=1), (2, 3, 6, 5), (4, 3, 3, 3), True),
    ("stride_pad", dict(stride=2, padding=1, dilation=1, groups=1), (2, 3, 7, 6), (5, 3, 3, 2), True),
    ("dilation", dict(stride=(1, 2), padding=(2, 1), dilation=2, groups=1), (1, 2, 7, 7), (3, 2, 3, 3), False),
    ("groups", dict(stride=1, padding=1, dilation=1, groups=2), (2, 4, 5, 5), (6, 2, 3, 3), True),
]
for name, kw, xs, ws, has_bias in CONVS:
    x = rnd(*xs).requires_grad_(); w = rnd(*ws).requires_grad_(); b = rnd(ws[0]).requires_grad_() if has_bias else None
    y = F.conv2d(x, w, b, **kw)
    g = rnd(*y.shape); y.backward(g)
    p = "conv_" + name + "."
    t(p + "x", x); t(p + "w", w); t(p + "g", g); t(p + "y", y); t(p + "gx", x.grad); t(p + "gw", w.grad)
    if has_bias:
        t(p + "b", b); t(p + "gb", b.grad)
    s(p + "fn", type(y.grad_fn).__name__)

# ---- max pool ----
POOLS = [
    ("k3s2p1", dict(kernel_size=3, stride=2, padding=1), (2, 3, 7, 7)),
    ("ceil", dict(kernel_size=2, stride=2, ceil_mode=True), (1, 2, 7, 5)),
    ("ceil_pad_dil", dict(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True), (1, 2, 8, 9)),
    ("rect", dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 0)), (2, 6, 5)),
]
for name, kw, xs in POOLS:
    x = rnd(*xs).requires_grad_()
    y, idx = F.max_pool2d(x, return_indices=True, **kw)
    g = rnd(*y.shape); y.backward(g)
    p = "maxpool_" + name + "."
    t(p + "x", x); t(p + "y", y); t(p + "idx", idx); t(p + "g", g); t(p + "gx", x.grad)
    s(p + "fn", type(y.grad_fn).__name__)
# ties: gradient goes to the first maximum
x = torch.tensor([[[[1., 1., 0.], [1., 1., 0.], [0., 0., 0.]]]], requires_grad=True)
y = F.max_pool2d(x, 2, 1); y.backward(torch.ones_like(y))
t("maxpool_ties.x", x); t("maxpool_ties.y", y); t("maxpool_ties.gx", x.grad)

# ---- adaptive avg pool ----
for name, size, xs in [("3x4", (3, 4), (2, 3, 5, 7)), ("1x1", (1, 1), (2, 3, 4, 4)), ("up", (5, 3), (1, 2, 3, 2))]:
    x = rnd(*xs).requires_grad_()
    y = F.adaptive_avg_pool2d(x, size)
    g = rnd(*y.shape); y.backward(g)
    p = "adaptive_" + name + "."
    t(p + "x", x); t(p + "y", y); t(p + "g", g); t(p + "gx", x.grad)
    s(p + "fn", type(y.grad_fn).__name__)

# ---- batch norm ----
bn = nn.BatchNorm2d(3)
with torch.no_grad():
    bn.weight.copy_(rnd(3)); bn.bias.copy_(rnd(3))
t("bn.weight0", bn.weight); t("bn.bias0", bn.bias)
for step in range(2):
    x = rnd(2, 3, 4, 3, lo=-2, hi=3).requires_grad_()
    y = bn(x)
    g = rnd(*y.shape); y.backward(g)
    p = "bn.train%d." % step
    t(p + "x", x); t(p + "y", y); t(p + "g", g); t(p + "gx", x.grad)
    t(p + "gw", bn.weight.grad); t(p + "gb", bn.bias.grad)
    bn.weight.grad = None; bn.bias.grad = None
    s(p + "fn", type(y.grad_fn).__name__)
t("bn.running_mean", bn.running_mean); t("bn.running_var", bn.running_var); t("bn.num_batches_tracked", bn.num_batches_tracked)
bn.eval()
x = rnd(2, 3, 2, 2).requires_grad_()
y = bn(x); g = rnd(*y.shape); y.backward(g)
t("bn.eval.x", x); t("bn.eval.y", y); t("bn.eval.g", g); t("bn.eval.gx", x.grad); t("bn.eval.gw", bn.weight.grad)
t("bn.eval.gb", bn.bias.grad)

# ---- dropout ----
torch.manual_seed(5)
t("dropout.p03", F.dropout(torch.ones(4, 5), 0.3))
torch.manual_seed(6)
x = rnd(3, 8)
torch.manual_seed(7)
d = nn.Dropout(0.5)
t("dropout.module.x", x); t("dropout.module.y", d(x))

# ---- losses ----
x = rnd(3, 4).requires_grad_(); yv = rnd(3, 4).requires_grad_()
t("mse.x", x); t("mse.target", yv)
for red in ["mean", "sum", "none"]:
    x.grad = None; yv.grad = None
    out = F.mse_loss(x, yv, reduction=red)
    (out if red != "none" else (out * torch.arange(12.).reshape(3, 4)).sum()).backward()
    t("mse.%s.out" % red, out); t("mse.%s.gx" % red, x.grad); t("mse.%s.gt" % red, yv.grad)
    s("mse.%s.fn" % red, type(out.grad_fn).__name__)
logits = rnd(4, 5, lo=-3, hi=3).requires_grad_(); target = torch.tensor([1, 0, 4, 2])
t("ce.x", logits); t("ce.target", target)
for red in ["mean", "sum", "none"]:
    logits.grad = None
    out = F.cross_entropy(logits, target, reduction=red)
    (out if red != "none" else (out * torch.tensor([1., 2., 3., 4.])).sum()).backward()
    t("ce.%s.out" % red, out); t("ce.%s.gx" % red, logits.grad)
    s("ce.%s.fn" % red, type(out.grad_fn).__name__)
lp = F.log_softmax(rnd(3, 4), 1).requires_grad_()
tgt = torch.tensor([3, -100, 0])
out = F.nll_loss(lp, tgt); out.backward()
t("nll.x", lp); t("nll.target", tgt); t("nll.out", out); t("nll.gx", lp.grad)

# ---- optimizers: loss = sum(c * (p - m)^2) over two parameters, 3 steps ----
p0a = rnd(3, 4); p0b = rnd(4); ca = rnd(3, 4, lo=0.5, hi=2); cb = rnd(4, lo=0.5, hi=2); ma = rnd(3, 4); mb = rnd(4)
for k, v in dict(p0a=p0a, p0b=p0b, ca=ca, cb=cb, ma=ma, mb=mb).items():
    t("optim." + k, v)
OPTS = [
    ("sgd_plain", lambda ps: torch.optim.SGD(ps, lr=0.1)),
    ("sgd_momentum", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9)),
    ("sgd_all", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01)),
    ("sgd_nesterov", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.1, nesterov=True)),
    ("adam", lambda ps: torch.optim.Adam(ps, lr=0.01)),
    ("adam_wd", lambda ps: torch.optim.Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("adam_amsgrad", lambda ps: torch.optim.Adam(ps, lr=0.05, weight_decay=0.01, amsgrad=True)),
]
for name, make in OPTS:
    a = p0a.clone().requires_grad_(); b = p0b.clone().requires_grad_()
    opt = make([a, b])
    for step in range(3):
        opt.zero_grad()
        loss = (ca * (a - ma) ** 2).sum() + (cb * (b - mb) ** 2).sum()
        loss.backward()
        opt.step()
        t("optim.%s.%d.a" % (name, step), a); t("optim.%s.%d.b" % (name, step), b)

# ---- module structure ----
torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(inplace=True),
                      nn.MaxPool2d(kernel_size=3, stride=2, padding=1), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(),
                      nn.Dropout(0.25), nn.Linear(4, 2))
s("model.repr", repr(model))
s("model.state_keys", " ".join(model.state_dict().keys()))
s("model.param_names", " ".join(n for n, _ in model.named_parameters()))
s("repr.conv_full", repr(nn.Conv2d(4, 8, (3, 5), stride=(2, 1), padding=(1, 2), dilation=2, groups=2)))
s("repr.bn", repr(nn.BatchNorm2d(64, eps=1e-3, momentum=None)))
x = rnd(2, 3, 5, 5)
t("model.x", x); t("model.train_y", model(x))
model.eval()
t("model.eval_y", model(x))

# ---- batch norm, wider: bit-exact outputs and running statistics (vector bodies and tails) ----
bnw = nn.BatchNorm2d(16)
with torch.no_grad():
    bnw.weight.copy_(rnd(16, lo=-2, hi=2)); bnw.bias.copy_(rnd(16))
t("bnw.weight", bnw.weight); t("bnw.bias", bnw.bias)
x = rnd(3, 16, 9, 11, lo=-4, hi=6)
t("bnw.train.x", x); t("bnw.train.y", bnw(x))
t("bnw.running_mean", bnw.running_mean); t("bnw.running_var", bnw.running_var)
bnw.eval()
x = rnd(2, 16, 7, 5, lo=-3, hi=3)
t("bnw.eval.x", x); t("bnw.eval.y", bnw(x))

with open(OUT, "w") as f:
    f.write("\n".join(lines) + "\n")
print(OUT, len(lines), "entries", os.path.getsize(OUT), "bytes")
