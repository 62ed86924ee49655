package dev.tessera.nn;

import static dev.tessera.autograd.GradCheck.check;
import static dev.tessera.autograd.GradCheck.input;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.memory.MemoryScope;
import dev.tessera.ops.StandInDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fused batch norm + ReLU (+ residual add) against the unfused ops it replaces (batch_norm,
 * add_, relu_): outputs, running statistics and every gradient equal bit for bit, because the
 * fused kernels round the same values in the same order (fma, add, max; the masked gradient's sums
 * in the unfused kernel's lane order). Outputs land in dirty pooled blocks (NaN-filled first), so
 * an element a kernel fails to write shows up. Shapes have planes of 63 and 1517 floats (vector
 * body and scalar tail).
 */
class BatchNormReluTest {
    private static final long[][] SHAPES = {{3, 5, 7, 9}, {4, 16, 37, 41}};

    @Test
    void float32EqualsUnfusedBitForBit() {
        for (long[] shape : SHAPES) {
            for (boolean training : new boolean[]{true, false}) {
                for (boolean residual : new boolean[]{false, true}) {
                    for (boolean affine : new boolean[]{true, false}) {
                        compare(shape, DType.FLOAT32, training, residual, affine);
                    }
                }
            }
        }
    }

    @Test
    void float64EqualsUnfusedBitForBit() {
        for (boolean training : new boolean[]{true, false}) {
            for (boolean residual : new boolean[]{false, true}) compare(SHAPES[0], DType.FLOAT64, training, residual, true);
        }
    }

    /** Runs fused and unfused on the same data; asserts every result is the same bits. */
    private static void compare(long[] shape, DType dt, boolean training, boolean residual, boolean affine) {
        String what = java.util.Arrays.toString(shape) + " " + dt + " training=" + training + " residual=" + residual + " affine=" + affine;
        Torch.manualSeed(21);
        long c = shape[1];
        Tensor x = Torch.randn(shape).mul(2).add(0.3).to(dt), g = Torch.randn(shape).to(dt);
        Tensor res = residual ? Torch.randn(shape).to(dt) : null;
        Tensor w = affine ? Torch.rand(c).add(0.5).to(dt) : null, b = affine ? Torch.randn(c).mul(0.5).to(dt) : null;
        if (!training) {
            // eval mode sees no batch statistics: a NaN and infinities must pass as the unfused ops pass them
            x.view(-1).narrow(0, 3, 1).fill_(Double.NaN);
            x.view(-1).narrow(0, 10, 1).fill_(Double.POSITIVE_INFINITY);
            x.view(-1).narrow(0, 17, 1).fill_(Double.NEGATIVE_INFINITY);
        }
        Tensor rm = Torch.randn(c).to(dt), rv = Torch.rand(c).add(0.5).to(dt);
        List<Tensor> fused = run(x, g, res, w, b, rm, rv, training, dt, true);
        List<Tensor> plain = run(x, g, res, w, b, rm, rv, training, dt, false);
        assertEquals(plain.size(), fused.size(), what);
        for (int i = 0; i < plain.size(); i++) {
            if (plain.get(i) == null) {
                assertNull(fused.get(i), what + " result " + i);
            } else if (dt == DType.FLOAT32) {
                assertArrayEquals(plain.get(i).toFloatArray(), fused.get(i).toFloatArray(), 0f, what + " result " + i);
            } else {
                assertArrayEquals(plain.get(i).toDoubleArray(), fused.get(i).toDoubleArray(), 0.0, what + " result " + i);
            }
        }
    }

    /** {output, running mean, running var, grad x, grad weight, grad bias, grad residual}. */
    private static List<Tensor> run(Tensor x, Tensor g, Tensor res, Tensor w, Tensor b, Tensor rm, Tensor rv, boolean training,
                                     DType dt, boolean fused) {
        dirtyPool(x.shapeArray(), dt);
        Tensor xl = x.detach().clone().requiresGrad_(true);
        Tensor rl = res == null ? null : res.detach().clone().requiresGrad_(true);
        Tensor wl = w == null ? null : w.detach().clone().requiresGrad_(true), bl = b == null ? null : b.detach().clone().requiresGrad_(true);
        Tensor rmean = rm.clone(), rvar = rv.clone();
        Tensor out;
        if (fused) {
            out = Functional.batchNormRelu(xl, rl, rmean, rvar, wl, bl, training, 0.1, 1e-5);
        } else {
            out = Functional.batchNorm(xl, rmean, rvar, wl, bl, training, 0.1, 1e-5);
            out = (rl == null ? out : out.add(rl)).relu_();
        }
        out.backward(g);
        List<Tensor> r = new ArrayList<>(List.of(out.detach(), rmean, rvar, xl.grad()));
        r.add(wl == null ? null : wl.grad());
        r.add(bl == null ? null : bl.grad());
        r.add(rl == null ? null : rl.grad());
        return r;
    }

    /** Fills pooled blocks of the output's size with NaN and returns them, so the next outputs reuse dirty memory. */
    private static void dirtyPool(long[] shape, DType dt) {
        try (MemoryScope s = Torch.scope()) {
            for (int i = 0; i < 6; i++) Torch.full(shape, Double.NaN, dt);
        }
    }

    @Test
    void gradcheckFloat64() {
        check("batch_norm+relu train", t -> Functional.batchNormRelu(t[0], null, null, null, t[1], t[2], true, 0.1, 1e-5),
                input(31, 3, 2, 3, 3), input(32, 2), input(33, 2));
        check("batch_norm+add+relu train", t -> Functional.batchNormRelu(t[0], t[3], null, null, t[1], t[2], true, 0.1, 1e-5),
                input(34, 3, 2, 3, 3), input(35, 2), input(36, 2), input(37, 3, 2, 3, 3));
        Tensor rm = Torch.tensor(new double[]{0.1, -0.2}), rv = Torch.tensor(new double[]{0.5, 2.0});
        check("batch_norm+relu eval", t -> Functional.batchNormRelu(t[0], null, rm, rv, t[1], t[2], false, 0.1, 1e-5),
                input(38, 2, 2, 2, 2), input(39, 2), input(40, 2));
        check("batch_norm+add+relu eval", t -> Functional.batchNormRelu(t[0], t[3], rm, rv, t[1], t[2], false, 0.1, 1e-5),
                input(41, 2, 2, 2, 2), input(42, 2), input(43, 2), input(44, 2, 2, 2, 2));
    }

    /**
     * Only some inputs need a gradient: without the residual's gradient the kernel reads the mask
     * from y in both passes; without the input's it writes no gx (vector body and tail, float32).
     */
    @Test
    void partialGradientsEqualUnfused() {
        Torch.manualSeed(8);
        long[] shape = {3, 16, 7, 9};
        Tensor x = Torch.randn(shape), g = Torch.randn(shape), res = Torch.randn(shape);
        Tensor w = Torch.rand(16).add(0.5), b = Torch.randn(16);
        for (int which = 0; which < 2; which++) {
            Tensor[][] got = new Tensor[2][];
            for (int fuse = 0; fuse < 2; fuse++) {
                dirtyPool(shape, DType.FLOAT32);
                Tensor xl = x.detach().clone().requiresGrad_(which == 0), rl = res.detach().clone().requiresGrad_(which == 1);
                Tensor wl = w.detach().clone().requiresGrad_(true), bl = b.detach().clone().requiresGrad_(true);
                Tensor out = fuse == 1 ? Functional.batchNormRelu(xl, rl, null, null, wl, bl, true, 0.1, 1e-5)
                        : Functional.batchNorm(xl, null, null, wl, bl, true, 0.1, 1e-5).add(rl).relu_();
                out.backward(g);
                got[fuse] = new Tensor[]{out.detach(), which == 0 ? xl.grad() : rl.grad(), wl.grad(), bl.grad()};
                assertNull(which == 0 ? rl.grad() : xl.grad());
            }
            for (int i = 0; i < got[0].length; i++) {
                assertArrayEquals(got[0][i].toFloatArray(), got[1][i].toFloatArray(), 0f, "which=" + which + " result " + i);
            }
        }
    }

    /** Half precision and a broadcast residual have no fused kernel: the op runs batch_norm, add and relu_ (same values and gradients). */
    @Test
    void unfusableArgumentsRunTheUnfusedOps() {
        Torch.manualSeed(4);
        Tensor x = Torch.randn(2, 3, 4, 5), g = Torch.randn(2, 3, 4, 5), rm = Torch.zeros(3), rv = Torch.ones(3);
        Tensor xh = x.to(DType.BFLOAT16), fused = Functional.batchNormRelu(xh, null, rm.clone(), rv.clone(), null, null, true, 0.1, 1e-5);
        Tensor plain = Functional.batchNorm(xh, rm.clone(), rv.clone(), null, null, true, 0.1, 1e-5).relu();
        assertEquals(DType.BFLOAT16, fused.dtype());
        assertArrayEquals(plain.toFloatArray(), fused.toFloatArray(), 0f);
        Tensor row = Torch.randn(5); // broadcasts against [2, 3, 4, 5]
        Tensor[] grads = new Tensor[2];
        for (int fuse = 0; fuse < 2; fuse++) {
            Tensor xl = x.detach().requiresGrad_(true);
            Tensor out = fuse == 1 ? Functional.batchNormRelu(xl, row, null, null, null, null, true, 0.1, 1e-5)
                    : Functional.batchNorm(xl, null, null, null, null, true, 0.1, 1e-5).add(row).relu();
            out.backward(g);
            grads[fuse] = xl.grad();
        }
        assertArrayEquals(grads[0].toFloatArray(), grads[1].toFloatArray(), 0f);
    }

    /** A subclass that overrides forward (SyncBatchNorm does) keeps it: forwardRelu runs forward, add and ReLU. */
    @Test
    void subclassesKeepTheirForward() {
        BatchNorm2d bn = new BatchNorm2d(2) {
            @Override
            public Tensor forward(Tensor input) { return input.mul(-1.0); }
        };
        Tensor x = Torch.tensor(new float[]{1, -2, 3, -4, 5, -6, 7, -8}).reshape(1, 2, 2, 2);
        assertArrayEquals(new float[]{0, 2, 0, 4, 0, 6, 0, 8}, bn.forwardRelu(x, null).toFloatArray());
        assertArrayEquals(new float[]{0, 0, 0, 0, 0, 0, 0, 0}, bn.forwardRelu(x, x).toFloatArray());
    }

    /**
     * Another device's backend that does not override the fused entries gets their defaults,
     * composed from channelAffine, binary, unary, reluBackward and batchNormBackward: the same
     * bits as the CPU's fused kernels.
     */
    @Test
    void composedDefaultsEqualTheCpuKernels() {
        Set<String> fusedEntries = Set.of("channelAffineRelu", "batchNormReluBackward");
        try (StandInDevice device = StandInDevice.register((method, args) -> fusedEntries.contains(method.getName()))) {
            for (boolean residual : new boolean[]{false, true}) {
                for (boolean training : new boolean[]{true, false}) {
                    Torch.manualSeed(5);
                    long[] shape = {2, 16, 9, 11};
                    Tensor x = Torch.randn(shape), g = Torch.randn(shape), res = residual ? Torch.randn(shape) : null;
                    Tensor w = Torch.rand(16).add(0.5), b = Torch.randn(16), rm = Torch.randn(16), rv = Torch.rand(16).add(0.5);
                    List<Tensor> onCpu = run(x, g, res, w, b, rm, rv, training, DType.FLOAT32, true);
                    List<Tensor> onDevice = run(x.to("cuda"), g.to("cuda"), res == null ? null : res.to("cuda"), w.to("cuda"), b.to("cuda"),
                            rm.to("cuda"), rv.to("cuda"), training, DType.FLOAT32, true);
                    for (int i = 0; i < onCpu.size(); i++) {
                        if (onCpu.get(i) == null) continue;
                        assertArrayEquals(onCpu.get(i).toFloatArray(), onDevice.get(i).cpu().toFloatArray(), 0f,
                                "result " + i + " residual=" + residual + " training=" + training);
                    }
                }
            }
            assertTrue(device.called().containsAll(List.of("channelAffineRelu", "batchNormReluBackward", "channelAffine", "reluBackward",
                    "batchNormBackward")), "kernels called: " + device.called());
        }
    }
}
