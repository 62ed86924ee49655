package dev.tessera.bench;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.numpy.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Opening a .npy file maps it instead of reading it, so open+close should cost about the same for
 * 1 MiB and 1 GiB. The files are created (sparse) in a temp directory by {@link NDArray#create}.
 * Run (no uber-jar yet): {@code mvn -q -B -DskipTests -pl bench -am package}, then
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/classes:runtime/target/classes:bindings/target/classes:<jmh deps>
 * org.openjdk.jmh.Main FromNumpyBench -f 1 -wi 1 -i 1}. One run (2 cores shared, 2 s warm-up, 3 s
 * measurement): 1 MiB 47 us/op, 1 GiB 58 us/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FromNumpyBench {
    @Param({"1MiB", "1GiB"})
    public String size;

    private Path dir;
    private Path file;

    @Setup(Level.Trial)
    public void createFile() throws IOException {
        dir = Files.createTempDirectory("tessera-from-numpy");
        file = dir.resolve("x.npy");
        long floats = (size.equals("1GiB") ? 1L << 30 : 1L << 20) / Float.BYTES;
        try (NDArray a = NDArray.create(file, DType.FLOAT32, floats)) {
            a.setDouble(1.0, floats - 1);
            a.force();
        }
    }

    @Benchmark
    public double openClose() {
        // what Torch.fromNumpy(path) does, with an explicit close instead of waiting for the GC
        try (NDArray a = NDArray.open(file, NDArray.Mode.READ_WRITE)) {
            Tensor t = Torch.fromNumpy(a);
            return t.select(0, t.size(0) - 1).item().doubleValue(); // touch the last page so the mapping is real
        }
    }

    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }
}
