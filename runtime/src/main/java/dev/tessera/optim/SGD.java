package dev.tessera.optim;

import dev.tessera.Tensor;
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
}
