package dev.tessera.optim;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.ops.Dispatcher;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** torch.optim.Adam (1.13 single-tensor path), with optional L2 weight decay and AMSGrad. */
public class Adam extends Optimizer {
    private final double lr, beta1, beta2, eps, weightDecay;
    private final boolean amsgrad;
    private final Map<Tensor, State> state = new IdentityHashMap<>();

    /** Per-parameter state: step count, first and second moment estimates, and AMSGrad's running max. */
    public static final class State {
        public long step;
        public Tensor expAvg, expAvgSq, maxExpAvgSq;
    }

    public Adam(List<Tensor> params) { this(params, 1e-3); }

    public Adam(List<Tensor> params, double lr) { this(params, lr, new double[]{0.9, 0.999}, 1e-8, 0, false); }

    public Adam(List<Tensor> params, double lr, double[] betas, double eps, double weightDecay, boolean amsgrad) {
        super(params);
        checkNonNegative("learning rate", lr);
        checkNonNegative("epsilon value", eps);
        if (!(betas[0] >= 0 && betas[0] < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 0: " + betas[0]);
        if (!(betas[1] >= 0 && betas[1] < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 1: " + betas[1]);
        checkNonNegative("weight_decay value", weightDecay);
        this.lr = lr;
        this.beta1 = betas[0];
        this.beta2 = betas[1];
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
    }

    public State state(Tensor param) { return state.get(param); }

    @Override
    protected void update() {
        for (Tensor p : params) {
            Tensor grad = p.grad();
            if (grad == null) continue;
            State s = state.computeIfAbsent(p, k -> {
                State n = new State();
                n.expAvg = Torch.zerosLike(p);
                n.expAvgSq = Torch.zerosLike(p);
                if (amsgrad) n.maxExpAvgSq = Torch.zerosLike(p);
                return n;
            });
            s.step++;
            double bc1 = 1 - Math.pow(beta1, s.step), bc2 = 1 - Math.pow(beta2, s.step);
            double stepSize = lr / bc1;
            double bc2Sqrt = Math.sqrt(bc2);
            if (fusedStep(p, grad, s, stepSize, bc2Sqrt)) continue;
            if (weightDecay != 0) grad = grad.add(p, weightDecay);
            s.expAvg.mul_(beta1).add_(grad, 1 - beta1);
            // addcmul_(grad, grad, value=1 - beta2)
            s.expAvgSq.mul_(beta2).add_(grad.mul(grad).mul(1 - beta2));
            Tensor denom;
            if (amsgrad) {
                s.maxExpAvgSq.copy_(s.maxExpAvgSq.maximum(s.expAvgSq));
                denom = s.maxExpAvgSq.sqrt().div(bc2Sqrt).add_(eps);
            } else {
                denom = s.expAvgSq.sqrt().div(bc2Sqrt).add_(eps);
            }
            // addcdiv_(exp_avg, denom, value=-step_size)
            p.add_(s.expAvg.div(denom).mul(-stepSize));
        }
    }

    /**
     * The whole step in one pass where the parameter's backend has a fused kernel (float32 on the
     * CPU: each tensor read once, no temporaries); the same bits as the composed step above.
     * Off with {@link #fusedStepsEnabled()}.
     */
    private boolean fusedStep(Tensor p, Tensor grad, State s, double stepSize, double bc2Sqrt) {
        if (!grad.device().equals(p.device()) || !fusedStepsEnabled()) return false;
        if (!Dispatcher.backend(p.device()).adamStep(p.strided(), grad.strided(), s.expAvg.strided(), s.expAvgSq.strided(),
                amsgrad ? s.maxExpAvgSq.strided() : null, beta1, beta2, eps, weightDecay, stepSize, bc2Sqrt)) {
            return false;
        }
        p.storage().bumpVersion();
        s.expAvg.storage().bumpVersion();
        s.expAvgSq.storage().bumpVersion();
        if (amsgrad) s.maxExpAvgSq.storage().bumpVersion();
        return true;
    }
}
