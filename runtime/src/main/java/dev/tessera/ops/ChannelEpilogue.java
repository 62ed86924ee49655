package dev.tessera.ops;

import java.util.Objects;

/**
 * What a convolution applies to its output as it writes it: per output channel c,
 * {@code fma(conv, alpha[c], beta[c])}, plus {@code residual} (same shape as the output) when not
 * null, then a ReLU when {@code relu}. That is batch norm in eval mode with its factors (see
 * {@link Backend#channelAffine}) and, in a ResNet block, the residual add and ReLU after it. The
 * roundings are those of channelAffine / channelAffineRelu, so a fused output equals the unfused
 * ops' bit for bit. alpha and beta are [C] of the output's dtype; residual is contiguous, of the
 * output's shape and dtype, and never the output itself.
 */
public record ChannelEpilogue(Strided alpha, Strided beta, Strided residual, boolean relu) {
    public ChannelEpilogue {
        Objects.requireNonNull(alpha, "alpha");
        Objects.requireNonNull(beta, "beta");
        if (residual != null && !relu) {
            throw new IllegalArgumentException("a convolution epilogue adds a residual only before a ReLU");
        }
    }
}
