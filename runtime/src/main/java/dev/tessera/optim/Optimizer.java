package dev.tessera.optim;

import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.Autograd;
import java.util.ArrayList;
import java.util.List;

/** torch.optim.Optimizer over one parameter group. Updates run in place with grad mode off. */
public abstract class Optimizer {
    protected final List<Tensor> params;

    protected Optimizer(List<Tensor> params) {
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        for (Tensor p : params) {
            if (!p.isLeaf()) throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
        }
        this.params = new ArrayList<>(params);
    }

    public List<Tensor> parameters() { return List.copyOf(params); }

    /** One update of every parameter that has a gradient. */
    public final void step() {
        try (NoGrad g = Torch.noGrad()) {
            update();
        }
    }

    /** The update itself, called with grad mode off. */
    protected abstract void update();

    /** PyTorch 1.13's default zero_grad(set_to_none=False): gradients are detached and zeroed in place. */
    public void zeroGrad() { zeroGrad(false); }

    public void zeroGrad(boolean setToNone) { Autograd.zeroGrad(params, setToNone); }

    /**
     * Whether steps may use a backend's fused kernel: {@code -Dtessera.fusedOptimizers=false}
     * (read on every step, so one process can compare) keeps the composed elementwise path.
     */
    static boolean fusedStepsEnabled() { return !"false".equals(System.getProperty("tessera.fusedOptimizers")); }

    static void checkNonNegative(String what, double v) {
        if (!(v >= 0)) throw new IllegalArgumentException("Invalid " + what + ": " + v);
    }
}
