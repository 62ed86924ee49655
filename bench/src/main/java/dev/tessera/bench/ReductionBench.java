package dev.tessera.bench;

import dev.tessera.Tensor;
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

/** Sum over 16M fp32 elements, and softmax over the rows of a [size / 1024, 1024] tensor. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ReductionBench {
    static final int SOFTMAX_COLS = 1024;

    @Param({"16777216"})
    public long size;

    private Tensor a, rows;

    @Setup
    public void setup() {
        a = Buffers.randomF32(3, size);
        rows = a.view(-1, SOFTMAX_COLS);
    }

    @Benchmark
    public double sum() {
        return a.sum().item().doubleValue();
    }

    @Benchmark
    public Tensor softmax() {
        return rows.softmax(1);
    }
}
