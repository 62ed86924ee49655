package dev.tessera.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs every JMH benchmark once, in-process and with tiny sizes, so the benchmarks never rot. */
class BenchSmokeTest {
    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        Options opts = new OptionsBuilder()
                .include("dev\\.tessera\\.bench\\..*Bench\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .param("n", "70")
                .param("size", "8192")
                .param("batch", "1")
                .param("side", "8")
                .param("channels", "512") // ConvBench's direct cases: the smallest stage, 512 ch at 7x7
                .param("stageBatch", "1")
                .shouldFailOnError(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        assertFalse(results.isEmpty());
        // 3 matmul + 3 elementwise + 2 reduction + 3 conv/resnet + 3 direct conv + 1 fromNumpy (its "size"
        // param reads 8192 as 1 MiB).
        assertEquals(15, results.size(), "benchmarks run: " + results.size());
    }

    @Test
    void compareMainQuickRun() {
        CompareMain.main(new String[] {"--quick", "--reps", "1"});
    }
}
