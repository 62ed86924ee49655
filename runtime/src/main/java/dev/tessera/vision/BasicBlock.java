package dev.tessera.vision;

import dev.tessera.Tensor;
import dev.tessera.nn.BatchNorm2d;
import dev.tessera.nn.Conv2d;
import dev.tessera.nn.Module;
import dev.tessera.nn.ReLU;

/**
 * torchvision.models.resnet.BasicBlock: two 3x3 convolutions with batch norm and a residual
 * connection; {@code downsample} (1x1 conv + batch norm, or null) projects the identity when the
 * stride or width changes.
 */
public class BasicBlock extends Module {
    public static final int EXPANSION = 1;

    /**
     * The downsample module is built by the caller before this block, as torchvision's _make_layer
     * does, so that the random initialisation draws happen in PyTorch's order.
     */
    public BasicBlock(long inplanes, long planes, int stride, Module downsample) {
        registerModule("conv1", new Conv2d(inplanes, planes, 3, stride, 1, false));
        registerModule("bn1", new BatchNorm2d(planes));
        registerModule("relu", new ReLU(true));
        registerModule("conv2", new Conv2d(planes, planes, 3, 1, 1, false));
        registerModule("bn2", new BatchNorm2d(planes));
        if (downsample != null) registerModule("downsample", downsample);
    }

    @Override
    public Tensor forward(Tensor x) {
        Module relu = getSubmodule("relu");
        Tensor out = getSubmodule("conv1").forward(x);
        out = bnRelu(getSubmodule("bn1"), relu, out, null);
        out = getSubmodule("conv2").forward(out);
        Module downsample = namedChildren().get("downsample");
        Tensor identity = downsample != null ? downsample.forward(x) : x;
        // torchvision: out = bn2(out); out += identity; out = relu(out)
        return bnRelu(getSubmodule("bn2"), relu, out, identity);
    }

    /**
     * relu(bn(x) + residual) with the modules the block holds now: fused when they are a plain
     * BatchNorm2d and ReLU (see README "Fused batch norm + ReLU"), otherwise each module's forward.
     */
    static Tensor bnRelu(Module bn, Module relu, Tensor x, Tensor residual) {
        if (bn instanceof BatchNorm2d b && relu.getClass() == ReLU.class) return b.forwardRelu(x, residual);
        Tensor out = bn.forward(x);
        return relu.forward(residual == null ? out : out.add_(residual));
    }
}
