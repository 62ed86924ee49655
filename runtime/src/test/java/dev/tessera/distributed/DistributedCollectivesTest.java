package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every collective on 2 ranks through mpirun (see CollectivesMain for what each rank checks). */
class DistributedCollectivesTest {
    @Test
    void everyCollectiveDtypeAndSizeIsExact() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 120, CollectivesMain.class);
        assertEquals(0, r.exitCode(), r.output());
        for (int rank = 0; rank < 2; rank++) {
            assertTrue(r.output().contains("rank " + rank + " OK all"), r.output());
            assertTrue(r.output().contains("rank " + rank + " OK queued"), r.output());
            assertTrue(r.output().contains("rank " + rank + " OK misuse"), r.output());
        }
    }

    @Test
    void hundredMillionElementAllReduceIsExact() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 180, CollectivesMain.class, "large", "100000000");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("rank 0 OK large") && r.output().contains("rank 1 OK large"), r.output());
    }
}
