package dev.tessera.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.optim.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A gradient zeroed in place (zeroGrad's default) is accumulated into without reading its zeros
 * (dst = g + 0): the bits must be those of {@code add_} (-0.0 becomes +0.0, as 0 + -0.0 is +0.0),
 * the .grad tensor stays the same object, and any write since the fill (an in-place op, a second
 * backward, NumPy writing through a shared array, a partial fill) takes the ordinary add.
 */
class ZeroedGradAccumulationTest {
    /** loss = sum(p * c): the gradient of p is c exactly. */
    private static void backward(Tensor p, float[] c) {
        p.mul(Torch.tensor(c)).sum().backward();
    }

    private static final float[] C = {-0.0f, 1.5f, -2.25f, 0.0f, Float.NaN, Float.POSITIVE_INFINITY, -3.0e-39f};

    @Test
    void afterZeroGradTheGradientHasTheBitsOfZeroPlusG() {
        Tensor p = Torch.zeros(C.length).requiresGrad_(true);
        SGD opt = new SGD(List.of(p), 0.1);
        backward(p, C);
        Tensor grad = p.grad();
        opt.zeroGrad();
        assertTrue(grad.storage().isAllZero(), "zeroGrad's whole-storage fill is recorded");
        backward(p, C);
        assertSame(grad, p.grad(), "the .grad tensor is kept, not replaced");
        float[] got = p.grad().toFloatArray();
        for (int i = 0; i < C.length; i++) {
            float want = 0f + C[i];
            assertEquals(Float.floatToRawIntBits(want) == Float.floatToRawIntBits(Float.NaN) ? "NaN" : Float.toString(want),
                    Float.isNaN(got[i]) ? "NaN" : Float.toString(got[i]), "element " + i);
            if (!Float.isNaN(want)) assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]), "bits of element " + i);
        }
        assertEquals(0, Float.floatToRawIntBits(got[0]), "-0.0 + 0 is +0.0");
        assertFalse(p.grad().storage().isAllZero(), "the accumulation is a write");
    }

    @Test
    void writesSinceTheFillTakeTheOrdinaryAdd() {
        float[] ones = {1, 1, 1, 1};
        // a second backward without zeroGrad accumulates
        Tensor p = Torch.zeros(4).requiresGrad_(true);
        backward(p, ones);
        p.grad().zero_();
        backward(p, ones);
        backward(p, ones);
        assertArrayEquals(new float[] {2, 2, 2, 2}, p.grad().toFloatArray());

        // an in-place write after the fill
        p.grad().zero_();
        try (NoGrad g = Torch.noGrad()) {
            p.grad().add_(Torch.tensor(new float[] {5, 5, 5, 5}));
        }
        backward(p, ones);
        assertArrayEquals(new float[] {6, 6, 6, 6}, p.grad().toFloatArray());

        // NumPy writing through a shared array does not bump the version: shared storages never skip the read
        p.grad().zero_();
        var shared = p.grad().numpy();
        shared.setDouble(7.0, 2);
        backward(p, ones);
        assertArrayEquals(new float[] {1, 1, 8, 1}, p.grad().toFloatArray());

        // a fill of part of the storage says nothing about the rest
        Tensor q = Torch.zeros(4).requiresGrad_(true);
        backward(q, ones);
        try (NoGrad g = Torch.noGrad()) {
            q.grad().fill_(3.0);
            q.grad().narrow(0, 0, 2).zero_();
        }
        assertFalse(q.grad().storage().isAllZero());
        backward(q, ones);
        assertArrayEquals(new float[] {1, 1, 4, 4}, q.grad().toFloatArray());

        // -0.0 is not all-zero bytes
        q.grad().fill_(-0.0);
        assertFalse(q.grad().storage().isAllZero());
    }
}
