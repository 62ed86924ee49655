package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import org.junit.jupiter.api.Test;

/**
 * The fused float32 batch-norm backward (vector body and scalar tail: 37 x 41 planes) against the
 * float64 path, in training and eval mode, with and without an affine weight.
 */
class BatchNormBackwardTest {
    @Test
    void float32MatchesFloat64() {
        for (boolean training : new boolean[]{true, false}) {
            for (boolean affine : new boolean[]{true, false}) {
                Torch.manualSeed(11);
                Tensor x = Torch.randn(3, 5, 37, 41).mul(2).add(0.5), g = Torch.randn(3, 5, 37, 41);
                Tensor w = affine ? Torch.rand(5).add(0.5) : null, b = affine ? Torch.randn(5) : null;
                Tensor rm = Torch.randn(5), rv = Torch.rand(5).add(0.5);
                Tensor[] f32 = grads(x, g, w, b, rm, rv, training);
                Tensor[] f64 = grads(x.to(DType.FLOAT64), g.to(DType.FLOAT64), w == null ? null : w.to(DType.FLOAT64),
                        b == null ? null : b.to(DType.FLOAT64), rm.to(DType.FLOAT64), rv.to(DType.FLOAT64), training);
                for (int i = 0; i < f32.length; i++) {
                    if (f32[i] == null) continue;
                    double[] a = f32[i].toDoubleArray(), e = f64[i].toDoubleArray();
                    double scale = 0;
                    for (double v : e) scale = Math.max(scale, Math.abs(v));
                    for (int j = 0; j < a.length; j++) {
                        assertEquals(e[j], a[j], 2e-5 * Math.max(1, scale), "grad " + i + " at " + j + " training=" + training + " affine=" + affine);
                    }
                }
            }
        }
    }

    private static Tensor[] grads(Tensor x, Tensor g, Tensor w, Tensor b, Tensor rm, Tensor rv, boolean training) {
        Tensor xl = x.detach().requiresGrad_(true);
        Tensor wl = w == null ? null : w.detach().requiresGrad_(true), bl = b == null ? null : b.detach().requiresGrad_(true);
        Functional.batchNorm(xl, rm.clone(), rv.clone(), wl, bl, training, 0.1, 1e-5).backward(g);
        return new Tensor[]{xl.grad(), wl == null ? null : wl.grad(), bl == null ? null : bl.grad()};
    }
}
