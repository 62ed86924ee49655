package dev.tessera.ops.cuda;

import static dev.tessera.ops.cuda.CudaKernelsOnHostTest.assertClose;
import static dev.tessera.ops.cuda.CudaKernelsOnHostTest.ints;
import static dev.tessera.ops.cuda.HostKernels.ptr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.functions.Pooling;
import dev.tessera.nn.Functional;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The indexing, convolution-column, pooling, softmax and batch-norm kernels compiled for the host
 * ({@link HostKernels}), against the CPU implementation or, for the backward kernels, against the
 * adjoint identity / PyTorch's formula evaluated in double.
 */
class CudaNnKernelsOnHostTest {
    static HostKernels k;
    static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

    @BeforeAll
    static void compile() {
        k = HostKernels.get();
        if (k == null) System.out.println("CudaNnKernelsOnHostTest: skipped: " + HostKernels.unavailableReason());
        org.junit.jupiter.api.Assumptions.assumeTrue(k != null, HostKernels.unavailableReason());
    }

    static double tol(DType t) { return t == DType.FLOAT32 ? 2e-5 : 1e-11; }

    static double dot(Tensor a, Tensor b) {
        double[] x = a.to(DType.FLOAT64).contiguous().toDoubleArray(), y = b.to(DType.FLOAT64).contiguous().toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }

