package dev.tessera.vision;

import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.AdaptiveAvgPool2d;
import dev.tessera.nn.BatchNorm2d;
import dev.tessera.nn.Conv2d;
import dev.tessera.nn.Init;
import dev.tessera.nn.Linear;
import dev.tessera.nn.MaxPool2d;
import dev.tessera.nn.Module;
import dev.tessera.nn.ReLU;
import dev.tessera.nn.Sequential;

/**
 * torchvision.models.ResNet with {@link BasicBlock}s: the same submodule names, parameter order,
 * initialisation (including the order of random draws) and forward, so state dicts of torchvision
 * load unchanged and a seeded model equals PyTorch's.
 */
public class ResNet extends Module {
    private long inplanes = 64;

    /** ResNet(BasicBlock, layers, num_classes) of torchvision (groups 1, width 64, no zero-init of residuals). */
    public ResNet(int[] layers, int numClasses) {
        if (layers.length != 4) throw new IllegalArgumentException("layers must have 4 entries, got " + layers.length);
        if (numClasses <= 0) throw new IllegalArgumentException("numClasses must be positive, got " + numClasses);
        registerModule("conv1", new Conv2d(3, inplanes, 7, 2, 3, false));
        registerModule("bn1", new BatchNorm2d(inplanes));
        registerModule("relu", new ReLU(true));
        registerModule("maxpool", new MaxPool2d(3, 2, 1));
        registerModule("layer1", makeLayer(64, layers[0], 1));
        registerModule("layer2", makeLayer(128, layers[1], 2));
        registerModule("layer3", makeLayer(256, layers[2], 2));
        registerModule("layer4", makeLayer(512, layers[3], 2));
        registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        registerModule("fc", new Linear(512L * BasicBlock.EXPANSION, numClasses));

        // torchvision re-initialises after construction, walking self.modules() in order
        try (NoGrad g = Torch.noGrad()) {
            for (Module m : namedModules().values()) {
                if (m instanceof Conv2d c) {
                    kaimingNormalFanOutRelu(c.weight());
                } else if (m instanceof BatchNorm2d bn) {
                    Init.ones_(bn.weight());
                    Init.zeros_(bn.bias());
                }
            }
        }
    }

    /** torchvision.models.resnet18(): layers [2, 2, 2, 2], 1000 classes, random initialisation. */
    public static ResNet resnet18() { return new ResNet(new int[]{2, 2, 2, 2}, 1000); }

    /** torchvision.models.resnet34(): layers [3, 4, 6, 3]. */
    public static ResNet resnet34() { return new ResNet(new int[]{3, 4, 6, 3}, 1000); }

    /**
     * resnet18(weights=...): builds the model (drawing the random initialisation, as torchvision
     * does) and loads the weights strictly. The file is checked first, so a missing checkpoint fails
     * before any random number is drawn.
     */
    public static ResNet resnet18(ResNet18Weights weights) {
        if (weights == null) return resnet18();
        weights.requireFile();
        ResNet model = resnet18();
        model.loadStateDict(weights.stateDict());
        return model;
    }

    /** kaiming_normal_(w, mode='fan_out', nonlinearity='relu'): N(0, sqrt(2) / sqrt(fan_out)), Python's float arithmetic. */
    static void kaimingNormalFanOutRelu(Tensor w) {
        long fanOut = Init.fans(w)[1];
        double std = Math.sqrt(2.0) / Math.sqrt((double) fanOut);
        w.normal_(0, std);
    }

    private Sequential makeLayer(long planes, int blocks, int stride) {
        if (blocks <= 0) throw new IllegalArgumentException("each layer needs at least one block, got " + blocks);
        Module downsample = null;
        if (stride != 1 || inplanes != planes * BasicBlock.EXPANSION) {
            downsample = new Sequential(new Conv2d(inplanes, planes * BasicBlock.EXPANSION, 1, stride, 0, false),
                    new BatchNorm2d(planes * BasicBlock.EXPANSION));
        }
        Sequential layer = new Sequential(new BasicBlock(inplanes, planes, stride, downsample));
        inplanes = planes * BasicBlock.EXPANSION;
        for (int i = 1; i < blocks; i++) layer.append(new BasicBlock(inplanes, planes, 1, null));
        return layer;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != 3) {
            throw new IllegalArgumentException("ResNet expects input of shape [N, 3, H, W], got " + x.shape());
        }
        // children are looked up by name, so setSubmodule("fc", ...) (fine-tuning) takes effect as in PyTorch
        x = BasicBlock.convBnRelu(getSubmodule("conv1"), getSubmodule("bn1"), getSubmodule("relu"), x, null);
        for (String name : new String[]{"maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool"}) {
            x = getSubmodule(name).forward(x);
        }
        return getSubmodule("fc").forward(x.flatten(1, -1));
    }
}
