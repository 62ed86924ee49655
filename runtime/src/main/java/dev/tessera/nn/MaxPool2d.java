package dev.tessera.nn;

import dev.tessera.Tensor;

/** torch.nn.MaxPool2d (stride defaults to the kernel size). */
public class MaxPool2d extends Module {
    private final int[] kernel, stride, padding, dilation;
    private final boolean ceilMode;
    private final String reprArgs;

    public MaxPool2d(int kernelSize) { this(kernelSize, kernelSize, 0); }

    public MaxPool2d(int kernelSize, int stride, int padding) { this(kernelSize, stride, padding, 1, false); }

    public MaxPool2d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        this(Functional.pair(kernelSize), Functional.pair(stride), Functional.pair(padding), Functional.pair(dilation), ceilMode,
                "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                        + ", ceil_mode=" + (ceilMode ? "True" : "False"));
    }

    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this(kernelSize, stride, padding, dilation, ceilMode, "kernel_size=" + Conv2d.tuple(kernelSize) + ", stride=" + Conv2d.tuple(stride)
                + ", padding=" + Conv2d.tuple(padding) + ", dilation=" + Conv2d.tuple(dilation) + ", ceil_mode=" + (ceilMode ? "True" : "False"));
    }

    private MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode, String reprArgs) {
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
        this.reprArgs = reprArgs;
    }

    @Override
    public Tensor forward(Tensor input) { return Functional.maxPool2d(input, kernel, stride, padding, dilation, ceilMode); }

    @Override
    protected String extraRepr() { return reprArgs; }
}
