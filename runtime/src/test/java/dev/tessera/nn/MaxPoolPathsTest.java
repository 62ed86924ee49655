package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.functions.Pooling;
import org.junit.jupiter.api.Test;

/**
 * The float32 max-pool path (heap copy, vector gathers over interior columns, scalar edges)
 * against the general float64 loop on the same values: identical maxima and identical indices,
 * with many ties (small integers: the first maximum in window order must win), NaNs and windows
 * of nothing but -inf, on planes wide enough for vectors and as narrow as one window.
 */
class MaxPoolPathsTest {
    @Test
    void float32PathMatchesGeneralLoopWithTiesAndNaN() {
        Torch.manualSeed(9);
        int[][] geometries = {
            // kh, kw, sh, sw, ph, pw, dh, dw, ceil
            {3, 3, 2, 2, 1, 1, 1, 1, 0}, {2, 2, 2, 2, 0, 0, 1, 1, 0}, {3, 2, 1, 1, 1, 1, 1, 1, 1},
            {3, 3, 2, 3, 1, 1, 2, 2, 1}, {5, 4, 3, 1, 2, 2, 1, 1, 0},
        };
        int[][] sizes = {{37, 71}, {32, 32}, {8, 8}, {5, 7}, {31, 33}, {16, 17}, {3, 40}};
        for (int[] hw : sizes) {
            for (int[] g : geometries) {
                if (hw[0] + 2 * g[4] < (g[0] - 1) * g[6] + 1 || hw[1] + 2 * g[5] < (g[1] - 1) * g[7] + 1) continue;
                Tensor x = Torch.randint(0, 5, new long[]{2, 3, hw[0], hw[1]}).to(DType.FLOAT32);
                float[] v = x.toFloatArray();
                for (int i = 0; i < v.length; i += 97) v[i] = Float.NaN;
                // windows of nothing but -inf: the index is the window's first element, as PyTorch's kernel starts there
                int plane = hw[0] * hw[1];
                java.util.Arrays.fill(v, plane, 2 * plane, Float.NEGATIVE_INFINITY);
                for (int i = 3 * plane; i < 4 * plane; i += 3) v[i] = Float.NEGATIVE_INFINITY;
                x = Torch.tensor(v).reshape(2, 3, hw[0], hw[1]);
                int[] k = {g[0], g[1]}, s = {g[2], g[3]}, p = {g[4], g[5]}, d = {g[6], g[7]};
                Pooling.Pooled fast = Pooling.maxPool2d(x, k, s, p, d, g[8] == 1);
                Pooling.Pooled ref = Pooling.maxPool2d(x.to(DType.FLOAT64), k, s, p, d, g[8] == 1);
                String where = java.util.Arrays.toString(hw) + " " + java.util.Arrays.toString(g);
                assertArrayEquals(ref.indices().toLongArray(), fast.indices().toLongArray(), "indices " + where);
                assertArrayEquals(ref.values().to(DType.FLOAT32).toFloatArray(), fast.values().toFloatArray(), "values " + where);
            }
        }
    }
}
