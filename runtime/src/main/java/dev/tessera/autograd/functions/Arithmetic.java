package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.SavedTensor;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.Dispatcher;

/** add, sub, mul, div, pow, neg, maximum/minimum, casts and copies: forward and backward together. */
public final class Arithmetic {
    private Arithmetic() {}

    public static Tensor add(Tensor a, Tensor b) {
        Tensor out = Dispatcher.binary(BinaryOp.ADD, a, b);
        if (!Autograd.needsGrad(a, b)) return out;
        FunctionNode n = new FunctionNode("AddBackward0", a, b);
        Grads.Meta ma = Grads.Meta.of(a), mb = Grads.Meta.of(b);
        n.backward1(g -> new Tensor[]{
                n.needsInputGrad(0) ? Grads.reduceTo(g, ma) : null,
                n.needsInputGrad(1) ? Grads.reduceTo(g, mb) : null});
        return Autograd.record(n, out);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        Tensor out = Dispatcher.binary(BinaryOp.SUB, a, b);
        if (!Autograd.needsGrad(a, b)) return out;
        FunctionNode n = new FunctionNode(a.isWrappedNumber() ? "RsubBackward1" : "SubBackward0", a, b);
        Grads.Meta ma = Grads.Meta.of(a), mb = Grads.Meta.of(b);
        n.backward1(g -> new Tensor[]{
                n.needsInputGrad(0) ? Grads.reduceTo(g, ma) : null,
                n.needsInputGrad(1) ? Grads.reduceTo(g.neg(), mb) : null});
        return Autograd.record(n, out);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Tensor out = Dispatcher.binary(BinaryOp.MUL, a, b);
        if (!Autograd.needsGrad(a, b)) return out;
        FunctionNode n = new FunctionNode("MulBackward0", a, b);
        Grads.Meta ma = Grads.Meta.of(a), mb = Grads.Meta.of(b);
        SavedTensor sa = b.requiresGrad() ? n.save(a) : null;
        SavedTensor sb = a.requiresGrad() ? n.save(b) : null;
        n.backward1(g -> new Tensor[]{
                n.needsInputGrad(0) ? Grads.reduceTo(g.mul(sb.get()), ma) : null,
                n.needsInputGrad(1) ? Grads.reduceTo(g.mul(sa.get()), mb) : null});
        return Autograd.record(n, out);
    }

    public static Tensor div(Tensor a, Tensor b) {
        Tensor out = Dispatcher.binary(BinaryOp.DIV, a, b);
        if (!Autograd.needsGrad(a, b)) return out;
        FunctionNode n = new FunctionNode("DivBackward0", a, b);
        Grads.Meta ma = Grads.Meta.of(a), mb = Grads.Meta.of(b);
        SavedTensor sa = b.requiresGrad() ? n.save(a) : null;
        SavedTensor sb = n.save(b);
        n.backward1(g -> new Tensor[]{
                n.needsInputGrad(0) ? Grads.reduceTo(g.div(sb.get()), ma) : null,
                n.needsInputGrad(1) ? Grads.reduceTo(g.neg().mul(sa.get()).div(sb.get().mul(sb.get())), mb) : null});
        return Autograd.record(n, out);
    }

    /** a ** e for a wrapped-number exponent (PowBackward0) or a tensor exponent (PowBackward1). */
    public static Tensor pow(Tensor a, Tensor e) {
        Tensor out = Dispatcher.binary(BinaryOp.POW, a, e);
        if (!Autograd.needsGrad(a, e)) return out;
        if (e.isWrappedNumber()) {
            FunctionNode n = new FunctionNode("PowBackward0", a);
            SavedTensor sa = n.save(a);
            double exp = e.item().doubleValue();
            n.backward1(g -> new Tensor[]{exp == 0 ? dev.tessera.Torch.zerosLike(sa.get())
                    : g.mul(sa.get().pow(exp - 1).mul(exp))});
            return Autograd.record(n, out);
        }
        FunctionNode n = new FunctionNode("PowBackward1", a, e);
        Grads.Meta ma = Grads.Meta.of(a), me = Grads.Meta.of(e);
        SavedTensor sa = n.save(a), se = n.save(e), so = e.requiresGrad() ? n.saveOutput(out) : null;
        n.backward1(g -> {
            Tensor ga = null, ge = null;
            if (n.needsInputGrad(0)) {
                Tensor ex = se.get();
                Tensor d = ex.mul(sa.get().pow(ex.sub(1.0)));
                ga = Grads.reduceTo(g.mul(Pointwise.where(ex.eq(0), dev.tessera.Torch.zerosLike(d), d)), ma);
            }
            if (n.needsInputGrad(1)) {
                Tensor base = sa.get();
                Tensor d = so.get().mul(base.log());
                // d/de of 0**e is 0 for e >= 0, not nan
                Tensor safe = Pointwise.where(base.eq(0).logicalAnd(se.get().ge(0)), dev.tessera.Torch.zerosLike(d), d);
                ge = Grads.reduceTo(g.mul(safe), me);
            }
            return new Tensor[]{ga, ge};
        });
        return Autograd.record(n, out);
    }

