package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import org.junit.jupiter.api.Test;

/** nll_loss's edges, against values worked out by hand (PyTorch's behaviour in each case). */
class NllLossTest {
    private static Tensor logProbs() {
        // row 1 has -inf where the ignored target points: it must not turn the loss into NaN
        return Torch.tensor(new double[][] {{-0.5, -1.5, -2.0}, {Double.NEGATIVE_INFINITY, -0.25, -3.0}, {-1.0, -2.0, -0.75}},
                DType.FLOAT64).requiresGrad_(true);
    }

    @Test
    void ignoredRowsAddNothingEvenAtMinusInfinity() {
        Tensor x = logProbs();
        Tensor target = Torch.tensor(new long[] {1, -100, 2});
        Tensor loss = Functional.nllLoss(x, target);
        assertEquals((1.5 + 0.75) / 2, loss.item().doubleValue(), 0.0);
        assertEquals("NllLossBackward0", loss.gradFn().name());
        loss.backward();
        assertArrayEquals(new double[] {0, -0.5, 0, 0, 0, 0, 0, 0, -0.5}, x.grad().toDoubleArray(), 0.0);
    }

    @Test
    void reductionsNoneAndSum() {
        Tensor x = logProbs();
        Tensor target = Torch.tensor(new long[] {0, 1, 2});
        assertArrayEquals(new double[] {0.5, 0.25, 0.75}, Functional.nllLoss(x, target, "none", -100).toDoubleArray(), 0.0);
        Tensor sum = Functional.nllLoss(x, target, "sum", -100);
        assertEquals(1.5, sum.item().doubleValue(), 0.0);
        sum.backward();
        assertArrayEquals(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, -1}, x.grad().toDoubleArray(), 0.0);
    }

    @Test
    void allIgnoredMeanIsNaNAndOneDimensionalInputWorks() {
        Tensor x = logProbs();
        assertTrue(Double.isNaN(Functional.nllLoss(x, Torch.tensor(new long[] {-100, -100, -100})).item().doubleValue()));
        Tensor row = Torch.tensor(new double[] {-0.1, -2.5, -4.0}, DType.FLOAT64);
        Tensor one = Functional.nllLoss(row, Torch.tensor(new long[] {1}).reshape(), "none", -100);
        assertEquals(0, one.dim());
        assertEquals(2.5, one.item().doubleValue(), 0.0);
    }

    @Test
    void targetsOutOfRangeAreRefused() {
        Tensor x = logProbs();
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Functional.nllLoss(x, Torch.tensor(new long[] {0, 3, 1})));
        assertEquals("Target 3 is out of bounds.", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Functional.nllLoss(x, Torch.tensor(new long[] {0, -2, 1})));
    }
}
