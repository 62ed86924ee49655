package dev.tessera.autograd;

import static dev.tessera.autograd.GradCheck.input;

import dev.tessera.DType;
import dev.tessera.Index;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Finite-difference checks of every differentiable op, including broadcasting and view cases. */
class GradCheckTest {
    private final List<DynamicTest> tests = new ArrayList<>();

    /** Registers a check; inputs are built lazily so a failing constructor only fails its own case. */
    private void c(String name, Function<Tensor[], Tensor> f, Supplier<Tensor[]> inputs) {
        tests.add(DynamicTest.dynamicTest(name, () -> GradCheck.check(name, f, inputs.get())));
    }

    private static Supplier<Tensor[]> in(long... shape) { return () -> new Tensor[]{input(1, shape)}; }

    private static Supplier<Tensor[]> pos(long... shape) { return () -> new Tensor[]{input(2, 0.5, 2, shape)}; }

    private static Supplier<Tensor[]> two(long[] a, long[] b) { return () -> new Tensor[]{input(3, a), input(4, b)}; }

    private static long[] s(long... d) { return d; }

    private static Tensor longs(long... v) { return Torch.tensor(v); }

    @TestFactory
    List<DynamicTest> arithmetic() {
        c("add", x -> x[0].add(x[1]), two(s(2, 3), s(2, 3)));
        c("add broadcast", x -> x[0].add(x[1]), two(s(2, 3), s(3)));
        c("add broadcast both", x -> x[0].add(x[1]), two(s(2, 1, 3), s(4, 1)));
        c("add scalar", x -> x[0].add(2.5), in(2, 3));
        c("add alpha", x -> x[0].add(x[1], 3.0), two(s(3), s(3)));
        c("sub", x -> x[0].sub(x[1]), two(s(2, 3), s(1, 3)));
        c("rsub", x -> x[0].rsub(1.0), in(4));
        c("mul", x -> x[0].mul(x[1]), two(s(2, 3), s(2, 3)));
        c("mul broadcast", x -> x[0].mul(x[1]), two(s(4, 1), s(3)));
        c("mul self", x -> x[0].mul(x[0]), in(5));
        c("mul 0-d", x -> x[0].mul(x[1]), two(s(2, 3), s()));
        c("div", x -> x[0].div(x[1]), () -> new Tensor[]{input(5, 3), input(6, 1, 2, 2, 3)});
        c("div broadcast", x -> x[0].div(x[1]), () -> new Tensor[]{input(5, 2, 3), input(6, 1, 2, 2, 1)});
        c("div scalar", x -> x[0].div(4.0), in(3));
        c("pow scalar", x -> x[0].pow(3.0), in(2, 3));
        c("pow fractional", x -> x[0].pow(1.5), pos(4));
        c("pow int", x -> x[0].pow(2L), in(4));
        c("pow tensor", x -> x[0].pow(x[1]), () -> new Tensor[]{input(7, 0.5, 2, 2, 3), input(8, 2, 3)});
        c("pow tensor broadcast", x -> x[0].pow(x[1]), () -> new Tensor[]{input(7, 0.5, 2, 2, 3), input(8, 3)});
        c("neg", x -> x[0].neg(), in(3));
        c("maximum", x -> x[0].maximum(x[1]), two(s(2, 3), s(3)));
        c("minimum", x -> x[0].minimum(x[1]), two(s(2, 3), s(2, 3)));
        return tests;
    }

    @TestFactory
    List<DynamicTest> pointwise() {
        c("exp", x -> x[0].exp(), in(2, 3));
        c("log", x -> x[0].log(), pos(2, 3));
        c("sqrt", x -> x[0].sqrt(), pos(5));
        c("abs", x -> x[0].abs(), in(6));
        c("relu", x -> x[0].relu(), in(6));
        c("sigmoid", x -> x[0].sigmoid(), in(6));
        c("tanh", x -> x[0].tanh(), in(6));
        c("sin", x -> x[0].sin(), in(6));
        c("cos", x -> x[0].cos(), in(6));
        c("clamp", x -> x[0].clamp(-0.5, 0.5), in(8));
        c("clampMin", x -> x[0].clampMin(0.1), in(8));
        c("clampMax", x -> x[0].clampMax(0.1), in(8));
        c("where", x -> Torch.where(x[0].gt(0), x[0], x[1]), two(s(2, 3), s(2, 3)));
        c("where broadcast", x -> Torch.where(x[0].gt(0), x[0], x[1]), two(s(2, 3), s(3)));
        c("exp on transposed view", x -> x[0].t().exp(), in(2, 3));
        c("log on expanded view", x -> x[0].expand(3, 4).log(), pos(4));
        return tests;
    }