    public static Tensor neg(Tensor a) {
        Tensor out = Dispatcher.unary(dev.tessera.ops.UnaryOp.NEG, a);
        if (!Autograd.needsGrad(a)) return out;
        FunctionNode n = new FunctionNode("NegBackward0", a);
        n.backward1(g -> new Tensor[]{g.neg()});
        return Autograd.record(n, out);
    }

    public static Tensor maximum(Tensor a, Tensor b) { return extremum(a, b, true); }

    public static Tensor minimum(Tensor a, Tensor b) { return extremum(a, b, false); }

    private static Tensor extremum(Tensor a, Tensor b, boolean max) {
        Tensor out = Dispatcher.binary(max ? BinaryOp.MAXIMUM : BinaryOp.MINIMUM, a, b);
        if (!Autograd.needsGrad(a, b)) return out;
        FunctionNode n = new FunctionNode(max ? "MaximumBackward0" : "MinimumBackward0", a, b);
        Grads.Meta ma = Grads.Meta.of(a), mb = Grads.Meta.of(b);
        SavedTensor sa = n.save(a), sb = n.save(b);
        n.backward1(g -> {
            Tensor x = sa.get(), y = sb.get();
            Tensor tie = x.eq(y);
            Tensor half = g.div(2.0);
            Tensor zero = dev.tessera.Torch.zerosLike(g);
            Tensor aWins = max ? x.gt(y) : x.lt(y);
            Tensor bWins = max ? y.gt(x) : y.lt(x);
            Tensor ga = Pointwise.where(aWins, g, Pointwise.where(tie, half, zero));
            Tensor gb = Pointwise.where(bWins, g, Pointwise.where(tie, half, zero));
            return new Tensor[]{n.needsInputGrad(0) ? Grads.reduceTo(ga, ma) : null,
                    n.needsInputGrad(1) ? Grads.reduceTo(gb, mb) : null};
        });
        return Autograd.record(n, out);
    }

    /** Python's %: differentiable in the dividend (grad 1), as PyTorch. */
    public static Tensor remainder(Tensor a, Tensor b) {
        Tensor out = Dispatcher.binary(BinaryOp.REMAINDER, a, b);
        if (!Autograd.needsGrad(a, b)) return out;
        FunctionNode n = new FunctionNode("RemainderBackward0", a, b);
        Grads.Meta ma = Grads.Meta.of(a), mb = Grads.Meta.of(b);
        SavedTensor sa = n.save(a), sb = n.save(b);
        n.backward1(g -> new Tensor[]{n.needsInputGrad(0) ? Grads.reduceTo(g, ma) : null,
                n.needsInputGrad(1) ? Grads.reduceTo(g.neg().mul(floorDivide(sa.get(), sb.get())), mb) : null});
        return Autograd.record(n, out);
    }

    /** Floor division has zero gradient almost everywhere; PyTorch records no graph for it. */
    public static Tensor floorDivide(Tensor a, Tensor b) {
        return Dispatcher.binary(BinaryOp.FLOOR_DIVIDE, a, b);
    }

    // ---- in-place ----------------------------------------------------------------------------

    public static Tensor addInPlace(Tensor self, Tensor o) {
        return InPlace.apply(self, BinaryOp.ADD, o, s -> add(s, o));
    }

    public static Tensor subInPlace(Tensor self, Tensor o) {
        return InPlace.apply(self, BinaryOp.SUB, o, s -> sub(s, o));
    }

    public static Tensor mulInPlace(Tensor self, Tensor o) {
        return InPlace.apply(self, BinaryOp.MUL, o, s -> mul(s, o));
    }

    public static Tensor divInPlace(Tensor self, Tensor o) {
        return InPlace.apply(self, BinaryOp.DIV, o, s -> div(s, o));
    }

    public static Tensor powInPlace(Tensor self, Tensor e) {
        return InPlace.apply(self, BinaryOp.POW, e, s -> pow(s, e));
    }

    /** self[...] = src (broadcast, cast); differentiable in both, as PyTorch's copy_. */
    public static Tensor copyInPlace(Tensor self, Tensor src) {
        return InPlace.applyCopy(self, src);
    }

    public static Tensor fillInPlace(Tensor self, Number value) {
        return InPlace.applyFill(self, value);
    }

    // ---- casts and devices -------------------------------------------------------------------

    public static Tensor toType(Tensor t, DType dtype) {
        Tensor out = Dispatcher.cast(t, dtype);
        if (!Autograd.needsGrad(t) || !dtype.isFloatingPoint()) return out;
        FunctionNode n = new FunctionNode("ToCopyBackward0", t);
        DType from = t.dtype();
        n.backward1(g -> new Tensor[]{g.to(from)});
        return Autograd.record(n, out);
    }

    public static Tensor toDevice(Tensor t, Device device) {
        Tensor out = Dispatcher.transfer(t, device);
        if (!Autograd.needsGrad(t)) return out;
        FunctionNode n = new FunctionNode("ToCopyBackward0", t);
        Device from = t.device();
        n.backward1(g -> new Tensor[]{g.to(from)});
        return Autograd.record(n, out);
    }
}
