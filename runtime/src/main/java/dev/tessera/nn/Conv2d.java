package dev.tessera.nn;

import dev.tessera.Tensor;
import dev.tessera.Torch;

/** torch.nn.Conv2d with zero padding; weight [out, in/groups, kh, kw], initialised as PyTorch (weight then bias). */
public class Conv2d extends Module {
    private final long inChannels, outChannels;
    private final int[] kernelSize, stride, padding, dilation;
    private final int groups;

    public Conv2d(long inChannels, long outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true);
    }

    public Conv2d(long inChannels, long outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true);
    }

    public Conv2d(long inChannels, long outChannels, int kernelSize, int stride, int padding, boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, bias);
    }

    public Conv2d(long inChannels, long outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias) {
        this(inChannels, outChannels, Functional.pair(kernelSize), Functional.pair(stride), Functional.pair(padding),
                Functional.pair(dilation), groups, bias);
    }

    public Conv2d(long inChannels, long outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias) {
        if (groups <= 0) throw new IllegalArgumentException("groups must be a positive integer");
        if (inChannels % groups != 0) throw new IllegalArgumentException("in_channels must be divisible by groups");
        if (outChannels % groups != 0) throw new IllegalArgumentException("out_channels must be divisible by groups");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        registerParameter("weight", Torch.empty(outChannels, inChannels / groups, kernelSize[0], kernelSize[1]));
        registerParameter("bias", bias ? Torch.empty(outChannels) : null);
        resetParameters();
    }

    public void resetParameters() {
        Init.kaimingUniform_(weight(), Math.sqrt(5));
        if (bias() != null) {
            long fanIn = Init.fans(weight())[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt((double) fanIn) : 0;
            Init.uniform_(bias(), -bound, bound);
        }
    }

    public Tensor weight() { return param("weight"); }

    public Tensor bias() { return param("bias"); }

    public int[] kernelSize() { return kernelSize.clone(); }

    public int[] stride() { return stride.clone(); }

    public int[] padding() { return padding.clone(); }

    public int[] dilation() { return dilation.clone(); }

    public int groups() { return groups; }

    @Override
    public Tensor forward(Tensor input) { return Functional.conv2d(input, weight(), bias(), stride, padding, dilation, groups); }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder();
        s.append(inChannels).append(", ").append(outChannels).append(", kernel_size=").append(tuple(kernelSize))
                .append(", stride=").append(tuple(stride));
        if (padding[0] != 0 || padding[1] != 0) s.append(", padding=").append(tuple(padding));
        if (dilation[0] != 1 || dilation[1] != 1) s.append(", dilation=").append(tuple(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias() == null) s.append(", bias=False");
        return s.toString();
    }

    static String tuple(int[] v) { return "(" + v[0] + ", " + v[1] + ")"; }
}
