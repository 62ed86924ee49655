package dev.tessera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.memory.MemoryScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Native tensor memory: GC-owned without a scope (bounded in a loop), freed at close inside one. */
class MemoryLifetimeTest {
    private static final long MB64_FLOATS = 16L << 20;

    /**
     * The loop, literally: 1,000 iterations creating and dropping a 64 MB tensor (64 GB in
     * all), in a child JVM whose direct-memory limit is 1 GB. It can only finish if dropped tensors
     * are reclaimed without the user closing anything, and its peak RSS must stay near the limit.
     */
    @Test
    void droppingLargeTensorsInALoopRunsInBoundedMemory() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-XX:MaxDirectMemorySize=1g", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LargeTensorLoop.class.getName(), "1000").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        long peakRssKb = Long.parseLong(out.replaceAll("(?s).*peakRssKb=(\\d+).*", "$1"));
        assertTrue(peakRssKb < (1L << 20) + (512L << 10), "peak RSS " + (peakRssKb >> 10) + " MB for a 1 GB limit: " + out);
    }

    /** The child process of the loop test: prints its own peak RSS (VmHWM) at the end. */
    public static final class LargeTensorLoop {
        public static void main(String[] args) throws IOException {
            int iterations = Integer.parseInt(args[0]);
            for (int i = 0; i < iterations; i++) {
                Tensor t = Torch.zeros(MB64_FLOATS);
                t.index(Index.at(i)).fill_(1.0);  // touch it so the pages are really committed
                if (t.index(Index.at(i)).item().doubleValue() != 1.0) throw new AssertionError("lost a write");
            }
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) hwm = Long.parseLong(line.replaceAll("\\D", ""));
            }
            System.out.println("iterations=" + iterations + " peakRssKb=" + hwm);
        }
    }

    @Test
    void scopeFreesAtCloseAndClosedTensorsThrow() {
        Tensor inside;
        Tensor view;
        MemoryScope scope = Torch.scope();
        try (scope) {
            inside = Torch.ones(1000, 1000);
            view = inside.index(Index.at(3));
            Tensor derived = inside.mul(2).sum();
            assertEquals(2_000_000.0, derived.item().doubleValue());
            assertTrue(scope.bytesAllocated() >= 4_000_000L, "scope saw " + scope.bytesAllocated() + " bytes");
            assertTrue(scope.isOpen());
        }
        assertFalse(scope.isOpen());
        assertFalse(inside.storage().segment().scope().isAlive(), "closing the scope must free its memory");
        assertThrows(IllegalStateException.class, () -> inside.index(Index.at(0), Index.at(0)).item(), "reading a freed tensor must throw");
        assertThrows(IllegalStateException.class, () -> inside.toDoubleArray());
        assertThrows(IllegalStateException.class, () -> view.sum());
        assertThrows(IllegalStateException.class, inside::toString);
        // tensors made outside any scope are unaffected
        Tensor after = Torch.ones(3);
        assertEquals(3.0, after.sum().item().doubleValue());
    }

    @Test
    void nestedScopesFreeInnermostOnly() {
        try (MemoryScope outer = Torch.scope()) {
            Tensor a = Torch.ones(10);
            Tensor b;
            try (MemoryScope inner = Torch.scope()) {
                b = Torch.ones(10);
            }
            assertThrows(IllegalStateException.class, () -> b.sum());
            assertEquals(10.0, a.sum().item().doubleValue());
        }
    }
}
