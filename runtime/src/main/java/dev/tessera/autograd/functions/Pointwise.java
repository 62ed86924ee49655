package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.SavedTensor;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.UnaryOp;

/** Elementwise math (exp, log, relu, ...), comparisons, where and clamp, with their derivatives. */
public final class Pointwise {
    private Pointwise() {}

    public static Tensor unary(UnaryOp op, Tensor a) {
        Tensor out = Dispatcher.unary(op, a);
        if (!Autograd.needsGrad(a) || !out.dtype().isFloatingPoint()) return out;
        String name = switch (op) {
            case SQUARE -> "PowBackward0";
            default -> camel(op.name()) + "Backward0";
        };
        FunctionNode n = new FunctionNode(name, a);
        // Save only what the formula reads, as PyTorch does: saving an unused input would turn a
        // harmless later in-place change of it into a version error.
        SavedTensor x = usesInput(op) ? n.save(a) : null;
        SavedTensor y = usesInput(op) ? null : n.saveOutput(out);
        n.backward1(g -> new Tensor[]{derivative(op, g, x, y)});
        return Autograd.record(n, out);
    }

    private static boolean usesInput(UnaryOp op) {
        return switch (op) {
            case RELU, EXP, EXPM1, SQRT, RSQRT, RECIPROCAL, TAN, TANH, SIGMOID -> false;
            default -> true;
        };
    }

    /** d op(x) / dx * g, written in terms of the input x and/or the output y. */
    private static Tensor derivative(UnaryOp op, Tensor g, SavedTensor sx, SavedTensor sy) {
        return switch (op) {
            case NEG -> g.neg();
            case ABS -> g.mul(sx.get().sign());
            case RELU -> Dispatcher.reluBackward(g, sy.get());
            case SIGN, FLOOR, CEIL, TRUNC, ROUND -> Torch.zerosLike(g);
            case SQUARE -> g.mul(sx.get().mul(2.0));
            case EXP -> g.mul(sy.get());
            case EXPM1 -> g.mul(sy.get().add(1.0));
            case LOG -> g.div(sx.get());
            case LOG1P -> g.div(sx.get().add(1.0));
            case LOG2 -> g.div(sx.get().mul(Math.log(2)));
            case LOG10 -> g.div(sx.get().mul(Math.log(10)));
            case SQRT -> g.div(sy.get().mul(2.0));
            case RSQRT -> g.mul(sy.get().pow(3).mul(-0.5));
            case RECIPROCAL -> g.mul(sy.get().pow(2).neg());
            case SIN -> g.mul(sx.get().cos());
            case COS -> g.mul(sx.get().sin().neg());
            case TAN -> g.mul(sy.get().pow(2).add(1.0));
            case TANH -> g.mul(sy.get().pow(2).rsub(1.0));
            case SIGMOID -> g.mul(sy.get().mul(sy.get().rsub(1.0)));
            case SILU -> {
                Tensor s = sx.get().sigmoid();
                yield g.mul(s.mul(sx.get().mul(s.rsub(1.0)).add(1.0)));
            }
            case ERF -> g.mul(sx.get().pow(2).neg().exp().mul(2.0 / Math.sqrt(Math.PI)));
            case GELU -> {
                Tensor x = sx.get();
                Tensor cdf = x.mul(1.0 / Math.sqrt(2.0)).erf().add(1.0).mul(0.5);
                Tensor pdf = x.pow(2).mul(-0.5).exp().mul(1.0 / Math.sqrt(2.0 * Math.PI));
                yield g.mul(cdf.add(x.mul(pdf)));
            }
        };
    }

    private static String camel(String upper) {
        StringBuilder sb = new StringBuilder();
        for (String part : upper.split("_")) sb.append(part.charAt(0)).append(part.substring(1).toLowerCase());
        return sb.toString();
    }

    public static Tensor unaryInPlace(UnaryOp op, Tensor self) {
        return InPlace.apply(self, () -> Dispatcher.unaryInPlace(op, self), s -> unary(op, s));
    }

    /** Comparisons produce bool tensors and carry no gradient. */
    public static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        return Dispatcher.binary(op, a, b);
    }

    public static boolean allclose(Tensor a, Tensor b, double rtol, double atol) {
        Tensor x = a.detach(), y = b.detach();
        Tensor xd = x.to(DType.FLOAT64), yd = y.to(DType.FLOAT64);
        Tensor diff = xd.sub(yd).abs();
        Tensor tol = yd.abs().mul(rtol).add(atol);
        Tensor ok = diff.le(tol).logicalOr(xd.eq(yd));
        return ok.numel() == 0 || ok.all().item().longValue() == 1;
    }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Tensor out = Dispatcher.where(cond, a, b);
        if (!Autograd.needsGrad(a, b)) return out;
        // The condition is not differentiable: like PyTorch, the node has edges for a and b only.
        FunctionNode n = new FunctionNode("WhereBackward0", a, b);
        SavedTensor sc = n.save(cond);
        Grads.Meta ma = Grads.Meta.of(a), mb = Grads.Meta.of(b);
        n.backward1(g -> {
            Tensor zero = Torch.zerosLike(g);
            return new Tensor[]{
                    n.needsInputGrad(0) ? Grads.reduceTo(Dispatcher.where(sc.get(), g, zero), ma) : null,
                    n.needsInputGrad(1) ? Grads.reduceTo(Dispatcher.where(sc.get(), zero, g), mb) : null};
        });
        return Autograd.record(n, out);
    }

    /** clamp_: differentiable on non-leaves (the saved input is a snapshot, so no version error). */
    public static Tensor clampInPlace(Tensor self, Number min, Number max) {
        return InPlace.apply(self, () -> Dispatcher.copyInto(self, clamp(self, min, max)), s -> clamp(s, min, max));
    }

    /** torch.clamp(min, max); either bound may be null. Gradient passes where min <= x <= max. */
    public static Tensor clamp(Tensor a, Number min, Number max) {
        if (min == null && max == null) throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        Tensor out = a.detach();
        if (min != null) out = Dispatcher.binary(BinaryOp.MAXIMUM, out, Tensor.wrapNumber(min));
        if (max != null) out = Dispatcher.binary(BinaryOp.MINIMUM, out, Tensor.wrapNumber(max));
        if (!Autograd.needsGrad(a)) return out;
        FunctionNode n = new FunctionNode("ClampBackward1", a);
        SavedTensor sx = n.save(a);
        n.backward1(g -> {
            Tensor x = sx.get();
            Tensor keep = Torch.onesLike(x).to(DType.BOOL);
            if (min != null) keep = keep.logicalAnd(x.ge(min));
            if (max != null) keep = keep.logicalAnd(x.le(max));
            return new Tensor[]{Dispatcher.where(keep, g, Torch.zerosLike(g))};
        });
        return Autograd.record(n, out);
    }
}
