package dev.tessera.ops.cpu;

/**
 * Shape of one 2-D convolution as {@link DirectConv} sees it: input [n, c, h, w], weight
 * [o, c / groups, kh, kw], stride, padding and dilation per axis, in ints (its blocked buffers are
 * Java arrays). The constructor rejects geometries that have no output, naming the offending
 * value, so a kernel never sees one. {@link #ofSizes} converts the backend's long-sized geometry.
 */
public record DirectConvShape(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw,
                           int dh, int dw, int groups) {
    public DirectConvShape {
        if (n < 0 || c <= 0 || h <= 0 || w <= 0 || o <= 0 || kh <= 0 || kw <= 0) {
            throw new IllegalArgumentException("conv geometry needs positive sizes, got input [" + n + ", " + c + ", "
                    + h + ", " + w + "] and weight [" + o + ", ?, " + kh + ", " + kw + "]");
        }
        if (sh <= 0 || sw <= 0 || dh <= 0 || dw <= 0 || ph < 0 || pw < 0) {
            throw new IllegalArgumentException("conv geometry needs positive stride and dilation and non-negative padding, got stride ("
                    + sh + ", " + sw + "), padding (" + ph + ", " + pw + "), dilation (" + dh + ", " + dw + ")");
        }
        if (groups <= 0 || c % groups != 0 || o % groups != 0) {
            throw new IllegalArgumentException("groups=" + groups + " must divide both " + c + " input and " + o
                    + " output channels");
        }
        if (h + 2L * ph < dh * (kh - 1L) + 1 || w + 2L * pw < dw * (kw - 1L) + 1) {
            throw new IllegalArgumentException("padded input " + (h + 2L * ph) + " x " + (w + 2L * pw)
                    + " is smaller than the dilated kernel " + (dh * (kh - 1L) + 1) + " x " + (dw * (kw - 1L) + 1));
        }
    }

    /** PyTorch's argument order: input sizes, output channels, kernel, stride, padding, dilation, groups. */
    public static DirectConvShape of(int n, int c, int h, int w, int o, int k, int stride, int pad, int dilation,
            int groups) {
        return new DirectConvShape(n, c, h, w, o, k, k, stride, stride, pad, pad, dilation, dilation, groups);
    }

    /**
     * The backend geometry's sizes ({@code dev.tessera.ops.ConvGeometry} has them as longs), or
     * null when one does not fit an int, which the direct path then does not take.
     */
    public static DirectConvShape ofSizes(long n, long c, long h, long w, long o, long kh, long kw, int sh, int sw,
            int ph, int pw, int dh, int dw, int groups) {
        long max = Math.max(Math.max(Math.max(n, c), Math.max(h, w)), Math.max(o, Math.max(kh, kw)));
        if (max > Integer.MAX_VALUE / 16) return null;
        return new DirectConvShape((int) n, (int) c, (int) h, (int) w, (int) o, (int) kh, (int) kw, sh, sw, ph, pw,
                dh, dw, groups);
    }

    public int oh() { return (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1; }
    public int ow() { return (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1; }
    public int cg() { return c / groups; }
    public int og() { return o / groups; }

    /** Multiply-adds of the forward pass, times two: each backward pass does the same. */
    public double flops() { return 2.0 * n * o * (double) oh() * ow() * cg() * kh * kw; }

    long inputElements() { return (long) n * c * h * w; }
    long outputElements() { return (long) n * o * oh() * ow(); }
    long weightElements() { return (long) o * cg() * kh * kw; }
}
