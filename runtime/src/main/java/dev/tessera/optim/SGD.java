package dev.tessera.optim;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.ops.Dispatcher;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** torch.optim.SGD (1.13 single-tensor path): weight decay, momentum with dampening, Nesterov. */
public class SGD extends Optimizer {
    private final double lr, momentum, dampening, weightDecay;
    private final boolean nesterov;
    private final Map<Tensor, Tensor> momentumBuffers = new IdentityHashMap<>();

    public SGD(List<Tensor> params, double lr) { this(params, lr, 0, 0, 0, false); }

    public SGD(List<Tensor> params, double lr, double momentum) { this(params, lr, momentum, 0, 0, false); }

    public SGD(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(params);
        checkNonNegative("learning rate", lr);
        checkNonNegative("momentum value", momentum);
        checkNonNegative("weight_decay value", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
        this.lr = lr;
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    /** The momentum buffer of a parameter, or null before its first update with momentum. */
    public Tensor momentumBuffer(Tensor param) { return momentumBuffers.get(param); }

    @Override
    protected void update() {
        for (Tensor p : params) {
            Tensor d = p.grad();
            if (d == null) continue;
            if (fusedStep(p, d)) continue;
            if (weightDecay != 0) d = d.add(p, weightDecay);
            if (momentum != 0) {
                Tensor buf = momentumBuffers.get(p);
                if (buf == null) {
                    buf = d.clone().detach();
                    momentumBuffers.put(p, buf);
                } else {
                    buf.mul_(momentum).add_(d, 1 - dampening);
                }
                d = nesterov ? d.add(buf, momentum) : buf;
            }
            p.add_(d, -lr);
        }
    }

    /**
     * The whole step in one pass where the parameter's backend has a fused kernel (the float32 CPU
     * kernel reads each tensor once instead of five passes and two temporaries); the same bits
     * as the composed step below. Off with {@link #fusedStepsEnabled()}.
     */
    private boolean fusedStep(Tensor p, Tensor d) {
        if (!d.device().equals(p.device()) || !fusedStepsEnabled()) return false;
        Tensor buf = momentumBuffers.get(p);
        boolean first = momentum != 0 && buf == null;
        Tensor target = first ? Torch.zerosLike(p) : buf;
        if (!Dispatcher.backend(p.device()).sgdStep(p.strided(), d.strided(), target == null ? null : target.strided(), lr, momentum,
                dampening, weightDecay, nesterov, first)) {
            return false;
        }
        p.storage().bumpVersion();
        if (target != null) {
            target.storage().bumpVersion();
            if (first) momentumBuffers.put(p, target);
        }
        return true;
    }
}
