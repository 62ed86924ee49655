package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The float64 kernels are generated from the float32 ones; fails when someone edits only one side. */
class KernelSourcesInSyncTest {
    @Test
    void float64KernelsMatchTheirGenerator() throws Exception {
        Path script = Path.of("..", "scripts", "gen-f64-kernels");
        Assumptions.assumeTrue(Files.isRegularFile(script), "not run from a source checkout (no " + script + ")");
        Process p = new ProcessBuilder("bash", script.toString(), "--check").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
