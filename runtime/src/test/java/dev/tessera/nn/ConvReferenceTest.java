package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import org.junit.jupiter.api.Test;

/**
 * conv2d against a direct seven-loop convolution, over geometries that exercise every im2col
 * branch: padding wider than the kernel reach (whole rows and whole output columns of zeros),
 * strides 1 and 2 (contiguous and gathered runs), dilation and groups, in float32 and float64.
 * Each case first runs on a NaN image inside a scope, so the pooled column buffer the real call
 * reuses is dirty: any element im2col fails to write shows up as NaN.
 */
class ConvReferenceTest {
    private static final int H = 30, W = 37; // column buffers of 128 KiB and more come from the block pool

    @Test
    void matchesDirectConvolutionOnOddGeometries() {
        Torch.manualSeed(11);
        int[][] geometries = {
            // kh, kw, sh, sw, ph, pw, dh, dw, groups
            {3, 3, 1, 1, 1, 1, 1, 1, 1}, {3, 2, 1, 2, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 4, 5, 1, 1, 1},
            {3, 3, 2, 1, 3, 4, 2, 1, 3}, {2, 3, 2, 2, 2, 2, 1, 2, 1}, {5, 5, 1, 1, 2, 2, 1, 1, 3},
        };
        for (boolean f64 : new boolean[] {false, true}) {
            for (int[] g : geometries) {
                Tensor x = Torch.randn(2, 6, H, W), w = Torch.randn(9, 6 / g[8], g[0], g[1]);
                if (f64) {
                    x = x.to(dev.tessera.DType.FLOAT64);
                    w = w.to(dev.tessera.DType.FLOAT64);
                }
                try (var scope = Torch.scope()) {
                    Functional.conv2d(Torch.fullLike(x, Double.NaN), w, null, new int[]{g[2], g[3]},
                            new int[]{g[4], g[5]}, new int[]{g[6], g[7]}, g[8]);
                }
                Tensor y = Functional.conv2d(x, w, null, new int[]{g[2], g[3]}, new int[]{g[4], g[5]},
                        new int[]{g[6], g[7]}, g[8]);
                double[] want = direct(x.toDoubleArray(), w.toDoubleArray(), g, y.shapeArray());
                assertArrayEquals(want, y.toDoubleArray(), 1e-4, java.util.Arrays.toString(g) + " f64=" + f64);
            }
        }
    }

    private static double[] direct(double[] x, double[] w, int[] g, long[] outShape) {
        int n = 2, c = 6, h = H, wd = W, o = 9, groups = g[8], cg = c / groups, og = o / groups;
        int oh = (int) outShape[2], ow = (int) outShape[3];
        double[] y = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double acc = 0;
                        int grp = oc / og;
                        for (int ic = 0; ic < cg; ic++)
                            for (int ky = 0; ky < g[0]; ky++)
                                for (int kx = 0; kx < g[1]; kx++) {
                                    int iy = oy * g[2] - g[4] + ky * g[6], ix = ox * g[3] - g[5] + kx * g[7];
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                    acc += x[((b * c + grp * cg + ic) * h + iy) * wd + ix] * w[((oc * cg + ic) * g[0] + ky) * g[1] + kx];
                                }
                        y[((b * o + oc) * oh + oy) * ow + ox] = acc;
                    }
        return y;
    }
}
