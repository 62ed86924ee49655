package dev.tessera.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Index;
import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Autograd behaviour beyond gradient values: flags, modes, errors and PyTorch's messages, scale. */
class AutogradSemanticsTest {
    private static Tensor leaf(double... v) { return Torch.tensor(v, DType.FLOAT64).requiresGrad_(true); }

    private static Tensor d(double... v) { return Torch.tensor(v, DType.FLOAT64); }

    @Test
    void tutorialExternalGradient() {
        Tensor a = Torch.tensor(new float[]{2, 3}).requiresGrad_(true);
        Tensor b = Torch.tensor(new float[]{6, 4}).requiresGrad_(true);
        Tensor q = a.pow(3).mul(3).sub(b.pow(2));
        q.backward(Torch.tensor(new float[]{1, 1}));
        assertArrayEquals(new double[]{36, 81}, a.grad().toDoubleArray());
        assertArrayEquals(new double[]{-12, -8}, b.grad().toDoubleArray());
        assertTrue(a.pow(2).mul(9).detach().eq(a.grad()).all().item().longValue() == 1);
        assertTrue(b.mul(-2).detach().eq(b.grad()).all().item().longValue() == 1);
        assertEquals(DType.FLOAT32, a.grad().dtype());
        assertEquals("SubBackward0", q.gradFn().name());
        assertEquals("MulBackward0", q.gradFn().nextFunctions().get(0).function().name());
        assertEquals("PowBackward0", q.gradFn().nextFunctions().get(1).function().name());
        Node acc = q.gradFn().nextFunctions().get(1).function().nextFunctions().get(0).function();
        assertTrue(acc instanceof AccumulateGrad);
        assertSame(b, ((AccumulateGrad) acc).variable());
    }

