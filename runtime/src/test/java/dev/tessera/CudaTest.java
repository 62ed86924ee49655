package dev.tessera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.bindings.cuda.CudaLibraries;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * CUDA behaviour on both kinds of machine. Without CUDA, moving a tensor to the GPU must fail with a
 * message naming what is missing; the GPU-only checks skip with the reason printed. scripts/test-gpu
 * runs this class on a GPU machine.
 */
class CudaTest {
    @Test
    void withoutCudaTheErrorNamesTheMissingLibrary() {
        Assumptions.assumeFalse(Cuda.isAvailable(), "CUDA is available here; the no-CUDA error path is not reachable");
        assertEquals(0, Cuda.deviceCount());
        Tensor t = Torch.ones(2);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> t.to("cuda"));
        assertTrue(e.getMessage().contains(CudaLibraries.status().reason()), e.getMessage());
        assertTrue(e.getMessage().contains("libcudart") || e.getMessage().contains("CUDA"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> new dev.tessera.nn.Linear(2, 2).to("cuda"));
        // torch.cuda's bookkeeping answers cleanly without a GPU
        assertEquals(0, Cuda.memoryAllocated());
        assertEquals(0, Cuda.memoryReserved());
        Cuda.emptyCache();
        Cuda.synchronize();
        Cuda.setAllowTf32(true);
        assertTrue(Cuda.allowTf32());
        Cuda.setAllowTf32(false);
        assertThrows(IllegalArgumentException.class, () -> Device.of("tpu"));
        assertEquals("cuda:0", Device.of("cuda").toString());
    }

    @Test
    void onAGpuMachineTheRuntimeReportsADevice() {
        String reason = CudaLibraries.status().reason();
        if (!Cuda.isAvailable()) System.out.println("[CudaTest] GPU checks skipped: " + reason);
        Assumptions.assumeTrue(Cuda.isAvailable(), "no CUDA device: " + reason);
        assertTrue(Cuda.deviceCount() >= 1);
    }
}
