package dev.tessera.bench;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.nn.Functional;
import dev.tessera.ops.cpu.DirectConvShape;
import dev.tessera.ops.cpu.DirectConv;
import dev.tessera.vision.ResNet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * conv2d 3x3 (64 -> 64 channels, padding 1, on [batch, 64, 56, 56]: ResNet-18's layer1 shape), and
 * a ResNet-18 forward, and forward + backward, on [batch, 3, 224, 224]; and the direct blocked
 * convolution's forward, backward-data and backward-weights alone at ResNet-18's four 3x3 stage
 * shapes (64 channels at 56x56, 128 at 28, 256 at 14, 512 at 7; the {@code channels} parameter
 * picks the stage, {@code stageBatch} the batch, 1 or 8). bench-compare times the same three
 * passes through the public path against PyTorch ({@code conv3x3_*} works).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ConvBench {
    @Param({"1"})
    public int batch;

    @Param({"56"})
    public int side;

    private Tensor x, weight, image;
    private ResNet model;

    @Setup
    public void setup() {
        x = Buffers.randomF32(5, batch, 64, side, side);
        weight = Buffers.randomF32(6, 64, 64, 3, 3).mul_(0.05);
        image = Buffers.randomF32(7, batch, 3, 4 * side, 4 * side);
        Torch.manualSeed(0);
        model = ResNet.resnet18();
        model.eval();
    }

    @Benchmark
    public Tensor conv2d3x3() {
        try (var g = Torch.noGrad()) {
            return Functional.conv2d(x, weight, null, 1, 1);
        }
    }

    @Benchmark
    public Tensor resnet18Forward() {
        try (var g = Torch.noGrad()) {
            return model.forward(image);
        }
    }

    @Benchmark
    public Tensor resnet18ForwardBackward() {
        model.zeroGrad(true);
        Tensor loss = model.forward(image).sum();
        loss.backward();
        return loss;
    }

    /** One ResNet-18 stage's 3x3, stride 1, padding 1 convolution at batch 1 or 8, for the direct kernels. */
    @State(Scope.Benchmark)
    public static class Stage {
        @Param({"64", "128", "256", "512"})
        public int channels;

        @Param({"1", "8"})
        public int stageBatch;

        DirectConvShape geometry;
        Tensor x, weight, gout, out, gx, gw;

        @Setup
        public void setup() {
            int side = 56 * 64 / channels;
            int n = stageBatch;
            geometry = DirectConvShape.of(n, channels, side, side, channels, 3, 1, 1, 1, 1);
            x = Buffers.randomF32(8, n, channels, side, side);
            weight = Buffers.randomF32(9, channels, channels, 3, 3).mul_(0.05);
            gout = Buffers.randomF32(10, n, channels, side, side);
            out = Torch.empty(n, channels, side, side);
            gx = Torch.empty(n, channels, side, side);
            gw = Torch.empty(channels, channels, 3, 3);
        }
    }

    @Benchmark
    public Tensor directForward(Stage s) {
        DirectConv.forward(s.x.strided().segment(), 0, s.weight.strided().segment(), 0, null, 0,
                s.out.strided().segment(), 0, s.geometry);
        return s.out;
    }

    @Benchmark
    public Tensor directBackwardData(Stage s) {
        DirectConv.backwardData(s.gout.strided().segment(), 0, s.weight.strided().segment(), 0,
                s.gx.strided().segment(), 0, s.geometry);
        return s.gx;
    }

    @Benchmark
    public Tensor directBackwardWeights(Stage s) {
        DirectConv.backwardWeights(s.gout.strided().segment(), 0, s.x.strided().segment(), 0,
                s.gw.strided().segment(), 0, null, 0, s.geometry);
        return s.gw;
    }
}
