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

/**
 * fp32 matmul on tensors: square n x n x n, skinny [n x n] @ [n x 64], and A^T @ B where A^T is
 * a transposed view (no copy). Written into an existing output, as torch.mm(a, b, out=c).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatmulBench {
    static final int SKINNY = 64;

    @Param({"256", "512", "1024", "2048"})
    public int n;

    private Tensor a, b, bSkinny, c, cSkinny;

    @Setup
    public void setup() {
        a = Buffers.randomF32(1, n, n);
        b = Buffers.randomF32(2, n, n);
        bSkinny = b.narrow(1, 0, SKINNY).contiguous();
        c = Torch.empty(n, n);
        cSkinny = Torch.empty(n, SKINNY);
    }

    @Benchmark
    public Tensor square() {
        return Torch.mm(a, b, c);
    }

    @Benchmark
    public Tensor skinny() {
        return Torch.mm(a, bSkinny, cSkinny);
    }

    @Benchmark
    public Tensor transposedA() {
        return Torch.mm(a.t(), b, c);
    }
}
