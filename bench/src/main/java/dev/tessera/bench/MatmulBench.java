package dev.tessera.bench;

import dev.tessera.ops.cpu.Gemm;
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

/**
 * fp32 matmul: square n x n x n, skinny [n x n] @ [n x 64], and A^T @ B read through swapped
 * strides (no copy). Operates on memory segments through the kernel layer directly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatmulBench {
    static final int SKINNY = 64;

    @Param({"256", "512", "1024", "2048"})
    public int n;

    private Arena arena;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment c;

    @Setup
    public void setup() {
        arena = Arena.ofShared();
        long nn = (long) n * n;
        a = Buffers.randomF32(arena, nn, 1);
        b = Buffers.randomF32(arena, nn, 2);
        c = arena.allocate(nn * Float.BYTES, 64);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment square() {
        Gemm.sgemm(n, n, n, 1f, a, 0, n, 1, b, 0, n, 1, 0f, c, 0, n, 1);
        return c;
    }

    @Benchmark
    public MemorySegment skinny() {
        Gemm.sgemm(n, SKINNY, n, 1f, a, 0, n, 1, b, 0, SKINNY, 1, 0f, c, 0, SKINNY, 1);
        return c;
    }

    @Benchmark
    public MemorySegment transposedA() {
        Gemm.sgemm(n, n, n, 1f, a, 0, 1, n, b, 0, n, 1, 0f, c, 0, n, 1);
        return c;
    }
}