    @Test
    void gatherIndexSelectAndScatterAddMatchTheCpu() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL}) {
            Tensor src = ints(21, -5, 5, 4, 5).to(dt);
            // index_select along dim 0: idx [3] read through a desc with strides 0 except on dim 0
            Tensor idx = Torch.tensor(new long[]{3, 0, 3});
            Tensor got = Torch.empty(new long[]{3, 5}, dt);
            k.grid(KernelAbi.of("gather", dt), ptr(got), k.desc(got), ptr(src), k.desc(new long[]{3, 5}, new long[]{0, src.strideArray()[1]}, 0),
                    ptr(idx), k.desc(new long[]{3, 5}, new long[]{1, 0}, 0), 4L, src.strideArray()[0], 15L, 0L);
            assertClose(src.indexSelect(0, idx), got, 0, "index_select " + dt);
            // gather along dim 1 of a transposed view
            Tensor view = src.t(); // [5, 4]
            Tensor gi = ints(22, 0, 3, 5, 2);
            Tensor g2 = Torch.empty(new long[]{5, 2}, dt);
            k.grid(KernelAbi.of("gather", dt), ptr(g2), k.desc(g2), ptr(view), k.desc(new long[]{5, 2}, new long[]{view.strideArray()[0], 0}, 0),
                    ptr(gi), k.desc(gi), 4L, view.strideArray()[1], 10L, 0L);
            assertClose(view.gather(1, gi), g2, 0, "gather " + dt);
            if (dt == DType.BOOL) continue;
            // scatter_add (gather's backward): duplicates in a row accumulate
            Tensor dst = Torch.zeros(new long[]{5, 4}, dt), vals = ints(23, 1, 9, 5, 2).to(dt);
            Tensor di = Torch.tensor(new long[][]{{1, 1}, {0, 3}, {2, 2}, {3, 3}, {0, 1}});
            k.grid(KernelAbi.of("scatter", dt), ptr(dst), k.desc(new long[]{5, 2}, new long[]{4, 0}, 0), ptr(vals), k.desc(vals),
                    ptr(di), k.desc(di), 4L, 1L, 10L, 1, 0L);
            double[] want = new double[20];
            double[] v = vals.to(DType.FLOAT64).toDoubleArray();
            long[] d = di.toLongArray();
            for (int r = 0; r < 5; r++) for (int c = 0; c < 2; c++) want[r * 4 + (int) d[r * 2 + c]] += v[r * 2 + c];
            assertClose(Torch.tensor(want), dst, 0, "scatter_add " + dt);
        }
    }

    @Test
    void advancedIndexingThroughOffsetsTakesAndPuts() {
        // x[:, i0, i1] with i0 [2, 1] and i1 [3] broadcast to [2, 3]: result [4, 2, 3]; -1 wraps
        Tensor x = Torch.randn(new long[]{4, 5, 6}, DType.FLOAT64);
        Tensor i0 = Torch.tensor(new long[][]{{-1}, {2}}), i1 = Torch.tensor(new long[]{1, 1, 4});
        long n = 24;
        Tensor offsets = Torch.empty(new long[]{n}, DType.INT64);
        MemorySegment spec = k.arena.allocate(KernelAbi.INDEX_SPEC);
        spec.setAtIndex(ValueLayout.JAVA_LONG, 0, 5);
        spec.setAtIndex(ValueLayout.JAVA_LONG, 1, 6);
        spec.setAtIndex(ValueLayout.JAVA_LONG, 4, 6);
        spec.setAtIndex(ValueLayout.JAVA_LONG, 5, 1);
        spec.set(ValueLayout.JAVA_INT, 64, 2);
        long[] rs = {4, 2, 3};
        MemorySegment err = k.errWord();
        MemorySegment none = k.desc(new long[0], new long[0], 0);
        k.grid("tessera_index_offsets", ptr(offsets), k.desc(rs, new long[]{30, 0, 0}, 0), ptr(i0), k.desc(rs, new long[]{0, 1, 0}, 0),
                ptr(i1), k.desc(rs, new long[]{0, 0, 1}, 0), 0L, none, 0L, none, spec, n, err.address());
        assertEquals(0, err.get(ValueLayout.JAVA_INT, 0));
        Tensor got = Torch.empty(rs, DType.FLOAT64);
        k.grid(KernelAbi.of("take", DType.FLOAT64), ptr(got), k.desc(got), ptr(x), ptr(offsets), n);
        double[] xv = x.toDoubleArray(), want = new double[24], acc = new double[120];
        long[] a0 = {4, 2}, a1 = {1, 1, 4};
        double[] vals = Torch.randn(new long[]{24}, DType.FLOAT64).toDoubleArray();
        for (int a = 0; a < 4; a++) for (int b = 0; b < 2; b++) for (int c = 0; c < 3; c++) {
            int at = a * 30 + (int) a0[b] * 6 + (int) a1[c], o = (a * 2 + b) * 3 + c;
            want[o] = xv[at];
            acc[at] += vals[o];
        }
        assertClose(Torch.tensor(want).reshape(rs), got, 0, "take");
        // x[:, i0, i1] += v with duplicate positions (i1 repeats 1): accumulate sums them
        Tensor dst = Torch.zeros(new long[]{4, 5, 6}, DType.FLOAT64), v = Torch.tensor(vals);
        k.grid(KernelAbi.of("put", DType.FLOAT64), ptr(dst), ptr(offsets), ptr(v), k.desc(v), n, 1);
        assertClose(Torch.tensor(acc).reshape(4, 5, 6), dst, 1e-15, "put accumulate");
        // an index past the end is reported, and its offset marked so take/put skip it
        Tensor bad = Torch.tensor(new long[]{6});
        MemorySegment err2 = k.errWord();
        k.grid("tessera_index_offsets", ptr(offsets), k.desc(new long[]{1}, new long[]{0}, 0), ptr(bad), k.desc(bad),
                0L, none, 0L, none, 0L, none, spec, 1L, err2.address());
        assertEquals(KernelAbi.ERR_INDEX, err2.get(ValueLayout.JAVA_INT, 0));
        assertEquals(-1L, offsets.toLongArray()[0]);
    }

    @Test
    void im2colTimesWeightsIsConv2dAndCol2imIsItsAdjoint() {
        for (DType dt : FLOATS) {
            long n = 3, c = 4, h = 7, w = 6, o = 6, groups = 2, kh = 3, kw = 2, sh = 2, sw = 1, ph = 1, pw = 1, dh = 1, dw = 2;
            long oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1, l = oh * ow;
            Tensor x = Torch.randn(new long[]{n, c, h, w}, dt), wt = Torch.randn(new long[]{o, c / groups, kh, kw}, dt);
            Tensor conv = Functional.conv2d(x, wt, null, new int[]{(int) sh, (int) sw}, new int[]{(int) ph, (int) pw}, new int[]{(int) dh, (int) dw}, (int) groups);
            MemorySegment geom = KernelArgs.longs(k.arena, KernelAbi.CONV2D_GEOM, n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, groups);
            long n0 = 1, nb = 2; // a chunk of images, as Convolution processes them
            long rows = c * kh * kw, cols = nb * l, kg = rows / groups, og = o / groups;
            Tensor colT = Torch.empty(new long[]{rows, cols}, dt);
            k.grid(KernelAbi.of("im2col", dt), ptr(colT), ptr(x), geom, n0, nb);
            double[] cv = colT.to(DType.FLOAT64).toDoubleArray(), wv = wt.to(DType.FLOAT64).toDoubleArray();
            double[] out = new double[(int) (nb * o * l)];
            for (int g = 0; g < groups; g++) for (int oo = 0; oo < og; oo++) for (int col = 0; col < cols; col++) {
                double s = 0;
                for (int q = 0; q < kg; q++) s += wv[(int) ((g * og + oo) * kg + q)] * cv[(int) ((g * kg + q) * cols + col)];
                int b = (int) (col / l), p = (int) (col % l);
                out[(int) ((b * o + g * og + oo) * l + p)] = s;
            }
            Tensor want = Tensor.fromStorage(conv.contiguous().storage(), dt, new long[]{nb, o, oh, ow}, new long[]{o * l, l, ow, 1}, n0 * o * l);
            assertClose(want, Torch.tensor(out).reshape(nb, o, oh, ow), tol(dt) * 10, "im2col conv " + dt);
            // <im2col(x), C> == <x, col2im(C)> on the chunk's images
            Tensor cRand = Torch.randn(new long[]{rows, cols}, dt), gx = Torch.zeros(new long[]{n, c, h, w}, dt);
            k.grid(KernelAbi.of("col2im", dt), ptr(gx), ptr(cRand), geom, n0, nb);
            Tensor xChunk = Tensor.fromStorage(x.storage(), dt, new long[]{nb, c, h, w}, new long[]{c * h * w, h * w, w, 1}, n0 * c * h * w);
            Tensor gChunk = Tensor.fromStorage(gx.storage(), dt, new long[]{nb, c, h, w}, new long[]{c * h * w, h * w, w, 1}, n0 * c * h * w);
            assertEquals(dot(colT, cRand), dot(xChunk, gChunk), tol(dt) * 100, "col2im adjoint " + dt);
            assertEquals(0.0, dot(Tensor.fromStorage(gx.storage(), dt, new long[]{c * h * w}, new long[]{1}, 0), Torch.ones(c * h * w).to(dt)),
                    0.0, "col2im leaves images outside the chunk alone");
        }
    }

    @Test
    void maxPoolMatchesTheCpuWithIndicesAndItsBackwardRoutesGradients() {
        for (DType dt : FLOATS) {
            double[] v = Torch.randn(new long[]{2 * 3 * 7 * 8}, DType.FLOAT64).toDoubleArray();
            v[40] = Double.NaN;
            v[41] = Double.NaN;
            Tensor x = Torch.tensor(v).reshape(2, 3, 7, 8).to(dt);
            int[] kern = {3, 2}, stride = {2, 2}, pad = {1, 0}, dil = {1, 2};
            Pooling.Pooled ref = Pooling.maxPool2d(x, kern, stride, pad, dil, false);
            long oh = ref.values().shapeArray()[2], ow = ref.values().shapeArray()[3];
            Tensor out = Torch.empty(ref.values().shapeArray(), dt), idx = Torch.empty(ref.values().shapeArray(), DType.INT64);
            MemorySegment geom = KernelArgs.longs(k.arena, KernelAbi.POOL2D_GEOM, 6, 7, 8, oh, ow, 3, 2, 2, 2, 1, 0, 1, 2);
            k.grid(KernelAbi.of("max_pool2d", dt), ptr(out), ptr(idx), ptr(x), geom);
            assertClose(ref.values(), out, 0, "max_pool2d values " + dt);
            assertClose(ref.indices(), idx, 0, "max_pool2d indices " + dt);
            Tensor g = Torch.randn(ref.values().shapeArray(), dt), gx = Torch.zeros(x.shapeArray(), dt);
            k.grid(KernelAbi.of("max_pool2d_backward", dt), ptr(gx), ptr(g), ptr(idx), 6L, 56L, oh * ow);
            double[] want = new double[6 * 56], gv = g.to(DType.FLOAT64).toDoubleArray();
            long[] iv = idx.toLongArray();
            for (int q = 0; q < iv.length; q++) want[(int) (q / (oh * ow) * 56 + iv[q])] += gv[q];
            assertClose(Torch.tensor(want).reshape(x.shapeArray()), gx, tol(dt), "max_pool2d backward " + dt);
        }
    }

    @Test
    void adaptiveAvgPoolMatchesTheCpuAndItsBackwardIsTheAdjoint() {
        for (DType dt : FLOATS) {
            Tensor x = Torch.randn(new long[]{2, 3, 7, 5}, dt);
            Tensor ref = Functional.adaptiveAvgPool2d(x, 3, 4);
            Tensor out = Torch.empty(new long[]{2, 3, 3, 4}, dt);
            k.grid(KernelAbi.of("adaptive_avg_pool2d", dt), ptr(out), ptr(x), 6L, 7L, 5L, 3L, 4L);
            assertClose(ref, out, tol(dt), "adaptive_avg_pool2d " + dt);
            Tensor g = Torch.randn(new long[]{2, 3, 3, 4}, dt), gx = Torch.ones(x.shapeArray()).to(dt); // overwritten
            k.grid(KernelAbi.of("adaptive_avg_pool2d_backward", dt), ptr(gx), ptr(g), 6L, 7L, 5L, 3L, 4L);
            assertEquals(dot(out, g), dot(x, gx), tol(dt) * 10, "adaptive backward adjoint " + dt);
        }
    }

    @Test
    void softmaxAndLogSoftmaxForwardAndBackward() {
        for (DType dt : FLOATS) {
            Tensor x = Torch.randn(new long[]{5, 7}, dt).mul(4);
            for (boolean log : new boolean[]{false, true}) {
                String f = log ? "log_softmax" : "softmax";
                Tensor y = Torch.empty(new long[]{5, 7}, dt);
                k.rows(KernelAbi.of(f, dt), ptr(y), ptr(x), 5L, 7L);
                assertClose(log ? x.logSoftmax(-1) : x.softmax(-1), y, tol(dt), f + " " + dt);
                Tensor g = Torch.randn(new long[]{5, 7}, dt), gx = Torch.empty(new long[]{5, 7}, dt);
                k.rows(KernelAbi.of(f + "_backward", dt), ptr(gx), ptr(g), ptr(y), 5L, 7L);
                double[] yv = y.to(DType.FLOAT64).toDoubleArray(), gv = g.to(DType.FLOAT64).toDoubleArray(), want = new double[35];
                for (int r = 0; r < 5; r++) {
                    double s = 0;
                    for (int c = 0; c < 7; c++) s += log ? gv[r * 7 + c] : gv[r * 7 + c] * yv[r * 7 + c];
                    for (int c = 0; c < 7; c++) {
                        int i = r * 7 + c;
                        want[i] = log ? gv[i] - Math.exp(yv[i]) * s : yv[i] * (gv[i] - s);
                    }
                }
                assertClose(Torch.tensor(want).reshape(5, 7), gx, tol(dt), f + " backward " + dt);
            }
        }
    }

    @Test
    void batchNormStatisticsTransformAndBackward() {
        for (DType dt : FLOATS) {
            long n = 3, c = 4, inner = 5, count = n * inner;
            Tensor x = Torch.randn(new long[]{n, c, inner}, dt).mul(2).add(1), w = Torch.randn(new long[]{c}, dt), b = Torch.randn(new long[]{c}, dt);
            Tensor mean = Torch.empty(new long[]{c}, dt), invstd = Torch.empty(new long[]{c}, dt);
            Tensor rm = Torch.zeros(new long[]{c}, dt), rv = Torch.ones(c).to(dt);
            k.rows(KernelAbi.of("batch_norm_stats", dt), ptr(mean), ptr(invstd), ptr(rm), ptr(rv), ptr(x), n, c, inner, 1e-5, 0.1);
            double[] xv = x.to(DType.FLOAT64).toDoubleArray(), m = new double[(int) c], var = new double[(int) c];
            for (int ch = 0; ch < c; ch++) {
                for (int bb = 0; bb < n; bb++) for (int q = 0; q < inner; q++) m[ch] += xv[(int) ((bb * c + ch) * inner + q)] / count;
                for (int bb = 0; bb < n; bb++) for (int q = 0; q < inner; q++) { double d = xv[(int) ((bb * c + ch) * inner + q)] - m[ch]; var[ch] += d * d; }
            }
            double[] inv = new double[(int) c], rmWant = new double[(int) c], rvWant = new double[(int) c];
            for (int ch = 0; ch < c; ch++) {
                inv[ch] = 1 / Math.sqrt(var[ch] / count + 1e-5);
                rmWant[ch] = 0.1 * m[ch];
                rvWant[ch] = 0.1 * var[ch] / (count - 1) + 0.9;
            }
            assertClose(Torch.tensor(m), mean, tol(dt), "mean " + dt);
            assertClose(Torch.tensor(inv), invstd, tol(dt), "invstd " + dt);
            assertClose(Torch.tensor(rmWant), rm, tol(dt), "running mean " + dt);
            assertClose(Torch.tensor(rvWant), rv, tol(dt), "running var " + dt);
            Tensor out = Torch.empty(x.shapeArray(), dt);
            k.grid(KernelAbi.of("batch_norm_transform", dt), ptr(out), ptr(x), ptr(mean), ptr(invstd), ptr(w), ptr(b), n, c, inner);
            assertClose(Functional.batchNorm(x, null, null, w, b, true, 0.1, 1e-5), out, tol(dt) * 5, "batch norm forward " + dt);
            // backward: sums per channel, then the input gradient (training and eval)
            Tensor g = Torch.randn(x.shapeArray(), dt), sumG = Torch.empty(new long[]{c}, dt), sumGX = Torch.empty(new long[]{c}, dt);
            k.rows(KernelAbi.of("batch_norm_backward_reduce", dt), ptr(sumG), ptr(sumGX), ptr(g), ptr(x), ptr(mean), ptr(invstd), n, c, inner);
            double[] gv = g.to(DType.FLOAT64).toDoubleArray(), wv = w.to(DType.FLOAT64).toDoubleArray();
            double[] sg = new double[(int) c], sgx = new double[(int) c];
            for (int i = 0; i < xv.length; i++) {
                int ch = (int) ((i / inner) % c);
                sg[ch] += gv[i];
                sgx[ch] += gv[i] * (xv[i] - m[ch]) * inv[ch];
            }
            assertClose(Torch.tensor(sg), sumG, tol(dt) * 5, "grad bias " + dt);
            assertClose(Torch.tensor(sgx), sumGX, tol(dt) * 5, "grad weight " + dt);
            for (int training = 0; training < 2; training++) {
                Tensor gx = Torch.empty(x.shapeArray(), dt);
                k.grid(KernelAbi.of("batch_norm_backward_input", dt), ptr(gx), ptr(g), ptr(x), ptr(mean), ptr(invstd), ptr(w),
                        ptr(sumG), ptr(sumGX), n, c, inner, training);
                double[] want = new double[xv.length];
                for (int i = 0; i < xv.length; i++) {
                    int ch = (int) ((i / inner) % c);
                    double xhat = (xv[i] - m[ch]) * inv[ch], scale = inv[ch] * wv[ch];
                    want[i] = training == 1 ? (gv[i] - sg[ch] / count - xhat * sgx[ch] / count) * scale : gv[i] * scale;
                }
                assertClose(Torch.tensor(want).reshape(x.shapeArray()), gx, tol(dt) * 10, "batch norm backward input " + dt + " training=" + training);
            }
        }
    }
}
