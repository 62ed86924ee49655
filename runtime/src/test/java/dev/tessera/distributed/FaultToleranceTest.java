package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A failing rank ends the whole job with a clear message instead of leaving its peers waiting. */
class FaultToleranceTest {
    @Test
    void aRankThatThrowsAbortsTheJob() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 60, FaultMain.class, "throw");
        assertFalse(r.timedOut(), "the job hung: " + r.output());
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("rank 1 fails on purpose"), r.output());
        assertTrue(r.output().contains("aborting all 2 ranks"), r.output());
        assertFalse(r.output().contains("finished a collective"), r.output());
    }

    @Test
    void aRankThatExitsEndsTheJob() throws Exception {
        MpiRun.Result r = MpiRun.run(2, 60, FaultMain.class, "exit");
        assertFalse(r.timedOut(), "the job hung: " + r.output());
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("rank 1 exits with status 3"), r.output());
        assertFalse(r.output().contains("finished a collective"), r.output());
    }
}
