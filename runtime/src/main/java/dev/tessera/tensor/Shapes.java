package dev.tessera.tensor;

import java.util.Arrays;

/** Shape and stride arithmetic: broadcasting, contiguity, view strides. Pure functions. */
public final class Shapes {
    private Shapes() {}

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension " + d + " in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** PyTorch's is_contiguous: dimensions of size 1 may have any stride; empty tensors are contiguous. */
    public static boolean isContiguous(long[] shape, long[] strides) {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 0) return true;
            if (shape[i] != 1) {
                if (strides[i] != expected) return false;
                expected *= shape[i];
            }
        }
        return true;
    }

    /** Wraps a possibly negative dim into [0, rank); rank 0 accepts -1 and 0 as PyTorch does. */
    public static int normalizeDim(int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + (-r) + ", "
                    + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    /** torch.broadcast_shapes, with PyTorch's error text. */
    public static long[] broadcast(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            int ia = a.length - n + i, ib = b.length - n + i;
            long da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
            if (da == db || db == 1) out[i] = da;
            else if (da == 1) out[i] = db;
            else throw new IllegalArgumentException("The size of tensor a (" + da + ") must match the size of tensor b ("
                    + db + ") at non-singleton dimension " + i);
        }
        return out;
    }

    /** Strides that read a tensor of {@code shape}/{@code strides} as if expanded to {@code target} (0 on broadcast dims). */
    public static long[] expandStrides(long[] shape, long[] strides, long[] target) {
        if (target.length < shape.length) {
            throw new IllegalArgumentException("the number of sizes provided (" + target.length
                    + ") must be greater or equal to the number of dimensions in the tensor (" + shape.length + ")");
        }
        long[] out = new long[target.length];
        int lead = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            if (i < lead) {
                if (target[i] < 0) throw new IllegalArgumentException("The expanded size of the tensor (" + target[i]
                        + ") isn't allowed in a leading, non-existing dimension " + i);
                out[i] = 0;
                continue;
            }
            long d = shape[i - lead];
            if (target[i] == -1) target[i] = d;
            if (d == target[i]) out[i] = strides[i - lead];
            else if (d == 1) out[i] = 0;
            else throw new IllegalArgumentException("The expanded size of the tensor (" + target[i]
                    + ") must match the existing size (" + d + ") at non-singleton dimension " + i + ".  Target sizes: "
                    + Arrays.toString(target) + ".  Tensor sizes: " + Arrays.toString(shape));
        }
        return out;
    }

    /** Resolves a single -1 in a requested shape against numel, as view/reshape do. */
    public static long[] inferSize(long[] requested, long numel) {
        long[] shape = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one dimension can be inferred");
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + shape[i]);
            } else {
                known = Math.multiplyExact(known, shape[i]);
            }
        }
        if (infer >= 0) {
            if (known == 0 && numel == 0) {
                throw new IllegalArgumentException("cannot reshape tensor of 0 elements into shape " + Arrays.toString(requested)
                        + " because the unspecified dimension size -1 can be any value and is ambiguous");
            }
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException("shape '" + Arrays.toString(requested) + "' is invalid for input of size " + numel);
            }
            shape[infer] = numel / known;
        } else if (known != numel) {
            throw new IllegalArgumentException("shape '" + Arrays.toString(requested) + "' is invalid for input of size " + numel);
        }
        return shape;
    }

    /**
     * Strides for viewing (shape, strides) as newShape without copying, or null when impossible.
     * Port of PyTorch's at::detail::computeStride.
     */
    public static long[] viewStrides(long[] oldShape, long[] oldStrides, long[] newShape) {
        long[] newStrides = new long[newShape.length];
        if (oldShape.length == 0) {
            Arrays.fill(newStrides, 1);
            return newStrides;
        }
        long numel = numel(oldShape);
        if (numel == 0 && Arrays.equals(oldShape, newShape)) return oldStrides.clone();
        if (numel == 0) return contiguousStrides(newShape);
        int viewD = newShape.length - 1;
        long chunkBaseStride = oldStrides[oldStrides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
            tensorNumel *= oldShape[tensorD];
            if (tensorD == 0 || (oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBaseStride)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = viewNumel * chunkBaseStride;
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (tensorD > 0) {
                    chunkBaseStride = oldStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) return null;
        return newStrides;
    }
}
