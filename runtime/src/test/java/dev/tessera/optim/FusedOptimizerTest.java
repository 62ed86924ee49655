package dev.tessera.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused float32 SGD and Adam steps against the composed ones (the elementwise ops they
 * replace) for every option combination, over sizes that exercise the vector body, its tail and
 * the thread split: parameters and optimizer state must be bit-identical after several steps,
 * gradients changing every step.
 */
class FusedOptimizerTest {
    private static final long[][] SHAPES = {{1}, {7}, {3, 5, 17}, {64, 3, 3, 3}, {300_001}};

    @Test
    void fusedStepsAreBitIdenticalToTheComposedOnes() {
        double[][] options = { // momentum, dampening, weight decay, nesterov (1) or not
            {0, 0, 0, 0}, {0, 0, 1e-4, 0}, {0.9, 0, 0, 0}, {0.9, 0.1, 0, 0}, {0.9, 0, 5e-4, 1}, {0.5, 0.25, 1e-2, 0}};
        for (double[] o : options) {
            List<float[]> fused = run(params -> new SGD(params, 0.05, o[0], o[1], o[2], o[3] == 1), true),
                    composed = run(params -> new SGD(params, 0.05, o[0], o[1], o[2], o[3] == 1), false);
            for (int i = 0; i < fused.size(); i++) {
                assertArrayEquals(composed.get(i), fused.get(i), "momentum " + o[0] + ", dampening " + o[1] + ", weight decay " + o[2]
                        + ", nesterov " + (o[3] == 1) + ": tensor " + i);
            }
        }
    }

    @Test
    void fusedAdamStepsAreBitIdenticalToTheComposedOnes() {
        double[][] options = { // lr, beta1, beta2, eps, weight decay, amsgrad (1) or not
            {1e-3, 0.9, 0.999, 1e-8, 0, 0}, {1e-2, 0.8, 0.99, 1e-6, 1e-2, 0}, {3e-3, 0.9, 0.999, 1e-8, 0, 1}, {0.1, 0.5, 0.9, 1e-3, 5e-4, 1}};
        for (double[] o : options) {
            java.util.function.Function<List<Tensor>, Optimizer> adam =
                    params -> new Adam(params, o[0], new double[]{o[1], o[2]}, o[3], o[4], o[5] == 1);
            List<float[]> fused = run(adam, true), composed = run(adam, false);
            for (int i = 0; i < fused.size(); i++) {
                assertArrayEquals(composed.get(i), fused.get(i), "Adam " + java.util.Arrays.toString(o) + ": tensor " + i);
            }
        }
    }

    @Test
    void aStepThatCannotFuseIsComposedWithTheSameResult() {
        // a transposed (non-contiguous) gradient and a float64 parameter take the composed path
        Torch.manualSeed(2);
        Tensor p = Torch.randn(4, 6), q = p.clone(), d = Torch.randn(new long[]{4, 6}, DType.FLOAT64);
        p.requiresGrad_(true);
        q.requiresGrad_(true);
        p.setGrad(Torch.randn(6, 4).t());
        q.setGrad(p.grad().contiguous());
        new SGD(List.of(p), 0.1, 0.9).step();
        new SGD(List.of(q), 0.1, 0.9).step();
        assertTrue(p.equal(q));
        Tensor before = d.clone();
        d.requiresGrad_(true);
        d.setGrad(Torch.ones(new long[]{4, 6}, DType.FLOAT64).mul(0.25));
        new SGD(List.of(d), 0.5, 0.9).step();
        assertTrue(d.detach().equal(before.sub(0.125)), "float64 composed step");
    }

    /** Four steps of one optimizer over fresh parameters, fused or not; returns parameters and optimizer state. */
    private static List<float[]> run(java.util.function.Function<List<Tensor>, Optimizer> make, boolean fused) {
        String key = "tessera.fusedOptimizers";
        String previous = System.getProperty(key);
        System.setProperty(key, String.valueOf(fused));
        try {
            Torch.manualSeed(11);
            List<Tensor> params = new ArrayList<>();
            for (long[] s : SHAPES) params.add(Torch.randn(s).requiresGrad_(true));
            Optimizer opt = make.apply(params);
            for (int step = 0; step < 4; step++) {
                for (Tensor p : params) p.setGrad(Torch.randn(p.shapeArray()).mul(step + 1));
                opt.step();
            }
            List<float[]> out = new ArrayList<>();
            for (Tensor p : params) {
                out.add(p.detach().toFloatArray());
                if (opt instanceof SGD sgd && sgd.momentumBuffer(p) != null) out.add(sgd.momentumBuffer(p).toFloatArray());
                if (opt instanceof Adam adam) {
                    Adam.State st = adam.state(p);
                    out.add(st.expAvg.toFloatArray());
                    out.add(st.expAvgSq.toFloatArray());
                    if (st.maxExpAvgSq != null) out.add(st.maxExpAvgSq.toFloatArray());
                }
            }
            return out;
        } finally {
            if (previous == null) System.clearProperty(key);
            else System.setProperty(key, previous);
        }
    }
}
