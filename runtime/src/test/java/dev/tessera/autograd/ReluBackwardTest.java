package dev.tessera.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.ops.Dispatcher;
import org.junit.jupiter.api.Test;

/**
 * ReLU's backward is PyTorch's threshold_backward: g where y > 0 or y is NaN, +0.0 elsewhere (not
 * g * 0, which gives -0.0 for negative g and NaN for infinite g). Checked bit for bit on the fused
 * float32 kernel (vector body and tail), on non-contiguous views and in float64 (the composed path).
 */
class ReluBackwardTest {
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-45f, -1e-45f};

    @Test
    void matchesThresholdBackwardBitForBit() {
        int n = 1000 + 13;
        float[] y = new float[n], g = new float[n];
        Torch.manualSeed(5);
        float[] r1 = Torch.randn(n).toFloatArray(), r2 = Torch.randn(n).toFloatArray();
        for (int i = 0; i < n; i++) {
            y[i] = i % 7 == 0 ? SPECIAL[i % SPECIAL.length] : r1[i];
            g[i] = i % 5 == 0 ? SPECIAL[(i / 5) % SPECIAL.length] : r2[i];
        }
        Tensor yt = Torch.tensor(y), gt = Torch.tensor(g);
        check(Dispatcher.reluBackward(gt, yt), g, y);
        check(Dispatcher.reluBackward(gt.to(DType.FLOAT64), yt.to(DType.FLOAT64)), g, y);
        // non-contiguous: every other element of a doubled tensor
        Tensor y2 = Torch.stack(java.util.List.of(yt, yt), 1).reshape(-1).narrow(0, 0, 2 * n).reshape(n, 2).select(1, 0);
        Tensor g2 = Torch.stack(java.util.List.of(gt, gt), 1).reshape(n, 2).select(1, 1);
        check(Dispatcher.reluBackward(g2, y2), g, y);
    }

    @Test
    void autogradUsesIt() {
        Tensor x = Torch.tensor(new float[]{-2f, 0f, 3f, Float.NaN}).requiresGrad_(true);
        x.relu().backward(Torch.tensor(new float[]{-5f, -5f, -5f, -5f}));
        float[] gx = x.grad().toFloatArray();
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(gx[0]));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(gx[1]));
        assertEquals(-5f, gx[2]);
        assertEquals(-5f, gx[3]); // relu(NaN) = NaN, and NaN <= 0 is false: the gradient passes
    }

    private static void check(Tensor out, float[] g, float[] y) {
        double[] got = out.toDoubleArray();
        for (int i = 0; i < g.length; i++) {
            double expected = y[i] <= 0 ? 0.0 : g[i];
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got[i]),
                    "at " + i + ": y=" + y[i] + " g=" + g[i] + " got " + got[i] + " (" + out.dtype() + ")");
        }
    }
}
