package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * conv2d splits a large batch into chunks of images whose column buffer stays below 2^24 elements
 * (here 28 images of 16 x 64 x 64 with a 3 x 3 kernel): the chunked batch must equal the images run
 * one by one, forward and backward (weight gradients accumulate across chunks).
 */
class ConvChunkingTest {
    @Test
    void batchSpanningTwoChunksEqualsImagesOneByOne() {
        Torch.manualSeed(3);
        int n = 30;
        Tensor x = Torch.randn(n, 16, 64, 64).requiresGrad_(true);
        Tensor w = Torch.randn(8, 16, 3, 3).mul_(0.1).requiresGrad_(true);
        Tensor b = Torch.randn(8).requiresGrad_(true);
        Tensor g = Torch.randn(n, 8, 64, 64);
        Tensor y = Functional.conv2d(x, w, b, new int[]{1, 1}, new int[]{1, 1}, new int[]{1, 1}, 1);
        y.backward(g);
        Tensor gx = x.grad(), gw = w.grad(), gb = b.grad();

        Tensor w1 = w.detach().clone().requiresGrad_(true), b1 = b.detach().clone().requiresGrad_(true);
        List<Tensor> ys = new ArrayList<>(), gxs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tensor xi = x.detach().narrow(0, i, 1).clone().requiresGrad_(true);
            Tensor yi = Functional.conv2d(xi, w1, b1, new int[]{1, 1}, new int[]{1, 1}, new int[]{1, 1}, 1);
            yi.backward(g.narrow(0, i, 1));
            ys.add(yi.detach());
            gxs.add(xi.grad());
        }
        assertTrue(Torch.allclose(y.detach(), Torch.cat(ys, 0), 1e-5, 1e-5), "forward");
        assertTrue(Torch.allclose(gx, Torch.cat(gxs, 0), 1e-5, 1e-5), "input gradient");
        assertTrue(Torch.allclose(gw, w1.grad(), 1e-4, 1e-3), "weight gradient summed over both chunks");
        assertTrue(Torch.allclose(gb, b1.grad(), 1e-4, 1e-3), "bias gradient");
    }
}