    @TestFactory
    List<DynamicTest> reductions() {
        c("sum", x -> x[0].sum(), in(2, 3));
        c("sum dim", x -> x[0].sum(1), in(2, 3));
        c("sum dim keepdim", x -> x[0].sum(0, true), in(2, 3));
        c("sum dims", x -> x[0].sum(new int[]{0, 2}, false), in(2, 3, 2));
        c("mean", x -> x[0].mean(), in(2, 3));
        c("mean dim", x -> x[0].mean(-1), in(2, 3));
        c("prod", x -> x[0].prod(), in(2, 3));
        c("prod dim", x -> x[0].prod(1), in(2, 3));
        c("prod with zero", x -> x[0].mul(Torch.tensor(new double[]{1, 0, 1, 1}, DType.FLOAT64)).prod(), in(4));
        c("max", x -> x[0].max(), in(2, 3));
        c("min", x -> x[0].min(), in(2, 3));
        c("max dim values", x -> x[0].max(1).values(), in(3, 4));
        c("min dim keepdim", x -> x[0].min(0, true).values(), in(3, 4));
        c("amax", x -> x[0].amax(1), in(3, 4));
        c("amin", x -> x[0].amin(0), in(3, 4));
        c("var", x -> x[0].var(), in(2, 3));
        c("var dim", x -> x[0].var(1), in(2, 3));
        c("var correction 0 keepdim", x -> x[0].var(new int[]{0}, 0, true), in(3, 2));
        c("std", x -> x[0].std(), in(2, 3));
        c("std dim", x -> x[0].std(0), in(3, 2));
        c("softmax", x -> x[0].softmax(1), in(2, 4));
        c("softmax dim0", x -> x[0].softmax(0), in(3, 2));
        c("logSoftmax", x -> x[0].logSoftmax(-1), in(2, 4));
        c("sum of view", x -> x[0].t().sum(1), in(2, 3));
        return tests;
    }

    @TestFactory
    List<DynamicTest> linearAlgebra() {
        c("matmul 1x1", x -> x[0].matmul(x[1]), two(s(3), s(3)));
        c("matmul 2x1", x -> x[0].matmul(x[1]), two(s(2, 3), s(3)));
        c("matmul 1x2", x -> x[0].matmul(x[1]), two(s(3), s(3, 2)));
        c("matmul 2x2", x -> x[0].matmul(x[1]), two(s(2, 3), s(3, 4)));
        c("matmul 3x3", x -> x[0].matmul(x[1]), two(s(2, 2, 3), s(2, 3, 2)));
        c("matmul 3x2", x -> x[0].matmul(x[1]), two(s(2, 2, 3), s(3, 2)));
        c("matmul 2x3", x -> x[0].matmul(x[1]), two(s(2, 3), s(2, 3, 2)));
        c("matmul 1x3", x -> x[0].matmul(x[1]), two(s(3), s(2, 3, 2)));
        c("matmul 3x1", x -> x[0].matmul(x[1]), two(s(2, 2, 3), s(3)));
        c("matmul 4x3 broadcast", x -> x[0].matmul(x[1]), two(s(2, 1, 2, 3), s(3, 3, 2)));
        c("mm", x -> x[0].mm(x[1]), two(s(2, 3), s(3, 4)));
        c("mm transposed operands", x -> x[0].t().mm(x[1].t()), two(s(3, 2), s(4, 3)));
        c("bmm", x -> x[0].bmm(x[1]), two(s(2, 2, 3), s(2, 3, 2)));
        c("mv", x -> x[0].mv(x[1]), two(s(2, 3), s(3)));
        c("dot", x -> x[0].dot(x[1]), two(s(4), s(4)));
        return tests;
    }

