package dev.tessera.bench;

import dev.tessera.ops.cpu.VectorKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Sum over 16M fp32 elements, and a row softmax over [rows x 1024] composed from the kernels. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ReductionBench {
    static final int SOFTMAX_COLS = 1024;

    @Param({"16777216"})
    public long size;

    private Arena arena;
    private MemorySegment a;
    private MemorySegment out;

    @Setup
    public void setup() {
        arena = Arena.ofShared();
        a = Buffers.randomF32(arena, size, 3);
        out = arena.allocate(size * Float.BYTES, 64);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float sum() {
        return VectorKernels.sumF32(a, 0, size);
    }

    @Benchmark
    public MemorySegment softmax() {
        Softmax.rowsF32(a, out, size / SOFTMAX_COLS, SOFTMAX_COLS);
        return out;
    }
}
