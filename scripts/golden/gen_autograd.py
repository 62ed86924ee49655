#!/usr/bin/python3
"""Autograd goldens from PyTorch 1.13: leaf gradients, grad_fn names and next_functions structure.

Run: /usr/bin/python3 scripts/golden/gen_autograd.py
Writes runtime/src/test/resources/golden/autograd/graphs.txt, a line format read by
AutogradGoldenTest:
  case <name>
  in <var> <shape,comma,separated|scalar> <values...>
  grad <var> <shape|scalar> <values...>     (or: grad <var> None)
  fn <grad_fn structure of the output, nested as Name(child,child) with None for missing edges>
Each case body below has a line-for-line Java twin in AutogradGoldenTest.
"""
import os
import torch

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), "../../runtime/src/test/resources/golden/autograd/graphs.txt")


def structure(fn, depth=0):
    if fn is None:
        return "None"
    name = type(fn).__name__
    kids = [structure(f, depth + 1) for f, _ in fn.next_functions]
    return name + ("(" + ",".join(kids) + ")" if kids else "")


def leaf(*shape, lo=-1.0, hi=1.0):
    return (torch.rand(*shape, dtype=torch.float64) * (hi - lo) + lo).requires_grad_()


def fmt(t):
    shape = ",".join(str(s) for s in t.shape) if t.dim() else "scalar"
    return shape + " " + " ".join(repr(float(v)) for v in t.detach().reshape(-1).tolist())


CASES = []


def case(f):
    CASES.append(f)
    return f


@case
def tutorial():
    a = torch.tensor([2., 3.], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([6., 4.], dtype=torch.float64, requires_grad=True)
    Q = 3 * a ** 3 - b ** 2
    Q.backward(gradient=torch.tensor([1., 1.], dtype=torch.float64))
    return dict(a=a, b=b), Q


@case
def broadcast_mul_add():
    x, y, z = leaf(2, 3), leaf(3), leaf(2, 1)
    out = (x * y + z).sum()
    out.backward()
    return dict(x=x, y=y, z=z), out


@case
def accumulation():
    x = leaf(3)
    (x * 2).sum().backward()
    (x * x).sum().backward()
    out = x.exp().sum()
    out.backward()
    return dict(x=x), out


@case
def retain_graph():
    x = leaf(3)
    out = (x.sin() * x).sum()
    out.backward(retain_graph=True)
    out.backward()
    return dict(x=x), out


@case
def views_chain():
    x = leaf(2, 3, 4)
    out = x.transpose(0, 2).reshape(4, 6)[1:3].select(1, 2).unsqueeze(0).expand(3, 2).sum()
    out.backward()
    return dict(x=x), out


@case
def view_permute_t():
    x = leaf(2, 3)
    w = leaf(3, 4)
    out = (x.t().T.view(6).view(2, 3) @ w).permute(1, 0).squeeze().sum()
    out.backward()
    return dict(x=x, w=w), out


@case
def cat_stack():
    x, y = leaf(2, 3), leaf(1, 3)
    c = torch.cat([x, y, x], 0)
    s = torch.stack([x, x * 2], 1)
    out = c.pow(2).sum() + s.sum(1).mul(y).sum()
    out.backward()
    return dict(x=x, y=y), out


@case
def matmul_batched():
    a, b = leaf(2, 1, 2, 3), leaf(3, 3, 2)
    out = (a @ b).tanh().sum()
    out.backward()
    return dict(a=a, b=b), out


@case
def mm_mv_dot():
    m, v, w = leaf(3, 4), leaf(4), leaf(3)
    out = m.mm(m.t()).mv(w).dot(m.mv(v))
    out.backward()
    return dict(m=m, v=v, w=w), out


@case
def inplace_nonleaf():
    x, y = leaf(3), leaf(3)
    h = x * 2
    h.mul_(y)
    h.add_(1)
    out = h.sigmoid().sum()
    out.backward()
    return dict(x=x, y=y), out


@case
def copyslices_select():
    x, y = leaf(2, 3), leaf(3)
    h = x.clone()
    h[1].mul_(y)
    out = (h * h).sum()
    out.backward()
    return dict(x=x, y=y), out


@case
def copyslices_slice():
    x, y = leaf(3, 4), leaf(3, 2)
    h = x * 1.5
    h[:, 1:3].add_(y.exp())
    out = h.pow(2).sum()
    out.backward()
    return dict(x=x, y=y), out


@case
def copyslices_copy():
    x, y = leaf(2, 3), leaf(3)
    h = x * 3.0
    h[0] = y
    out = (h * x).sum()
    out.backward()
    return dict(x=x, y=y), out


@case
def index_gather():
    x = leaf(3, 4)
    idx = torch.tensor([2, 0, 2])
    out = x[idx].sum() + x[x > 0].pow(2).sum() + x.gather(1, torch.tensor([[0, 1], [3, 3], [2, 0]])).sum() \
        + x.index_select(1, torch.tensor([1, 1])).sum()
    out.backward()
    return dict(x=x), out


@case
def reductions():
    x = leaf(3, 4)
    out = x.var(1).sum() + x.std(0).sum() + x.amax(1).sum() + x.max() * x.min() + x.prod(1).sum() + x.mean()
    out.backward()
    return dict(x=x), out


@case
def softmax_ce():
    x = leaf(2, 5)
    out = -(x.log_softmax(1).gather(1, torch.tensor([[3], [1]]))).mean() + x.softmax(0)[0, 0]
    out.backward()
    return dict(x=x), out


@case
def split_unbind():
    x = leaf(4, 3)
    a, b = x.split(2)
    u = x.unbind(1)
    c = x.chunk(3, 1)
    out = (a * b).sum() + u[0].dot(u[2]) + c[1].sum()
    out.backward()
    return dict(x=x), out


@case
def where_clamp_relu():
    x, y = leaf(6), leaf(6)
    out = torch.where(x > 0, x, y).sum() + x.clamp(-0.2, 0.4).sum() + (y - 0.1).relu().sum() + torch.maximum(x, y).sum()
    out.backward()
    return dict(x=x, y=y), out


@case
def unused_and_nonrequiring():
    x = leaf(3)
    y = leaf(3)
    c = torch.tensor([1., 2., 3.], dtype=torch.float64)
    out = (x * c + c).sum()
    out.backward()
    return dict(x=x, y=y), out


@case
def scalar_pow_div():
    x, y = leaf(3, lo=0.5, hi=2.0), leaf(3, lo=0.5, hi=2.0)
    out = (x ** y / (1 + x) - 2 / y + x.sqrt() * y.log() - x.abs()).sum()
    out.backward()
    return dict(x=x, y=y), out


def main():
    lines = ["# generated by scripts/golden/gen_autograd.py with torch " + torch.__version__]
    for f in CASES:
        leaves, out = f()
        lines.append("case " + f.__name__)
        for k, v in leaves.items():
            lines.append("in %s %s" % (k, fmt(v)))
        # inputs are printed after backward; none of the cases modifies a leaf, so they are the forward inputs
        for k, v in leaves.items():
            lines.append("grad %s %s" % (k, "None" if v.grad is None else fmt(v.grad)))
        lines.append("out " + fmt(out))
        lines.append("fn " + structure(out.grad_fn))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