    @TestFactory
    List<DynamicTest> views() {
        c("view", x -> x[0].view(3, 2), in(2, 3));
        c("view -1", x -> x[0].view(-1).mul(x[0].view(-1)), in(2, 3));
        c("reshape", x -> x[0].reshape(6), in(2, 3));
        c("reshape of transpose (copy)", x -> x[0].t().reshape(6), in(2, 3));
        c("flatten", x -> x[0].flatten(), in(2, 3, 2));
        c("transpose", x -> x[0].transpose(0, 2), in(2, 3, 2));
        c("permute", x -> x[0].permute(2, 0, 1), in(2, 3, 4));
        c("t", x -> x[0].t(), in(2, 3));
        c("T", x -> x[0].T(), in(2, 3, 4));
        c("expand", x -> x[0].expand(2, 3, 4), in(3, 1));
        c("expandAs", x -> x[0].expandAs(Torch.zeros(2, 3)), in(3));
        c("squeeze", x -> x[0].squeeze(), in(2, 1, 3, 1));
        c("squeeze dim", x -> x[0].squeeze(1), in(2, 1, 3));
        c("unsqueeze", x -> x[0].unsqueeze(1), in(2, 3));
        c("select", x -> x[0].select(1, 2), in(2, 3));
        c("select negative", x -> x[0].select(0, -1), in(3, 2));
        c("slice", x -> x[0].slice(1, 1L, null, 1), in(2, 4));
        c("slice step", x -> x[0].slice(0, 0L, 5L, 2), in(5, 2));
        c("narrow", x -> x[0].narrow(1, 1, 2), in(2, 4));
        c("unfold", x -> x[0].unfold(0, 3, 1), in(5));
        c("unfold 2-D step 2", x -> x[0].unfold(1, 2, 2), in(2, 5));
        c("split", x -> x[0].split(2).get(1), in(5, 2));
        c("split all used", x -> x[0].split(2).get(0).sum().add(x[0].split(2).get(2).mul(3.0).sum()), in(5, 2));
        c("chunk", x -> x[0].chunk(3, 1).get(2), in(2, 6));
        c("unbind", x -> x[0].unbind(1).get(0).mul(x[0].unbind(1).get(2)), in(2, 3));
        c("view of view chain", x -> x[0].t().unsqueeze(0).select(2, 1).squeeze(0), in(2, 3));
        c("movedim", x -> x[0].movedim(0, 2), in(2, 3, 4));
        c("contiguous", x -> x[0].t().contiguous(), in(2, 3));
        c("clone", x -> x[0].clone(), in(2, 3));
        c("asStrided", x -> x[0].asStrided(new long[]{2, 2}, new long[]{1, 2}, 1), in(6));
        c("cat", x -> Torch.cat(List.of(x[0], x[1]), 0), two(s(2, 3), s(1, 3)));
        c("cat dim 1", x -> Torch.cat(List.of(x[0], x[1], x[0]), 1), two(s(2, 3), s(2, 1)));
        c("stack", x -> Torch.stack(List.of(x[0], x[1]), 0), two(s(2, 3), s(2, 3)));
        c("stack dim -1", x -> Torch.stack(List.of(x[0], x[1]), -1), two(s(2, 3), s(2, 3)));
        return tests;
    }

