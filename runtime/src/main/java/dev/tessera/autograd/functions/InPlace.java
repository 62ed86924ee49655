package dev.tessera.autograd.functions;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.GradMode;
import dev.tessera.autograd.Node;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.Dispatcher;
import java.util.function.UnaryOperator;

/**
 * In-place ops. Without autograd they write straight through the dispatcher. With autograd, the
 * op runs out of place on a snapshot that carries self's history, the result is written into
 * self, and self takes the result's grad_fn (PyTorch's rebase_history). When self is a view of a
 * tensor that requires grad, the base's history becomes a CopySlices node, as in PyTorch.
 */
final class InPlace {
    private InPlace() {}

    static void checkLeaf(Tensor self) {
        if (GradMode.isEnabled() && self.isLeaf() && self.requiresGrad() && !self.isView()) {
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation.");
        }
        Tensor base = self.viewBase();
        if (GradMode.isEnabled() && base != null && base.isLeaf() && base.requiresGrad()) {
            throw new IllegalStateException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        }
    }

    private static boolean recordsGraph(Tensor self, Tensor... others) {
        Tensor base = self.viewBase();
        return Autograd.needsGrad(self, base) || Autograd.needsGrad(others);
    }

    static Tensor apply(Tensor self, BinaryOp op, Tensor other, UnaryOperator<Tensor> outOfPlace) {
        return apply(self, () -> Dispatcher.binaryInPlace(op, self, other), outOfPlace, other);
    }

    /**
     * @param direct     the plain in-place kernel call, used when no graph is recorded
     * @param outOfPlace the differentiable out-of-place op applied to a snapshot of self
     */
    static Tensor apply(Tensor self, Runnable direct, UnaryOperator<Tensor> outOfPlace, Tensor... others) {
        checkLeaf(self);
        if (!recordsGraph(self, others)) {
            direct.run();
            return self;
        }
        // Validate dtype/shape rules exactly as the plain in-place path would, before touching data.
        Tensor result = outOfPlace.apply(snapshot(self));
        if (!dev.tessera.ops.TypePromotion.canCast(result.dtype(), self.dtype())) {
            throw new IllegalArgumentException("result type " + Dispatcher.typeName(result.dtype())
                    + " can't be cast to the desired output type " + Dispatcher.typeName(self.dtype()));
        }
        if (!java.util.Arrays.equals(result.shapeArray(), self.shapeArray())) {
            throw new IllegalArgumentException("output with shape " + java.util.Arrays.toString(self.shapeArray())
                    + " doesn't match the broadcast shape " + java.util.Arrays.toString(result.shapeArray()));
        }
        return commit(self, result);
    }

    static Tensor applyCopy(Tensor self, Tensor src) {
        if (!recordsGraph(self, src)) {
            Dispatcher.copyInto(self, src);
            return self;
        }
        checkLeaf(self);
        FunctionNode n = new FunctionNode("CopyBackwards", snapshot(self), src);
        long[] srcShape = src.shapeArray();
        DType srcType = src.dtype(); // not src: see Grads.Meta
        n.backward1(g -> new Tensor[]{
                n.needsInputGrad(0) ? dev.tessera.Torch.zerosLike(g) : null,
                n.needsInputGrad(1) ? Grads.sumToShape(g, srcShape).to(srcType) : null});
        Tensor result = Dispatcher.empty(self.shapeArray(), self.dtype(), self.device());
        Dispatcher.copyInto(result, src);
        Autograd.record(n, result);
        return commit(self, result);
    }

    static Tensor applyFill(Tensor self, Number value) {
        if (!recordsGraph(self)) {
            Dispatcher.fillInPlace(self, value);
            return self;
        }
        checkLeaf(self);
        FunctionNode n = new FunctionNode("FillBackward0", snapshot(self));
        n.backward1(g -> new Tensor[]{dev.tessera.Torch.zerosLike(g)});
        Tensor result = Dispatcher.full(self.shapeArray(), self.dtype(), self.device(), value);
        Autograd.record(n, result);
        return commit(self, result);
    }

    /** A copy of self's values that stands at self's place in the graph (same grad_fn or accumulator). */
    private static Tensor snapshot(Tensor self) {
        Tensor s = Dispatcher.cast(self, self.dtype());
        if (self.gradFn() != null) s.setHistory(self.gradFn(), self.outputNr());
        else if (self.viewBase() != null && self.viewBase().requiresGrad()) {
            // a view without its own history yet: read it through the base's history
            Tensor v = Views.regenerate(self);
            s.setHistory(v.gradFn(), v.outputNr());
        } else if (self.requiresGrad()) {
            s.requiresGrad_(true);
        }
        return s;
    }

    /** Writes result's values into self and moves result's history onto self (and its base). */
    private static Tensor commit(Tensor self, Tensor result) {
        boolean prev = GradMode.set(false);
        try {
            Dispatcher.copyInto(self, result);
        } finally {
            GradMode.set(prev);
        }
        Tensor base = self.viewBase();
        Node fn = result.gradFn();
        if (base != null && fn != null) {
            Node copySlices = CopySlices.create(base, self, fn);
            base.setHistory(copySlices, 0);
            Tensor regenerated = Views.regenerate(self);
            self.setHistory(regenerated.gradFn(), regenerated.outputNr());
        } else {
            self.setHistory(fn, 0);
        }
        return self;
    }
}
