package dev.tessera;

import java.util.Arrays;

/** An immutable shape, printed as PyTorch prints {@code torch.Size}: {@code torch.Size([3, 4])}. */
public final class Size {
    private final long[] dims;

    public Size(long... dims) {
        this.dims = dims.clone();
    }

    public int dim() { return dims.length; }

    /** Size of dimension {@code i}; negative {@code i} counts from the end as in Python. */
    public long get(int i) {
        int d = i < 0 ? i + dims.length : i;
        if (d < 0 || d >= dims.length) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of ["
                    + (-dims.length) + ", " + (dims.length - 1) + "], but got " + i + ")");
        }
        return dims[d];
    }

    public long numel() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    public long[] toArray() { return dims.clone(); }

    @Override
    public boolean equals(Object o) { return o instanceof Size s && Arrays.equals(s.dims, dims); }

    @Override
    public int hashCode() { return Arrays.hashCode(dims); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("torch.Size([");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims[i]);
        }
        return sb.append("])").toString();
    }
}