    @TestFactory
    List<DynamicTest> indexing() {
        c("index int", x -> x[0].index(Index.at(1)), in(3, 2));
        c("index slices", x -> x[0].index(Index.all(), Index.slice(1, 3)), in(2, 4));
        c("index ellipsis newaxis", x -> x[0].index(Index.ellipsis(), Index.newAxis(), Index.at(0)), in(2, 3));
        c("index bool mask", x -> x[0].index(Index.tensor(x[0].detach().gt(0))), in(3, 4));
        c("index fixed bool mask", x -> x[0].index(Index.tensor(Torch.tensor(new boolean[]{true, false, true}))), in(3, 2));
        c("index long tensor", x -> x[0].index(Index.tensor(longs(2, 0, 2))), in(3, 2));
        c("index long tensor repeated dim1", x -> x[0].index(Index.all(), Index.tensor(longs(1, 1, 0))), in(2, 3));
        c("index two long tensors", x -> x[0].index(Index.tensor(longs(0, 2)), Index.tensor(longs(1, 1))), in(3, 2));
        c("maskedSelect", x -> x[0].maskedSelect(x[0].detach().gt(0)), in(3, 3));
        c("maskedFill", x -> x[0].maskedFill(x[0].detach().gt(0), 0.5), in(3, 3));
        c("gather", x -> x[0].gather(1, Torch.tensor(new long[][]{{0, 0}, {1, 0}})), in(2, 3));
        c("gather dim0", x -> x[0].gather(0, Torch.tensor(new long[][]{{1, 0, 1}})), in(2, 3));
        c("indexSelect", x -> x[0].indexSelect(0, longs(2, 0, 2)), in(3, 2));
        c("indexSelect dim1", x -> x[0].indexSelect(1, longs(1)), in(3, 2));
        c("indexSelect 0-d index", x -> x[0].indexSelect(1, Torch.tensor(1L)), in(3, 2));
        c("index apart on a sliced view", x -> x[0].index(Index.slice(0, 3, 2), Index.tensor(longs(1, -1, 1)), Index.all(),
                Index.tensor(longs(0, 2, 0))), in(4, 3, 2, 3));
        c("gather 3-d repeated", x -> x[0].gather(2, Torch.tensor(new long[][][]{{{2, 2}}, {{0, 1}}})), in(2, 2, 3));
        return tests;
    }

    @TestFactory
    List<DynamicTest> inPlaceOnNonLeaves() {
        c("mul_ on non-leaf", x -> x[0].mul(1.0).mul_(x[1]), two(s(2, 3), s(3)));
        c("add_ on non-leaf", x -> x[0].mul(2.0).add_(x[1]), two(s(3), s(3)));
        c("pow_ on non-leaf", x -> x[0].mul(1.0).pow_(2.0), in(3));
        c("sigmoid_ then use", x -> x[0].mul(2.0).sigmoid_().mul(x[0]), in(3));
        c("view mul_ (CopySlices)", x -> {
            Tensor y = x[0].mul(1.0);
            y.select(0, 1).mul_(x[1]);
            return y;
        }, two(s(2, 3), s(3)));
        c("slice add_ (CopySlices)", x -> {
            Tensor y = x[0].clone();
            y.narrow(1, 0, 2).add_(x[1].exp());
            return y.mul(y);
        }, two(s(2, 3), s(2, 2)));
        c("copy_ into view", x -> {
            Tensor y = x[0].mul(2.0);
            y.index(Index.at(0)).copy_(x[1]);
            return y;
        }, two(s(2, 3), s(3)));
        c("indexPut_ on non-leaf", x -> {
            Tensor y = x[0].clone();
            y.indexPut_(new Index[]{Index.tensor(longs(0, 2))}, x[1]);
            return y;
        }, two(s(3, 2), s(2)));
        c("maskedFill_ on non-leaf", x -> x[0].mul(3.0).maskedFill_(x[0].detach().lt(0), 0.0), in(2, 3));
        c("clamp_ on non-leaf", x -> x[0].mul(1.0).clamp_(-0.3, 0.3), in(6));
        c("transpose_ on non-leaf", x -> x[0].mul(1.0).transpose_(0, 1), in(2, 3));
        return tests;
    }

    @TestFactory
    List<DynamicTest> composites() {
        c("tutorial Q = 3a^3 - b^2", x -> x[0].pow(3.0).mul(3.0).sub(x[1].pow(2.0)), two(s(2), s(2)));
        c("mlp layer", x -> x[0].matmul(x[1]).add(x[2]).relu().sum(1), () -> new Tensor[]{input(1, 4, 3), input(2, 3, 2), input(3, 2)});
        c("cross entropy", x -> x[0].logSoftmax(1).gather(1, Torch.tensor(new long[][]{{1}, {0}})).mean().neg(), in(2, 3));
        c("input used twice via views", x -> x[0].t().matmul(x[0]), in(3, 2));
        return tests;
    }
}
