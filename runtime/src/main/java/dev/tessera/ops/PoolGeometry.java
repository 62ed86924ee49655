package dev.tessera.ops;

/**
 * Geometry of a 2-D max pooling over {@code planes} contiguous h x w planes (every leading dim
 * folded into planes) into oh x ow outputs; validated by the caller.
 */
public record PoolGeometry(long planes, long h, long w, long oh, long ow, int kh, int kw, int sh, int sw, int ph, int pw,
                           int dh, int dw) {}
