package dev.tessera.ops;

/**
 * Geometry of one 2-D convolution over NCHW input and OIHW weights (validated by the caller):
 * batch n, channels c, input h x w, o output channels, kernel kh x kw, stride, padding, dilation,
 * groups, output oh x ow.
 */
public record ConvGeometry(long n, long c, long h, long w, long o, long kh, long kw, int sh, int sw, int ph, int pw,
                           int dh, int dw, int groups, long oh, long ow) {
    /** Input channels per group. */
    public long cg() { return c / groups; }

    /** Output channels per group. */
    public long og() { return o / groups; }

    /** Length of one column of the unfolded input: Cg * kh * kw. */
    public long k() { return cg() * kh * kw; }

    /** Output pixels per image. */
    public long l() { return oh * ow; }
}
