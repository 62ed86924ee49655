package dev.tessera.autograd.functions;

import dev.tessera.Tensor;
import dev.tessera.autograd.Autograd;
import dev.tessera.autograd.FunctionNode;
import dev.tessera.autograd.SavedTensor;
import dev.tessera.ops.Dispatcher;
import dev.tessera.tensor.Shapes;
import java.util.Arrays;

/** mm, bmm, mv, dot and torch.matmul's broadcasting rules. */
public final class LinearAlgebra {
    private LinearAlgebra() {}

    /** Raw (no autograd) batched product of 3-D operands. */
    private static Tensor rawBmm(Tensor a, Tensor b) {
        long[] shape = {a.size(0), a.size(1), b.size(2)};
        return Dispatcher.bmm(a, b, shape);
    }

    private static Tensor as3d(Tensor t) {
        long[] shape = {1, t.size(0), t.size(1)};
        long[] strides = {0, t.stride(0), t.stride(1)};
        return Tensor.fromStorage(t.storage(), t.dtype(), shape, strides, t.storageOffset());
    }

    public static Tensor mm(Tensor a, Tensor b) {
        if (a.dim() != 2) throw new IllegalArgumentException("self must be a matrix");
        if (b.dim() != 2) throw new IllegalArgumentException("mat2 must be a matrix");
        if (a.size(1) != b.size(0)) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + a.size(0) + "x" + a.size(1) + " and "
                    + b.size(0) + "x" + b.size(1) + ")");
        }
        Tensor raw = rawBmm(as3d(a), as3d(b));
        Tensor out = Tensor.fromStorage(raw.storage(), raw.dtype(), new long[]{a.size(0), b.size(1)},
                new long[]{b.size(1), 1}, 0);
        if (!Autograd.needsGrad(a, b)) return out;
        FunctionNode n = new FunctionNode("MmBackward0", a, b);
        SavedTensor sa = b.requiresGrad() ? n.save(a) : null, sb = a.requiresGrad() ? n.save(b) : null;
        n.backward1(g -> new Tensor[]{
                n.needsInputGrad(0) ? g.mm(sb.get().t()) : null,
                n.needsInputGrad(1) ? sa.get().t().mm(g) : null});
        return Autograd.record(n, out);
    }

    public static Tensor bmm(Tensor a, Tensor b) {
        if (a.dim() != 3 || b.dim() != 3) throw new IllegalArgumentException("batch1 and batch2 must be 3D tensors");
        if (a.size(0) != b.size(0) || a.size(2) != b.size(1)) {
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + a.size(0) + ", "
                    + a.size(2) + "] but got: [" + b.size(0) + ", " + b.size(1) + "].");
        }
        Tensor out = rawBmm(a, b);
        if (!Autograd.needsGrad(a, b)) return out;
        FunctionNode n = new FunctionNode("BmmBackward0", a, b);
        SavedTensor sa = n.save(a), sb = n.save(b);
        n.backward1(g -> new Tensor[]{
                n.needsInputGrad(0) ? g.bmm(sb.get().transpose(1, 2)) : null,
                n.needsInputGrad(1) ? sa.get().transpose(1, 2).bmm(g) : null});
        return Autograd.record(n, out);
    }

    public static Tensor mv(Tensor m, Tensor v) {
        if (m.dim() != 2 || v.dim() != 1) throw new IllegalArgumentException("vector + matrix @ vector expected, got " + m.dim() + ", " + v.dim());
        if (m.size(1) != v.size(0)) {
            throw new IllegalArgumentException("size mismatch, got input (" + m.size(0) + "), mat (" + m.size(0) + "x" + m.size(1)
                    + "), vec (" + v.size(0) + ")");
        }
        Tensor col = Tensor.fromStorage(v.storage(), v.dtype(), new long[]{1, v.size(0), 1}, new long[]{0, v.stride(0), 1}, v.storageOffset());
        Tensor raw = rawBmm(as3d(m), col);
        Tensor out = Tensor.fromStorage(raw.storage(), raw.dtype(), new long[]{m.size(0)}, new long[]{1}, 0);
        if (!Autograd.needsGrad(m, v)) return out;
        FunctionNode n = new FunctionNode("MvBackward0", m, v);
        SavedTensor sm = n.save(m), sv = n.save(v);
        n.backward1(g -> new Tensor[]{
                n.needsInputGrad(0) ? g.unsqueeze(1).mm(sv.get().unsqueeze(0)) : null,
                n.needsInputGrad(1) ? sm.get().t().mv(g) : null});
        return Autograd.record(n, out);
    }

    public static Tensor dot(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("1D tensors expected, but got " + a.dim() + "D and " + b.dim() + "D tensors");
        }
        if (a.size(0) != b.size(0)) {
            throw new IllegalArgumentException("inconsistent tensor size, expected tensor [" + a.size(0)
                    + "] and src [" + b.size(0) + "] to have the same number of elements, but got " + a.size(0) + " and " + b.size(0) + " elements respectively");
        }
        Tensor row = Tensor.fromStorage(a.storage(), a.dtype(), new long[]{1, 1, a.size(0)}, new long[]{0, 0, a.stride(0)}, a.storageOffset());
        Tensor col = Tensor.fromStorage(b.storage(), b.dtype(), new long[]{1, b.size(0), 1}, new long[]{0, b.stride(0), 0}, b.storageOffset());
        Tensor raw = rawBmm(row, col);
        Tensor out = Tensor.fromStorage(raw.storage(), raw.dtype(), new long[0], new long[0], 0);
        if (!Autograd.needsGrad(a, b)) return out;
        FunctionNode n = new FunctionNode("DotBackward0", a, b);
        SavedTensor sa = n.save(a), sb = n.save(b);
        n.backward1(g -> new Tensor[]{
                n.needsInputGrad(0) ? sb.get().mul(g) : null,
                n.needsInputGrad(1) ? sa.get().mul(g) : null});
        return Autograd.record(n, out);
    }

    /** torch.matmul: dot, mv, mm, or a broadcast batched product, by the operands' ranks. */
    public static Tensor matmul(Tensor a, Tensor b) {
        int da = a.dim(), db = b.dim();
        if (da == 0 || db == 0) {
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are " + da + "D and " + db + "D");
        }
        if (da == 1 && db == 1) return dot(a, b);
        if (da == 2 && db == 1) return mv(a, b);
        if (da == 1 && db == 2) return mm(a.unsqueeze(0), b).squeeze(0);
        if (da == 2 && db == 2) return mm(a, b);
        // batched: broadcast the leading dims, fold them into one batch dim, bmm, unfold
        Tensor x = da == 1 ? a.unsqueeze(0) : a;
        Tensor y = db == 1 ? b.unsqueeze(-1) : b;
        long n = x.size(-2), k = x.size(-1), k2 = y.size(-2), p = y.size(-1);
        if (k != k2) {
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + k + "] but got: ["
                    + k2 + "] (matmul shapes " + Arrays.toString(a.shapeArray()) + " and " + Arrays.toString(b.shapeArray()) + ")");
        }
        long[] batchA = Arrays.copyOf(x.shapeArray(), x.dim() - 2), batchB = Arrays.copyOf(y.shapeArray(), y.dim() - 2);
        long[] batch = Shapes.broadcast(batchA, batchB);
        long total = Shapes.numel(batch);
        Tensor xe = x.expand(concat(batch, n, k)).reshape(total, n, k);
        Tensor ye = y.expand(concat(batch, k, p)).reshape(total, k, p);
        Tensor out = Views.unsafeView(bmm(xe, ye), concat(batch, n, p));
        if (da == 1) out = out.squeeze(-2);
        if (db == 1) out = out.squeeze(-1);
        return out;
    }

    private static long[] concat(long[] batch, long r, long c) {
        long[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }
}
