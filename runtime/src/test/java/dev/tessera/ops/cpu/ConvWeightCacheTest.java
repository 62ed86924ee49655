package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.Functional;
import dev.tessera.numpy.NDArray;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Inference keeps blocked convolution weights between calls: the results must be those of the
 * uncached path bit for bit, and any change to the weight must be seen on the next call (an
 * in-place op bumps the version; NumPy writes do not, so exposed weights are never cached).
 */
class ConvWeightCacheTest {
    private static float[] conv(Tensor x, Tensor w, int stride, int pad) {
        return Functional.conv2d(x, w, null, stride, pad).contiguous().toFloatArray();
    }

    private static float[] inference(Tensor x, Tensor w, int stride, int pad) {
        try (NoGrad g = Torch.noGrad()) {
            return conv(x, w, stride, pad);
        }
    }

    /** The same call with a weight that requires grad: never cached. */
    private static float[] uncached(Tensor x, Tensor w, int stride, int pad) {
        Tensor leaf = w.detach().clone().requiresGrad_(true);
        return Functional.conv2d(x, leaf, null, stride, pad).detach().contiguous().toFloatArray();
    }

    @Test
    void cachedResultsAreTheUncachedBitsAndFollowInPlaceChanges() {
        Assumptions.assumeTrue(ConvWeightCache.ENABLED, "the cache is turned off (-Dtessera.cacheConvWeights=false)");
        Torch.manualSeed(3);
        for (int[] geo : new int[][] {{40, 24, 3, 1, 1}, {16, 48, 3, 2, 1}, {32, 32, 5, 1, 2}}) {
            int c = geo[0], o = geo[1], k = geo[2], stride = geo[3], pad = geo[4];
            Tensor x = Torch.randn(2, c, 15, 13), w = Torch.randn(o, c, k, k);
            assertFalse(ConvWeightCache.holds(w.storage()));
            float[] first = inference(x, w, stride, pad);
            assertTrue(ConvWeightCache.holds(w.storage()), "no entry for a new weight");
            assertArrayEquals(uncached(x, w, stride, pad), first);
            assertArrayEquals(first, inference(x, w, stride, pad), "a cache hit changed the result");
            // another batch and image size reuse the entry
            Tensor x2 = Torch.randn(1, c, 9, 11);
            assertArrayEquals(uncached(x2, w, stride, pad), inference(x2, w, stride, pad));
            float[] third = inference(x, w, stride, pad); // blocked weights built on the second call, used from here
            assertArrayEquals(first, third, "a cache hit changed the result");
            w.mul_(-0.5); // bumps the version
            for (int call = 0; call < 3; call++) { // a first call per version, then build, then hit
                assertArrayEquals(uncached(x, w, stride, pad), inference(x, w, stride, pad), "a stale blocked weight was used");
            }
            try (NoGrad g = Torch.noGrad()) {
                w.narrow(0, 1, 3).zero_(); // a write through a view bumps the shared version too
            }
            for (int call = 0; call < 3; call++) {
                assertArrayEquals(uncached(x, w, stride, pad), inference(x, w, stride, pad), "a write through a view was missed");
            }
        }
    }

    @Test
    void weightsSharingOneStorageKeepAnEntryEach() {
        Assumptions.assumeTrue(ConvWeightCache.ENABLED, "the cache is turned off (-Dtessera.cacheConvWeights=false)");
        Torch.manualSeed(5);
        Tensor flat = Torch.randn(2 * 16 * 16 * 9), x = Torch.randn(2, 16, 9, 9);
        Tensor w1 = flat.narrow(0, 0, 16 * 16 * 9).view(16, 16, 3, 3), w2 = flat.narrow(0, 16 * 16 * 9, 16 * 16 * 9).view(16, 16, 3, 3);
        long before = 0;
        for (int round = 0; round < 4; round++) {
            if (round == 2) before = ConvWeightCache.builds(); // built on each weight's second call
            assertArrayEquals(uncached(x, w1, 1, 1), inference(x, w1, 1, 1), "first weight, round " + round);
            assertArrayEquals(uncached(x, w2, 1, 1), inference(x, w2, 1, 1), "second weight, round " + round);
        }
        assertEquals(before, ConvWeightCache.builds(), "alternating weights of one storage rebuilt each other's entry");
        assertTrue(ConvWeightCache.holds(flat.storage()));
        w2.mul_(3); // one version for both: both are rebuilt, both right
        assertArrayEquals(uncached(x, w1, 1, 1), inference(x, w1, 1, 1));
        assertArrayEquals(uncached(x, w2, 1, 1), inference(x, w2, 1, 1));
    }

    @Test
    void frozenWeightsAreCachedWhileTheInputTakesGradients() {
        Assumptions.assumeTrue(ConvWeightCache.ENABLED, "the cache is turned off (-Dtessera.cacheConvWeights=false)");
        Torch.manualSeed(6);
        Tensor w = Torch.randn(32, 16, 3, 3), x = Torch.randn(2, 16, 10, 10);
        Tensor want = uncachedInputGradient(x, w);
        long before = ConvWeightCache.builds();
        for (int i = 0; i < 3; i++) {
            Tensor xi = x.detach().clone().requiresGrad_(true);
            Functional.conv2d(xi, w, null, 1, 1).pow(2).sum().backward();
            assertArrayEquals(want.toFloatArray(), xi.grad().toFloatArray(), "input gradient, call " + i);
        }
        assertEquals(before + 1, ConvWeightCache.builds(), "a frozen weight was not kept (or kept more than once)");
        // a weight that trains is never cached
        Tensor trained = w.detach().clone().requiresGrad_(true);
        for (int i = 0; i < 3; i++) Functional.conv2d(x, trained, null, 1, 1).sum().backward();
        assertFalse(ConvWeightCache.holds(trained.storage()));
    }

    private static Tensor uncachedInputGradient(Tensor x, Tensor w) {
        Tensor xi = x.detach().clone().requiresGrad_(true), wi = w.detach().clone().requiresGrad_(true);
        Functional.conv2d(xi, wi, null, 1, 1).pow(2).sum().backward();
        return xi.grad();
    }

    @Test
    void weightsExposedToNumpyAreNeverCached() {
        Torch.manualSeed(4);
        Tensor x = Torch.randn(1, 16, 8, 8), w = Torch.randn(16, 16, 3, 3);
        NDArray view = w.numpy();
        float[] first = inference(x, w, 1, 1);
        assertFalse(ConvWeightCache.holds(w.storage()), "an exposed weight was cached");
        view.setDouble(100.0, 0, 0, 1, 1); // NumPy-side write: no version bump
        float[] second = inference(x, w, 1, 1);
        assertFalse(java.util.Arrays.equals(first, second), "the NumPy write was not seen");
        assertArrayEquals(uncached(x, w, 1, 1), second);
    }
}
