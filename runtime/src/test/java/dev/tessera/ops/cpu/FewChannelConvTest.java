package dev.tessera.ops.cpu;

import static dev.tessera.ops.cpu.DirectConvTest.compare;
import static dev.tessera.ops.cpu.DirectConvTest.nanArray;
import static dev.tessera.ops.cpu.DirectConvTest.random;
import static dev.tessera.ops.cpu.DirectConvTest.segment;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.Functional;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The few-channel direct convolution (a stem's: 1-15 input channels in plain NCHW planes) against
 * DirectConvTest's float64 seven-loop references: forward with and without bias, weight and bias
 * gradients, over kernel sizes from 2 to 11 (more than 8 kernel columns take two weightRows
 * groups), strides, padding, row dilation, odd channel and pixel counts, outputs that fill no
 * whole tile, at 1 to 8 threads (other tile segments and weight-gradient slot counts). Outputs
 * start as NaN at odd offsets, and a NaN run of the same geometry first leaves the work buffers
 * dirty.
 */
class FewChannelConvTest {
    @BeforeAll
    static void needsWideVectors() {
        Assumptions.assumeTrue(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() >= 16,
                "the few-channel kernels are for 16-float vectors; this CPU's are narrower");
    }

    static List<DirectConvShape> geometries() {
        List<DirectConvShape> gs = new ArrayList<>();
        // n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw
        gs.add(new DirectConvShape(2, 3, 23, 19, 64, 7, 7, 2, 2, 3, 3, 1, 1, 1)); // a ResNet stem, small
        gs.add(new DirectConvShape(1, 1, 9, 9, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)); // grayscale, one block
        gs.add(new DirectConvShape(3, 5, 13, 11, 20, 5, 5, 2, 2, 2, 2, 2, 1, 1)); // odd blocks, row dilation
        gs.add(new DirectConvShape(2, 15, 10, 12, 33, 3, 2, 2, 1, 0, 1, 1, 1, 1)); // 15 channels, 3 blocks
        gs.add(new DirectConvShape(1, 3, 27, 27, 48, 11, 11, 4, 4, 2, 2, 1, 1, 1)); // AlexNet-like: 2 column groups
        gs.add(new DirectConvShape(4, 2, 5, 5, 32, 3, 3, 1, 1, 0, 0, 1, 1, 1)); // 3x3 outputs: tiles across images
        gs.add(new DirectConvShape(1, 4, 6, 7, 16, 2, 9, 1, 3, 0, 1, 1, 1, 1)); // 9 columns, column stride 3
        // output rows of 16 pixels or more: the row-vector forward
        gs.add(new DirectConvShape(2, 3, 40, 36, 64, 7, 7, 2, 2, 3, 3, 1, 1, 1)); // stem: 18-pixel rows, overlapping runs
        gs.add(new DirectConvShape(1, 1, 12, 33, 18, 3, 3, 1, 1, 1, 1, 1, 1, 1)); // 33-pixel rows, 2 channels in the last group
        gs.add(new DirectConvShape(2, 5, 9, 50, 17, 5, 5, 3, 3, 2, 2, 2, 1, 1)); // stride 3 phases, row dilation
        gs.add(new DirectConvShape(1, 15, 6, 16, 16, 2, 1, 1, 1, 0, 0, 1, 1, 1)); // exactly one run per row
        return gs;
    }

    @Test
    void forwardMatchesDirectReference() {
        for (DirectConvShape g : geometries()) {
            assertTrue(FewChannelConv.preferred(g), g.toString());
            check(g, false, true);
            check(g, false, false);
        }
    }

    /** Rows of 16 pixels or more also run through the channel-blocked tile when the row-vector path is off. */
    @Test
    void bothForwardPathsMatchTheReference() {
        try {
            FewChannelConv.rowVectors = false;
            for (DirectConvShape g : geometries()) {
                if (FewChannelForward.applies(g)) check(g, false, true);
            }
        } finally {
            FewChannelConv.rowVectors = true;
        }
        assertTrue(geometries().stream().filter(FewChannelForward::applies).count() >= 4);
    }

    @Test
    void weightAndBiasGradientsMatchDirectReference() {
        for (DirectConvShape g : geometries()) check(g, true, true);
    }

    @Test
    void everyThreadCountMatchesTheReference() {
        int threads = Parallel.getNumThreads();
        try {
            for (int t : new int[] {1, 2, 3, 8}) {
                Parallel.setNumThreads(t);
                for (DirectConvShape g : new DirectConvShape[] {geometries().get(0), geometries().get(2), geometries().get(5),
                        geometries().get(7), geometries().get(9)}) {
                    check(g, false, true);
                    check(g, true, true);
                }
            }
        } finally {
            Parallel.setNumThreads(threads);
        }
    }

    @Test
    void confinedSegmentsAreComputedOnTheCallingThread() {
        DirectConvShape g = geometries().get(2);
        try (Arena arena = Arena.ofConfined()) {
            SplittableRandom rnd = new SplittableRandom(5);
            MemorySegment x = segment(arena, random(rnd, g.inputElements()), 0), w = segment(arena, random(rnd, g.weightElements()), 0);
            MemorySegment out = segment(arena, nanArray(g.outputElements()), 0), gw = segment(arena, nanArray(g.weightElements()), 0);
            FewChannelConv.forward(x, 0, w, 0, null, 0, out, 0, g);
            FewChannelConv.backwardWeights(out, 0, x, 0, gw, 0, null, 0, g);
            for (long i = 0; i < g.weightElements(); i++) assertFalse(Float.isNaN(gw.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i)));
        }
    }

    @Test
    void rejectsWhatItDoesNotCompute() {
        assertFalse(FewChannelConv.preferred(new DirectConvShape(1, 16, 9, 9, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1)), "16 channels: blocked");
        assertFalse(FewChannelConv.preferred(new DirectConvShape(1, 3, 9, 9, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1)), "8 outputs");
        assertFalse(FewChannelConv.preferred(new DirectConvShape(1, 4, 9, 9, 32, 3, 3, 1, 1, 1, 1, 1, 1, 2)), "groups");
        assertFalse(FewChannelConv.preferred(new DirectConvShape(1, 3, 9, 9, 32, 3, 3, 1, 1, 2, 2, 1, 2, 1)), "column dilation");
        DirectConvShape g = geometries().get(1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(16), big = arena.allocate(1 << 16);
            var e = assertThrows(IllegalArgumentException.class, () -> FewChannelConv.forward(small, 0, big, 0, null, 0, big, 0, g));
            assertTrue(e.getMessage().contains("input needs elements"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> FewChannelConv.backwardWeights(big, 0, big, 0, small, 0, null, 0, g));
            assertTrue(e.getMessage().contains("weight gradient needs elements"), e.getMessage());
            DirectConvShape grouped = new DirectConvShape(1, 4, 9, 9, 32, 3, 3, 1, 1, 1, 1, 1, 1, 2);
            e = assertThrows(IllegalArgumentException.class, () -> FewChannelConv.forward(big, 0, big, 0, null, 0, big, 0, grouped));
            assertTrue(e.getMessage().contains("groups 1"), e.getMessage());
        }
    }

    /** The backend routes a 3-channel stem here and autograd sees its gradients: against the float64 im2col path. */
    @Test
    void aStemThroughTheTensorApiMatchesFloat64() {
        Torch.manualSeed(3);
        Tensor x = Torch.randn(2, 3, 20, 18), w = Torch.randn(24, 3, 7, 7).mul(0.1), b = Torch.randn(24);
        Tensor w32 = w.detach().clone().requiresGrad_(true), b32 = b.detach().clone().requiresGrad_(true);
        Tensor w64 = w.double_().requiresGrad_(true), b64 = b.double_().requiresGrad_(true);
        Tensor y32 = Functional.conv2d(x, w32, b32, 2, 3), y64 = Functional.conv2d(x.double_(), w64, b64, 2, 3);
        Tensor probe = Torch.randn(y32.shape().toArray());
        y32.mul(probe).sum().backward();
        y64.mul(probe.double_()).sum().backward();
        assertClose(y64, y32, 1e-4);
        assertClose(w64.grad(), w32.grad(), 1e-3);
        assertClose(b64.grad(), b32.grad(), 1e-3);
    }

    private static void assertClose(Tensor want, Tensor got, double tol) {
        double[] a = want.contiguous().toDoubleArray(), b = got.contiguous().toDoubleArray();
        org.junit.jupiter.api.Assertions.assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(a[i])))) {
                org.junit.jupiter.api.Assertions.fail("element " + i + ": " + b[i] + ", expected " + a[i]);
            }
        }
    }

    private static void check(DirectConvShape g, boolean weights, boolean withBias) {
        SplittableRandom rnd = new SplittableRandom(g.hashCode() * 31L + (weights ? 1 : 0));
        float[] x = random(rnd, g.inputElements()), w = random(rnd, g.weightElements());
        float[] gout = random(rnd, g.outputElements()), bias = random(rnd, g.o());
        try (Arena arena = Arena.ofShared()) {
            MemorySegment nan = segment(arena, nanArray(Math.max(g.weightElements(), Math.max(g.inputElements(), g.outputElements()))), 0);
            MemorySegment[] dirty = run(arena, g, weights, withBias, nan, nan, nan, nan);
            MemorySegment[] got = run(arena, g, weights, withBias, segment(arena, x, 3), segment(arena, w, 1), segment(arena, gout, 5),
                    segment(arena, bias, 0));
            if (!weights) {
                float[] b = withBias ? bias : new float[g.o()];
                DirectConvTest.Reference want = DirectConvTest.Reference.forward(g, x, w, b);
                compare(g + " forward" + (withBias ? " with bias" : ""), want.value(), want.magnitude(), got[0], 7);
            } else {
                DirectConvTest.Reference want = DirectConvTest.Reference.backwardWeights(g, gout, x);
                compare(g + " weight gradient", want.value(), want.magnitude(), got[0], 7);
                DirectConvTest.Reference gb = DirectConvTest.Reference.biasGradient(g, gout);
                compare(g + " bias gradient", gb.value(), gb.magnitude(), got[1], 11);
            }
            assertTrue(dirty.length > 0);
        }
    }

    private static MemorySegment[] run(Arena arena, DirectConvShape g, boolean weights, boolean withBias, MemorySegment x,
            MemorySegment w, MemorySegment gout, MemorySegment bias) {
        long xo = 3, wo = 1, go = 5, bo = 0;
        if (x.equals(w)) xo = wo = go = bo = 0;
        if (!weights) {
            MemorySegment out = segment(arena, nanArray(g.outputElements() + 7), 0);
            FewChannelConv.forward(x, xo, w, wo, withBias ? bias : null, bo, out, 7, g);
            return new MemorySegment[] {out};
        }
        MemorySegment gw = segment(arena, nanArray(g.weightElements() + 7), 0), gb = segment(arena, nanArray(g.o() + 11), 0);
        FewChannelConv.backwardWeights(gout, go, x, xo, gw, 7, gb, 11, g);
        return new MemorySegment[] {gw, gb};
    }
}
