package dev.tessera.bench;

import dev.tessera.Tensor;
import dev.tessera.Torch;
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

/** fp32 add, mul, relu on tensors into an existing output (out=), at 1M and 16M elements. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ElementwiseBench {
    @Param({"1048576", "16777216"})
    public long size;

    private Tensor a, b, out;

    @Setup
    public void setup() {
        a = Buffers.randomF32(1, size);
        b = Buffers.randomF32(2, size);
        out = Torch.empty(size);
    }

    @Benchmark
    public Tensor add() {
        return Torch.add(a, b, out);
    }

    @Benchmark
    public Tensor mul() {
        return Torch.mul(a, b, out);
    }

    @Benchmark
    public Tensor relu() {
        return Torch.relu(a, out);
    }
}
