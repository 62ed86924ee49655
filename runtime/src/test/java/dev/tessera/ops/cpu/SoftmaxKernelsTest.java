package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import org.junit.jupiter.api.Test;

/**
 * The fused row kernel against softmax computed in float64 from the same inputs, on row lengths
 * around the vector width, plus the edge rows: -inf entries, an all -inf row, NaN, huge values.
 */
class SoftmaxKernelsTest {
    @Test
    void matchesFloat64ReferenceOnOddRowLengths() {
        Torch.manualSeed(4);
        for (int cols : new int[] {1, 3, 15, 16, 17, 33, 1000, 1025}) {
            Tensor x = Torch.randn(5, cols).mul_(4.0);
            float[] xs = x.toFloatArray();
            for (boolean log : new boolean[] {false, true}) {
                float[] got = (log ? x.logSoftmax(1) : x.softmax(1)).toFloatArray();
                for (int r = 0; r < 5; r++) {
                    // reference: x - max rounded to float as any float kernel does, the rest in double
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < cols; j++) max = Math.max(max, xs[r * cols + j]);
                    double sum = 0;
                    for (int j = 0; j < cols; j++) sum += Math.exp(xs[r * cols + j] - max);
                    for (int j = 0; j < cols; j++) {
                        float d = xs[r * cols + j] - max;
                        double want = log ? d - Math.log(sum) : Math.exp(d) / sum;
                        // the sum accumulates in float: relative error up to about log2(cols) roundings
                        double sumRel = (2 + Math.ceil(Math.log(cols) / Math.log(2))) * Math.ulp(1f);
                        double tol = log ? 2 * Math.ulp((float) Math.max(Math.abs(d), Math.log(sum))) + Math.ulp((float) want) + sumRel
                                : 4 * Math.ulp((float) want) + Math.abs(want) * sumRel;
                        float g = got[r * cols + j];
                        assertTrue(Math.abs(g - want) <= tol, "cols=" + cols + " log=" + log + " [" + r + "," + j + "] " + g + " vs " + want);
                    }
                }
            }
        }
    }

    @Test
    void edgeRows() {
        float inf = Float.POSITIVE_INFINITY;
        float[][] rows = {
            {-inf, 0f, -inf, 1f, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, 2f},
            {-inf, -inf, -inf},
            {1f, Float.NaN, 2f},
            {1e30f, 1e30f, -1e30f},
        };
        for (float[] r : rows) {
            Tensor x = Torch.tensor(new float[][] {r});
            float[] s = x.softmax(1).toFloatArray(), ls = x.logSoftmax(1).toFloatArray();
            float[] ref = x.to(DType.FLOAT64).softmax(1).to(DType.FLOAT32).toFloatArray();
            float[] lref = x.to(DType.FLOAT64).logSoftmax(1).to(DType.FLOAT32).toFloatArray();
            for (int i = 0; i < r.length; i++) {
                assertEquals(ref[i], s[i], 1e-6f, "softmax " + java.util.Arrays.toString(r) + " [" + i + "]");
                assertEquals(lref[i], ls[i], 1e-5f, "log_softmax " + java.util.Arrays.toString(r) + " [" + i + "]");
            }
        }
    }
}
