package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Torch;
import dev.tessera.bindings.cuda.CudaLibraries;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Error paths that need no MPI job: NCCL without CUDA, unknown backends, use before init. */
class DistributedApiTest {
    @Test
    void ncclFailsNamingWhatIsMissing() {
        String reason = CudaLibraries.status().reason();
        Assumptions.assumeFalse(CudaLibraries.status().available(), "CUDA is available here (NcclDeviceTest covers the nccl group)");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Distributed.initProcessGroup("nccl"));
        // the missing CUDA driver / device, with where it was looked for, as CudaLibraries reports it
        assertTrue(e.getMessage().contains("CUDA is unavailable") && e.getMessage().contains(reason), e.getMessage());
        assertFalse(Distributed.isInitialized());
    }

    @Test
    void unknownBackendAndUseBeforeInitAreRefused() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Distributed.initProcessGroup("gloo"));
        assertTrue(bad.getMessage().contains("unknown backend 'gloo'"), bad.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> Distributed.allReduce(Torch.ones(2)));
        assertTrue(none.getMessage().contains("has not been initialized"), none.getMessage());
        assertThrows(IllegalStateException.class, Distributed::rank);
        assertThrows(NullPointerException.class, () -> Distributed.initProcessGroup((ProcessGroup) null));
        IllegalArgumentException cap = assertThrows(IllegalArgumentException.class,
                () -> new dev.tessera.nn.parallel.DistributedDataParallel(new dev.tessera.nn.Linear(2, 2), 0));
        assertTrue(cap.getMessage().contains("bucketCapMb"), cap.getMessage());
    }
}
