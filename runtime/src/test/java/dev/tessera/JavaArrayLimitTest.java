package dev.tessera;

import static dev.tessera.Torch.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Issue 12, defect 7: copying out a tensor larger than a Java array fails with a clear message. */
class JavaArrayLimitTest {
    @Test
    void hugeStrideZeroViewSaysItIsTooLargeForAJavaArray() {
        Tensor huge = tensor(new double[] {1.5}).expand(1L << 62);   // valid view, one element of storage
        for (Consumer<Tensor> copyOut : java.util.List.<Consumer<Tensor>>of(Tensor::toDoubleArray, Tensor::toFloatArray,
                Tensor::toLongArray)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> copyOut.accept(huge));
            assertTrue(e.getMessage().contains("4611686018427387904 elements"), e.getMessage());
            assertTrue(e.getMessage().contains("too large for a Java array"), e.getMessage());
        }
        Tensor justOver = tensor(new float[] {2f}).expand(Integer.MAX_VALUE);
        assertThrows(IllegalStateException.class, justOver::toFloatArray);
        // views of it that fit still copy out
        assertArrayEquals(new double[] {1.5, 1.5, 1.5}, huge.narrow(0, 5, 3).toDoubleArray());
    }
}
