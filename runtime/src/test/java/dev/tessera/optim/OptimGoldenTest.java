package dev.tessera.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.NnGolden;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** SGD and Adam parameter trajectories over 3 steps against torch.optim 1.13. */
class OptimGoldenTest {
    private final NnGolden gold = NnGolden.get();

    private void trajectory(String name, Function<List<Tensor>, Optimizer> make) {
        Tensor a = gold.leaf("optim.p0a"), b = gold.leaf("optim.p0b");
        Tensor ca = gold.tensor("optim.ca"), cb = gold.tensor("optim.cb"), ma = gold.tensor("optim.ma"), mb = gold.tensor("optim.mb");
        Optimizer opt = make.apply(List.of(a, b));
        for (int step = 0; step < 3; step++) {
            opt.zeroGrad();
            Tensor loss = ca.mul(a.sub(ma).pow(2)).sum().add(cb.mul(b.sub(mb).pow(2)).sum());
            loss.backward();
            opt.step();
            NnGolden.assertClose(name + " step " + step + " a", gold.tensor("optim." + name + "." + step + ".a"), a.detach(), 1e-5, 1e-6);
            NnGolden.assertClose(name + " step " + step + " b", gold.tensor("optim." + name + "." + step + ".b"), b.detach(), 1e-5, 1e-6);
        }
        assertEquals(null, a.gradFn());
    }

    @Test
    void sgd() {
        trajectory("sgd_plain", ps -> new SGD(ps, 0.1));
        trajectory("sgd_momentum", ps -> new SGD(ps, 0.05, 0.9));
        trajectory("sgd_all", ps -> new SGD(ps, 0.05, 0.8, 0.3, 0.01, false));
        trajectory("sgd_nesterov", ps -> new SGD(ps, 0.05, 0.9, 0, 0.1, true));
    }

    @Test
    void adam() {
        trajectory("adam", ps -> new Adam(ps, 0.01));
        trajectory("adam_wd", ps -> new Adam(ps, 0.02, new double[]{0.8, 0.99}, 1e-6, 0.1, false));
        trajectory("adam_amsgrad", ps -> new Adam(ps, 0.05, new double[]{0.9, 0.999}, 1e-8, 0.01, true));
    }

    @Test
    void paramsWithoutGradAreSkippedAndZeroGradModes() {
        Tensor a = Torch.ones(3).requiresGrad_(true), b = Torch.ones(2).requiresGrad_(true);
        SGD opt = new SGD(List.of(a, b), 0.5, 0.9);
        a.mul(2).sum().backward();
        opt.step();
        NnGolden.assertExact("a", Torch.tensor(new float[]{0, 0, 0}), a.detach());
        NnGolden.assertExact("b untouched", Torch.ones(2), b.detach());
        assertNull(opt.momentumBuffer(b));
        Tensor g = a.grad();
        opt.zeroGrad();
        assertSame(g, a.grad(), "zeroGrad() zeroes in place (set_to_none=False, 1.13 default)");
        NnGolden.assertExact("zeroed", Torch.zeros(3), a.grad());
        opt.zeroGrad(true);
        assertNull(a.grad());
    }

    @Test
    void invalidArguments() {
        Tensor a = Torch.ones(3).requiresGrad_(true);
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a), -1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a), 0.1, 0, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(a), 0.1, new double[]{1.0, 0.9}, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a.mul(2)), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
    }
}