    @Test
    void requiresGradPropagationAndLeafness() {
        Tensor x = Torch.rand(3);
        assertFalse(x.requiresGrad());
        assertTrue(x.isLeaf());
        Tensor y = x.mul(2);
        assertFalse(y.requiresGrad());
        assertNull(y.gradFn());
        Tensor w = Torch.rand(3).requiresGrad_();
        Tensor z = x.add(w);
        assertTrue(z.requiresGrad());
        assertFalse(z.isLeaf());
        assertEquals("AddBackward0", z.gradFn().name());
        assertTrue(w.isLeaf());
        assertNull(w.gradFn());
        Tensor det = z.detach();
        assertFalse(det.requiresGrad());
        assertTrue(det.isLeaf());
        assertSame(z.storage(), det.storage());
        assertThrows(IllegalStateException.class, () -> z.requiresGrad_(false));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Torch.tensor(new long[]{1, 2}).requiresGrad_(true));
        assertEquals("only Tensors of floating point dtype can require gradients", e.getMessage());
        // views, comparisons, integer casts
        assertTrue(w.view(3).requiresGrad());
        assertFalse(w.gt(0).requiresGrad());
        assertFalse(w.to(DType.INT64).requiresGrad());
        assertEquals("ToCopyBackward0", w.to(DType.FLOAT64).gradFn().name());
        // a fresh DAG per forward
        assertNotSame(w.mul(2).gradFn(), w.mul(2).gradFn());
        assertSame(w.gradAccumulator(), w.mul(2).gradFn().nextFunctions().get(0).function());
    }

    @Test
    void toDtypeGradientComesBackInInputDtype() {
        Tensor w = Torch.tensor(new float[]{1, 2, 3}).requiresGrad_();
        w.to(DType.FLOAT64).mul(d(2, 3, 4)).sum().backward();
        assertEquals(DType.FLOAT32, w.grad().dtype());
        assertArrayEquals(new double[]{2, 3, 4}, w.grad().toDoubleArray());
    }

    @Test
    void noGradIsThreadLocalAndNests() throws Exception {
        Tensor w = leaf(1, 2);
        assertTrue(Torch.isGradEnabled());
        try (NoGrad outer = Torch.noGrad()) {
            assertFalse(Torch.isGradEnabled());
            assertNull(w.mul(2).gradFn());
            assertFalse(w.mul(2).requiresGrad());
            try (NoGrad inner = Torch.enableGrad()) {
                assertTrue(Torch.isGradEnabled());
                assertEquals("MulBackward0", w.mul(2).gradFn().name());
                try (NoGrad innermost = Torch.noGrad()) {
                    assertFalse(Torch.isGradEnabled());
                }
                assertTrue(Torch.isGradEnabled());
            }
            assertFalse(Torch.isGradEnabled());
            AtomicBoolean other = new AtomicBoolean();
            Thread t = new Thread(() -> other.set(Torch.isGradEnabled() && w.mul(2).gradFn() != null));
            t.start();
            t.join();
            assertTrue(other.get(), "grad mode is per thread");
            // in-place updates of leaves are allowed under no_grad (the optimizer step)
            w.sub_(d(1, 1));
        }
        assertTrue(Torch.isGradEnabled());
        assertArrayEquals(new double[]{0, 1}, w.detach().toDoubleArray());
    }

    @Test
    void gradientsAccumulateAndRetainGraph() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(x).sum();
        y.backward(null, true);
        assertArrayEquals(new double[]{2, 4, 6}, x.grad().toDoubleArray());
        y.backward();
        assertArrayEquals(new double[]{4, 8, 12}, x.grad().toDoubleArray());
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().startsWith("Trying to backward through the graph a second time (or directly access saved tensors "
                + "after they have already been freed)."), e.getMessage());
        x.setGrad(null);
        x.mul(3).sum().backward();
        assertArrayEquals(new double[]{3, 3, 3}, x.grad().toDoubleArray());
    }

    @Test
    void retainGradOnNonLeaves() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(3);
        Tensor k = h.exp();
        h.retainGrad();
        k.sum().backward();
        assertNotNull(h.grad());
        assertArrayEquals(new double[]{Math.exp(3), Math.exp(6)}, h.grad().toDoubleArray(), 1e-9);
        assertNull(k.grad(), "non-leaf grads are not kept without retain_grad");
        assertThrows(IllegalStateException.class, () -> Torch.rand(2).retainGrad());
    }

    @Test
    void backwardErrors() {
        Tensor x = leaf(1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.mul(2).backward());
        assertEquals("grad can be implicitly created only for scalar outputs", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> d(1, 2).sum().backward());
        assertEquals("element 0 of tensors does not require grad and does not have a grad_fn", e.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> x.mul(2).backward(d(1, 2, 3)));
        assertTrue(m.getMessage().startsWith("Mismatch in shape"), m.getMessage());
    }

    @Test
    void modifiedSavedTensorIsDetected() {
        Tensor x = leaf(1, 2);
        Tensor h = x.exp();
        Tensor y = h.mul(h).sum();
        h.add_(1.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        // PyTorch names the tensor's current grad_fn (the in-place op's node)
        assertTrue(e.getMessage().startsWith("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [torch.DoubleTensor [2]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead. "
                + "Hint: enable anomaly detection"), e.getMessage());
        // a saved output names its own node
        Tensor h1 = x.mul(1.0).exp();
        Tensor y1 = h1.sum().mul(h1.sum());
        Tensor y1b = h1.exp().sum();
        h1.mul_(2.0);
        e = assertThrows(IllegalStateException.class, y1b::backward);
        assertTrue(e.getMessage().contains("[torch.DoubleTensor [2]], which is output 0 of ExpBackward0, is at version 1"), e.getMessage());
        // a saved constant that does not require grad
        Tensor c = d(1, 1);
        Tensor y2 = x.mul(c).sum();
        c.add_(1.0);
        e = assertThrows(IllegalStateException.class, y2::backward);
        assertTrue(e.getMessage().contains("[torch.DoubleTensor [2]] is at version 1; expected version 0 instead"), e.getMessage());
        // exp saves its result, not its input: changing the input (or a view of it) afterwards is fine
        Tensor h3 = x.mul(1.0);
        Tensor y3 = h3.exp().sum();
        h3.mul_(2.0);
        h3.select(0, 0).mul_(2.0);
        y3.backward();
        assertArrayEquals(new double[]{Math.exp(1), Math.exp(2)}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void inPlaceOnLeafIsRefused() {
        Tensor x = leaf(1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.add_(1.0));
        assertEquals("a leaf Variable that requires grad is being used in an in-place operation.", e.getMessage());
        assertThrows(IllegalStateException.class, () -> x.mul_(d(2, 2)));
        assertThrows(IllegalStateException.class, () -> x.relu_());
        assertThrows(IllegalStateException.class, () -> x.zero_());
        assertThrows(IllegalStateException.class, () -> x.copy_(d(3, 4)));
        assertThrows(IllegalStateException.class, () -> x.select(0, 0).fill_(2.0));
        assertArrayEquals(new double[]{1, 2}, x.detach().toDoubleArray(), "refused ops leave data untouched");
    }

    @Test
    void inPlaceOnNonLeafViewsRewritesHistory() {
        Tensor x = leaf(1, 2, 3, 4);
        Tensor h = x.mul(2.0);
        Tensor v = h.index(Index.slice(1, 3));
        v.mul_(d(10, 100));
        assertEquals("CopySlices", AutogradGoldenTest.structure(h.gradFn()).replaceAll("\\(.*", ""));
        assertFalse(v.isLeaf());
        h.sum().backward();
        assertArrayEquals(new double[]{2, 20, 200, 2}, x.grad().toDoubleArray());
        assertArrayEquals(new double[]{2, 40, 600, 8}, h.detach().toDoubleArray());
    }

    @Test
    void chainOf100kOpsBackpropagatesWithoutRecursion() {
        Tensor x = leaf(1.5);
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) y = y.mul(1.0);
        y.sum().backward();
        assertArrayEquals(new double[]{1.0}, x.grad().toDoubleArray());
    }

    @Test
    void trainingLoopMemoryStaysBounded() {
        Tensor w = Torch.tensor(new double[]{0.5, -0.25, 0.1, 0.3}, DType.FLOAT64).reshape(2, 2).requiresGrad_();
        Tensor input = Torch.tensor(new double[]{1, 2, 3, 4, 5, 6}, DType.FLOAT64).reshape(3, 2);
        Tensor target = Torch.tensor(new double[]{1, 0, 0, 1, 1, 1}, DType.FLOAT64).reshape(3, 2);
        long[] at1000 = null;
        double firstLoss = 0, lastLoss = 0;
        for (int step = 1; step <= 10_000; step++) {
            Tensor loss = input.matmul(w).tanh().sub(target).pow(2).mean();
            loss.backward();
            try (NoGrad g = Torch.noGrad()) {
                w.sub_(w.grad().mul(0.01));
                w.grad().zero_();
            }
            if (step == 1) firstLoss = loss.item().doubleValue();
            if (step == 10_000) lastLoss = loss.item().doubleValue();
            if (step == 1000) at1000 = usedMemory();
        }
        long[] at10000 = usedMemory();
        assertTrue(lastLoss < firstLoss, "training reduces the loss");
        assertTrue(at10000[0] < at1000[0] + (32L << 20), "heap grew: " + at1000[0] + " -> " + at10000[0]);
        assertTrue(at10000[1] < at1000[1] + (8L << 20), "native memory grew: " + at1000[1] + " -> " + at10000[1]);
    }

    /** {heap bytes used, direct/native bytes used} after a collection. */
    private static long[] usedMemory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime rt = Runtime.getRuntime();
        long direct = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) direct = b.getMemoryUsed();
        }
        return new long[]{rt.totalMemory() - rt.freeMemory(), direct};
    }

    @Test
    void multiOutputNodesRouteGradients() {
        Tensor x = leaf(1, 2, 3, 4, 5);
        List<Tensor> parts = x.split(2);
        assertSame(parts.get(0).gradFn(), parts.get(2).gradFn());
        assertEquals(2, parts.get(2).outputNr());
        parts.get(2).mul(7.0).sum().add(parts.get(0).sum()).backward();
        assertArrayEquals(new double[]{1, 1, 0, 0, 7}, x.grad().toDoubleArray());
    }
}
