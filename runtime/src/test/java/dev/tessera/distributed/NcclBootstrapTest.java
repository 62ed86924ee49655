package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file exchange of rank 0's NCCL id (TESSERA_NCCL_ID_FILE), which needs no GPU. */
class NcclBootstrapTest {
    @Test
    void aRankReadsTheIdRankZeroWritesLater(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nccl.id");
        byte[] id = new byte[128];
        for (int i = 0; i < id.length; i++) id[i] = (byte) (31 * i + 7);
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> NcclBootstrap.poll(file, 1, 30));
        Thread.sleep(200); // the reader is polling before the file exists
        NcclBootstrap.writeAtomically(file, id);
        assertArrayEquals(id, reader.get());
        try (var files = Files.list(dir)) {
            assertTrue(files.allMatch(file::equals), "the temporary file was renamed, not left behind");
        }
    }

    @Test
    void aMissingIdFileFailsWithinTheTimeoutNamingThePath(@TempDir Path dir) {
        Path file = dir.resolve("never-written.id");
        long start = System.nanoTime();
        DistributedException e = assertThrows(DistributedException.class, () -> NcclBootstrap.poll(file, 3, 1));
        assertTrue((System.nanoTime() - start) / 1e9 < 20, "gave up near the 1 s timeout");
        assertTrue(e.getMessage().contains("rank 3") && e.getMessage().contains(file.toAbsolutePath().toString())
                && e.getMessage().contains("TESSERA_NCCL_ID_TIMEOUT"), e.getMessage());
    }
}
