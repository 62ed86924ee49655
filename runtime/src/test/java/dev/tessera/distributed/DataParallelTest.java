package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** DistributedDataParallel and SyncBatchNorm on 2 ranks against one process on the global batch (see DdpMain). */
class DataParallelTest {
    private static void ok(String scenario, int timeout) throws Exception {
        MpiRun.Result r = MpiRun.run(2, timeout, DdpMain.class, scenario);
        assertEquals(0, r.exitCode(), r.output());
        for (int rank = 0; rank < 2; rank++) assertTrue(r.output().contains("rank " + rank + " OK " + scenario), r.output());
    }

    @Test
    void cnnMatchesTheEmulatedReductionBitwiseAndTheGlobalBatch() throws Exception { ok("cnn", 120); }

    @Test
    void noSyncAccumulatesLocallyThenAverages() throws Exception { ok("nosync", 120); }

    @Test
    void syncBatchNormMatchesOneProcessOnTheGlobalBatch() throws Exception { ok("bn", 120); }

    @Test
    void resnet18WithSyncBatchNormMatchesOneProcessOnTheGlobalBatch() throws Exception { ok("resnet", 300); }

    @Test
    void mismatchedModelsFailBeforeTheFirstStep() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 60, DdpMain.class, "mismatch");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("the model differs across ranks"), r.output());
        assertTrue(!r.output().contains("constructed a mismatched"), r.output());
    }
}
