package dev.tessera.vision;

import dev.tessera.Tensor;
import dev.tessera.nn.BatchNorm2d;
import dev.tessera.nn.Conv2d;
import dev.tessera.nn.Module;
import dev.tessera.nn.ReLU;
import dev.tessera.nn.Sequential;

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
        Tensor out = convBnRelu(getSubmodule("conv1"), getSubmodule("bn1"), relu, x, null);
        Module downsample = namedChildren().get("downsample");
        // the identity first, so that conv2 can add it as it writes its output (eval mode)
        Tensor identity = downsample != null ? project(downsample, x) : x;
        // torchvision: out = bn2(conv2(out)); out += identity; out = relu(out)
        return convBnRelu(getSubmodule("conv2"), getSubmodule("bn2"), relu, out, identity);
    }

    /**
     * relu(bn(conv(x)) + residual) (relu null: bn(conv(x)), no residual) with the modules the
     * block holds now: plain Conv2d, BatchNorm2d and ReLU fuse ({@link BatchNorm2d#forwardAfter}:
     * in eval mode the convolution applies the batch norm, in training batch norm and ReLU are one
     * op), anything else runs each module's forward.
     */
    static Tensor convBnRelu(Module conv, Module bn, Module relu, Tensor x, Tensor residual) {
        if (conv instanceof Conv2d c && bn instanceof BatchNorm2d b && (relu == null || relu.getClass() == ReLU.class)) {
            return b.forwardAfter(c, x, residual, relu != null);
        }
        Tensor out = conv.forward(x);
        return relu == null ? bn.forward(out) : bnRelu(bn, relu, out, residual);
    }

    /** The downsample projection: torchvision's Sequential(conv1x1, BatchNorm2d) fuses as above. */
    private static Tensor project(Module downsample, Tensor x) {
        if (downsample.getClass() == Sequential.class && downsample.namedChildren().size() == 2) {
            var layers = downsample.namedChildren().values().iterator();
            Module conv = layers.next(), bn = layers.next();
            if (conv instanceof Conv2d && bn instanceof BatchNorm2d) return convBnRelu(conv, bn, null, x, null);
        }
        return downsample.forward(x);
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
