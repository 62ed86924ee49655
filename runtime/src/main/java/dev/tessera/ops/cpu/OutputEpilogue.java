package dev.tessera.ops.cpu;

import dev.tessera.ops.ChannelEpilogue;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A float32 {@link ChannelEpilogue} for the CPU kernels: the per-channel factors on the heap and
 * the residual's segment. The direct convolution applies it in its output reorder
 * ({@link BlockedLayout#fromBlocked}), one channel's run of 16 pixels at a time, so batch norm
 * (with the residual add and ReLU of a ResNet block) costs no pass of its own; kernels that write
 * NCHW themselves run {@link #applySeparately} after. Same operations in the same order as
 * {@link ChannelKernels#affineF32} and {@link BatchNormReluKernels#forwardF32}: equal bit for bit.
 */
final class OutputEpilogue {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final VectorSpecies<Float> S = DirectConvKernels.S;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private final float[] alpha, beta;
    private final MemorySegment residual;
    private final long residualByte;
    private final boolean relu;

    private OutputEpilogue(float[] alpha, float[] beta, MemorySegment residual, long residualByte, boolean relu) {
        this.alpha = alpha;
        this.beta = beta;
        this.residual = residual;
        this.residualByte = residualByte;
        this.relu = relu;
    }

    /** The epilogue for an output of {@code channels} channels and {@code elements} elements (float32 operands). */
    static OutputEpilogue of(ChannelEpilogue e, int channels, long elements) {
        if (e.alpha().numel() != channels || e.beta().numel() != channels) {
            throw new IllegalArgumentException("epilogue factors hold " + e.alpha().numel() + " and " + e.beta().numel()
                    + " channels, the convolution writes " + channels);
        }
        float[] a = new float[channels], b = new float[channels];
        for (int i = 0; i < channels; i++) {
            a[i] = e.alpha().segment().get(F32, e.alpha().byteOffsetOf(i));
            b[i] = e.beta().segment().get(F32, e.beta().byteOffsetOf(i));
        }
        MemorySegment r = e.residual() == null ? null : e.residual().segment();
        long rByte = e.residual() == null ? 0 : e.residual().offset() * Float.BYTES;
        if (r != null && (e.residual().numel() != elements || !e.residual().isContiguous())) {
            throw new IllegalArgumentException("the epilogue's residual must be contiguous with the output's " + elements
                    + " elements, got " + e.residual().numel());
        }
        return new OutputEpilogue(a, b, r, rByte, e.relu());
    }

    /** 16 pixels of channel c whose first is {@code at} bytes into the output. */
    FloatVector apply(FloatVector v, int c, long at) {
        v = v.fma(FloatVector.broadcast(S, alpha[c]), FloatVector.broadcast(S, beta[c]));
        if (residual != null) v = v.add(FloatVector.fromMemorySegment(S, residual, residualByte + at, ORDER));
        return relu ? v.max(FloatVector.zero(S)) : v;
    }

    /** One element of channel c, {@code at} bytes into the output. */
    float apply(float v, int c, long at) {
        v = Math.fma(v, alpha[c], beta[c]);
        if (residual != null) v += residual.get(F32, residualByte + at);
        return relu ? Math.max(v, 0f) : v;
    }

    /**
     * In place over {@code planes} consecutive channel planes of {@code hw} elements, the first at
     * element {@code first} of the segment and of channel {@code c0}; {@code outOff} is the output's
     * first element.
     */
    void applyToPlanes(MemorySegment out, long first, int planes, int hw, int c0, long outOff) {
        for (int j = 0; j < planes; j++) {
            long start = first + (long) j * hw;
            int i = 0;
            for (int bound = S.loopBound(hw); i < bound; i += S.length()) {
                long at = (start + i) * Float.BYTES;
                apply(FloatVector.fromMemorySegment(S, out, at, ORDER), c0 + j, at - outOff * Float.BYTES).intoMemorySegment(out, at, ORDER);
            }
            for (; i < hw; i++) {
                long at = (start + i) * Float.BYTES;
                out.set(F32, at, apply(out.get(F32, at), c0 + j, at - outOff * Float.BYTES));
            }
        }
    }

    /** In place over an NCHW output of n images (element offset {@code off}), for kernels that wrote it themselves. */
    void applySeparately(MemorySegment out, long off, long n, long inner) {
        if (relu) {
            BatchNormReluKernels.forwardF32(out, off, residual, residualByte / Float.BYTES, out, off, n, alpha, beta, inner);
        } else {
            ChannelKernels.affineF32(out, off, out, off, n, alpha, beta, inner);
        }
    }
}
