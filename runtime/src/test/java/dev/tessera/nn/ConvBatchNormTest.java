package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.memory.MemoryScope;
import dev.tessera.ops.StandInDevice;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Eval-mode batch norm fused into the convolution before it ({@link Functional#convBatchNorm},
 * {@link BatchNorm2d#forwardAfter}) against conv2d, batch_norm, add and relu in sequence: the same
 * bits for every convolution path (direct 3x3 and 7x7, strided 1x1 projections, pointwise GEMM,
 * few-channel stems with narrow and wide rows, dilation, im2col for groups, float64), with and without the ReLU and the
 * residual, into NaN-filled pooled memory; NaN and infinities in the input pass as unfused. When
 * autograd records, the unfused ops run (gradFn and gradients as before).
 */
class ConvBatchNormTest {
    // n, c, h, w, o, k, stride, padding, dilation, groups
    private static final int[][] GEOMETRIES = {
        {2, 16, 9, 11, 32, 3, 1, 1, 1, 1}, {1, 32, 14, 14, 48, 3, 2, 1, 1, 1}, {2, 64, 7, 7, 64, 3, 1, 1, 1, 1},
        {2, 32, 10, 10, 64, 1, 2, 0, 1, 1}, {1, 32, 6, 5, 16, 1, 1, 0, 1, 1}, {2, 3, 30, 30, 64, 7, 2, 3, 1, 1},
        {1, 16, 12, 12, 16, 3, 1, 2, 2, 1}, {1, 32, 8, 8, 32, 3, 1, 1, 1, 2}, {3, 20, 5, 6, 24, 3, 1, 1, 1, 1},
        {2, 3, 40, 36, 22, 7, 2, 3, 1, 1}, // a stem with rows of 18 outputs (row vectors) and a partial group of channels
    };

    @Test
    void float32EqualsUnfusedBitForBit() {
        for (int[] geo : GEOMETRIES) {
            for (int variant = 0; variant < 3; variant++) compare(geo, DType.FLOAT32, variant);
        }
    }

    @Test
    void float64EqualsUnfusedBitForBit() {
        for (int variant = 0; variant < 3; variant++) compare(GEOMETRIES[0], DType.FLOAT64, variant);
    }

    /** variant 0: batch norm only; 1: + ReLU; 2: + residual + ReLU. */
    private static void compare(int[] geo, DType dt, int variant) {
        String what = Arrays.toString(geo) + " " + dt + " variant " + variant;
        Torch.manualSeed(geo[1] * 31L + geo[4] + variant);
        int n = geo[0], c = geo[1], o = geo[4], k = geo[5], groups = geo[9];
        int[] stride = {geo[6], geo[6]}, padding = {geo[7], geo[7]}, dilation = {geo[8], geo[8]};
        Tensor x = Torch.randn(n, c, geo[2], geo[3]).to(dt), w = Torch.randn(o, c / groups, k, k).mul(0.2).to(dt);
        x.view(-1).narrow(0, 5, 1).fill_(Double.NaN);
        x.view(-1).narrow(0, 40, 1).fill_(Double.POSITIVE_INFINITY);
        Tensor rm = Torch.randn(o).to(dt), rv = Torch.rand(o).add(0.5).to(dt);
        Tensor bw = Torch.rand(o).add(0.5).to(dt), bb = Torch.randn(o).mul(0.5).to(dt);
        Tensor plain, fused;
        try (NoGrad g = Torch.noGrad()) {
            Tensor y = Functional.conv2d(x, w, null, stride, padding, dilation, groups);
            Tensor res = variant == 2 ? Torch.randn(y.shapeArray()).to(dt) : null;
            Tensor bn = Functional.batchNorm(y, rm, rv, bw, bb, false, 0.1, 1e-5);
            plain = variant == 0 ? bn : (res == null ? bn : bn.add(res)).relu();
            dirtyPool(y.shapeArray(), dt);
            fused = Functional.convBatchNorm(x, w, stride, padding, dilation, groups, rm, rv, bw, bb, 1e-5, res, variant > 0);
        }
        assertArrayEquals(plain.shapeArray(), fused.shapeArray(), what);
        if (dt == DType.FLOAT32) assertArrayEquals(plain.toFloatArray(), fused.toFloatArray(), 0f, what);
        else assertArrayEquals(plain.toDoubleArray(), fused.toDoubleArray(), 0.0, what);
    }

    /** Fills pooled blocks of the output's size with NaN and returns them, so the next outputs reuse dirty memory. */
    private static void dirtyPool(long[] shape, DType dt) {
        try (MemoryScope s = Torch.scope()) {
            for (int i = 0; i < 6; i++) Torch.full(shape, Double.NaN, dt);
        }
    }

    @Test
    void modulesFuseOnlyInEvalWithoutAutograd() {
        Torch.manualSeed(3);
        Conv2d conv = new Conv2d(16, 32, 3, 1, 1, false);
        BatchNorm2d bn = new BatchNorm2d(32);
        Tensor x = Torch.randn(2, 16, 8, 8), res = Torch.randn(2, 32, 8, 8);
        try (NoGrad g = Torch.noGrad()) {
            bn.runningMean().copy_(Torch.randn(32));
            bn.runningVar().copy_(Torch.rand(32).add(0.5));
            bn.bias().copy_(Torch.randn(32));
        }
        bn.eval();
        Tensor expected;
        try (NoGrad g = Torch.noGrad()) {
            expected = bn.forward(conv.forward(x)).add(res).relu();
            assertArrayEquals(expected.toFloatArray(), bn.forwardAfter(conv, x, res, true).toFloatArray(), 0f);
        }
        // grad mode on, parameters require grad: the unfused ops record the graph
        Tensor y = bn.forwardAfter(conv, x, res, true);
        assertNotNull(y.gradFn());
        assertEquals("BatchNormAddReluBackward", y.gradFn().name());
        assertArrayEquals(expected.toFloatArray(), y.toFloatArray(), 0f);
        y.sum().backward();
        assertNotNull(conv.weight().grad());
        // frozen parameters and an input without grad: nothing to record, fused
        for (Tensor p : conv.parameters()) p.requiresGrad_(false);
        for (Tensor p : bn.parameters()) p.requiresGrad_(false);
        Tensor z = bn.forwardAfter(conv, x, res, true);
        assertNull(z.gradFn());
        assertArrayEquals(expected.toFloatArray(), z.toFloatArray(), 0f);
        // training mode: batch statistics, the running ones updated as the modules do
        bn.train();
        BatchNorm2d twin = new BatchNorm2d(32);
        twin.loadStateDict(bn.stateDict());
        Tensor trained = bn.forwardAfter(conv, x, null, false);
        Tensor reference = twin.forward(conv.forward(x));
        assertArrayEquals(reference.toFloatArray(), trained.toFloatArray(), 0f);
        assertArrayEquals(twin.runningMean().toFloatArray(), bn.runningMean().toFloatArray(), 0f);
    }

    @Test
    void aResidualOfAnotherShapeBroadcastsAsUnfused() {
        Torch.manualSeed(4);
        Tensor x = Torch.randn(1, 16, 6, 6), w = Torch.randn(16, 16, 3, 3).mul(0.1), res = Torch.randn(1, 16, 1, 1);
        Tensor rm = Torch.zeros(16), rv = Torch.ones(16);
        int[] one = {1, 1};
        try (NoGrad g = Torch.noGrad()) {
            Tensor plain = Functional.batchNorm(Functional.conv2d(x, w, null, one, one, one, 1), rm, rv, null, null, false, 0.1, 1e-5)
                    .add(res).relu();
            Tensor fused = Functional.convBatchNorm(x, w, one, one, one, 1, rm, rv, null, null, 1e-5, res, true);
            assertArrayEquals(plain.toFloatArray(), fused.toFloatArray(), 0f);
            assertThrows(IllegalArgumentException.class,
                    () -> Functional.convBatchNorm(x, w, one, one, one, 1, rm, rv, null, null, 1e-5, res, false));
            assertThrows(IllegalArgumentException.class,
                    () -> Functional.convBatchNorm(x, w, one, one, one, 1, Torch.zeros(8), rv, null, null, 1e-5, null, true));
        }
    }

    /**
     * A backend that does not override conv2d with an epilogue gets the default (the convolution,
     * then channelAffine / channelAffineRelu in place): the same bits as the CPU's fused reorder.
     */
    @Test
    void composedDefaultEqualsTheCpuEpilogue() {
        try (StandInDevice device = StandInDevice.register((method, args) -> method.getName().equals("conv2d") && args.length == 7)) {
            Torch.manualSeed(6);
            Tensor x = Torch.randn(2, 16, 9, 11), w = Torch.randn(32, 16, 3, 3).mul(0.2), res = Torch.randn(2, 32, 9, 11);
            Tensor rm = Torch.randn(32), rv = Torch.rand(32).add(0.5), bw = Torch.rand(32).add(0.5), bb = Torch.randn(32);
            int[] one = {1, 1};
            try (NoGrad g = Torch.noGrad()) {
                for (int variant = 0; variant < 3; variant++) {
                    Tensor r = variant == 2 ? res : null;
                    Tensor onCpu = Functional.convBatchNorm(x, w, one, one, one, 1, rm, rv, bw, bb, 1e-5, r, variant > 0);
                    Tensor onDevice = Functional.convBatchNorm(x.to("cuda"), w.to("cuda"), one, one, one, 1, rm.to("cuda"),
                            rv.to("cuda"), bw.to("cuda"), bb.to("cuda"), 1e-5, r == null ? null : r.to("cuda"), variant > 0);
                    assertArrayEquals(onCpu.toFloatArray(), onDevice.cpu().toFloatArray(), 0f, "variant " + variant);
                }
            }
            assertTrue(device.defaulted().contains("conv2d"), "defaults run: " + device.defaulted());
            assertTrue(device.called().containsAll(List.of("channelAffine", "channelAffineRelu")), "kernels called: " + device.called());
        }
    }
}
