package dev.tessera.nn;

import dev.tessera.Tensor;

/** torch.nn.AdaptiveAvgPool2d: averages each input plane into outH x outW bins. */
public class AdaptiveAvgPool2d extends Module {
    private final long outH, outW;
    private final String repr;

    public AdaptiveAvgPool2d(long outputSize) {
        this.outH = outputSize;
        this.outW = outputSize;
        this.repr = "output_size=" + outputSize;
    }

    public AdaptiveAvgPool2d(long outH, long outW) {
        this.outH = outH;
        this.outW = outW;
        this.repr = "output_size=(" + outH + ", " + outW + ")";
    }

    @Override
    public Tensor forward(Tensor input) { return Functional.adaptiveAvgPool2d(input, outH, outW); }

    @Override
    protected String extraRepr() { return repr; }
}
