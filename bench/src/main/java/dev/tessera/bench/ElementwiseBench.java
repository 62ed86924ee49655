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

/** fp32 add, mul, relu into a separate output buffer, at 1M and 16M elements. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBench {
    @Param({"1048576", "16777216"})
    public long size;

    private Arena arena;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment out;

    @Setup
    public void setup() {
        arena = Arena.ofShared();
        a = Buffers.randomF32(arena, size, 1);
        b = Buffers.randomF32(arena, size, 2);
        out = arena.allocate(size * Float.BYTES, 64);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment add() {
        VectorKernels.addF32(a, 0, b, 0, out, 0, size);
        return out;
    }

    @Benchmark
    public MemorySegment mul() {
        VectorKernels.mulF32(a, 0, b, 0, out, 0, size);
        return out;
    }

    @Benchmark
    public MemorySegment relu() {
        VectorKernels.reluF32(a, 0, out, 0, size);
        return out;
    }
}
