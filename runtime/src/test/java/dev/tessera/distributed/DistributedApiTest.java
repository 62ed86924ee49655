package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Torch;
import org.junit.jupiter.api.Test;

/** Error paths that need no MPI job: NCCL without CUDA tensors, unknown backends, use before init. */
class DistributedApiTest {
    @Test
    void ncclFailsNamingWhatIsMissing() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Distributed.initProcessGroup("nccl"));
        assertTrue(e.getMessage().contains("needs CUDA tensors") && e.getMessage().contains("NCCL bindings"), e.getMessage());
        assertFalse(Distributed.isInitialized());
    }

    @Test
    void unknownBackendAndUseBeforeInitAreRefused() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Distributed.initProcessGroup("gloo"));
        assertTrue(bad.getMessage().contains("unknown backend 'gloo'"), bad.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> Distributed.allReduce(Torch.ones(2)));
        assertTrue(none.getMessage().contains("has not been initialized"), none.getMessage());
        assertThrows(IllegalStateException.class, Distributed::rank);
    }
}
