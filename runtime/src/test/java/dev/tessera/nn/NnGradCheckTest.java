package dev.tessera.nn;

import static dev.tessera.autograd.GradCheck.check;
import static dev.tessera.autograd.GradCheck.input;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import org.junit.jupiter.api.Test;

/** Finite-difference gradient checks (float64) of the nn ops. */
class NnGradCheckTest {
    @Test
    void conv2d() {
        check("conv2d", t -> Functional.conv2d(t[0], t[1], t[2], new int[]{2, 1}, new int[]{1, 2}, new int[]{1, 2}, 1),
                input(1, 2, 3, 5, 6), input(2, 4, 3, 3, 2), input(3, 4));
        check("conv2d groups", t -> Functional.conv2d(t[0], t[1], null, new int[]{1, 1}, new int[]{0, 0}, new int[]{1, 1}, 2),
                input(4, 1, 4, 4, 4), input(5, 6, 2, 2, 3));
    }

    @Test
    void maxPoolAndAdaptiveAvgPool() {
        // distinct values so no ties sit within a finite-difference step of each other
        Tensor x = Torch.randperm(2 * 3 * 7 * 6).to(DType.FLOAT64).div(50.0).reshape(2, 3, 7, 6).requiresGrad_(true);
        check("max_pool2d", t -> Functional.maxPool2d(t[0], new int[]{3, 2}, new int[]{2, 2}, new int[]{1, 1}, new int[]{1, 2}, true), x);
        check("adaptive_avg_pool2d", t -> Functional.adaptiveAvgPool2d(t[0], 3, 4), input(6, 2, 2, 7, 5));
        check("adaptive_avg_pool2d 1x1", t -> Functional.adaptiveAvgPool2d(t[0], 1, 1), input(7, 2, 2, 3, 3));
    }

    @Test
    void batchNorm() {
        check("batch_norm train", t -> Functional.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5),
                input(8, 3, 2, 2, 3), input(9, 2), input(10, 2));
        Tensor rm = Torch.tensor(new double[]{0.1, -0.2}), rv = Torch.tensor(new double[]{0.5, 2.0});
        check("batch_norm eval", t -> Functional.batchNorm(t[0], rm, rv, t[1], t[2], false, 0.1, 1e-5),
                input(11, 2, 2, 2, 2), input(12, 2), input(13, 2));
    }

    @Test
    void linearAndLosses() {
        check("linear addmm", t -> Functional.linear(t[0], t[1], t[2]), input(14, 3, 4), input(15, 2, 4), input(16, 2));
        check("linear 3-D", t -> Functional.linear(t[0], t[1], t[2]), input(17, 2, 3, 4), input(18, 2, 4), input(19, 2));
        check("mse mean", t -> Functional.mseLoss(t[0], t[1], "mean"), input(20, 3, 4), input(21, 3, 4));
        check("mse none", t -> Functional.mseLoss(t[0], t[1], "none"), input(22, 3, 4), input(23, 3, 4));
        Tensor target = Torch.tensor(new long[]{2, 0, 1});
        check("cross_entropy", t -> Functional.crossEntropy(t[0], target), input(24, 3, 4));
        check("cross_entropy sum", t -> Functional.crossEntropy(t[0], target, "sum"), input(25, 3, 4));
        check("nll none", t -> Functional.nllLoss(t[0], target, "none", 0), input(26, 3, 4));
    }
}
