package dev.tessera.bindings.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.bindings.nccl.nccl_h;
import dev.tessera.bindings.nccl.ncclUniqueId;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The bindings on a machine that lacks a library: the classes load, descriptors and constants are
 * readable, and a call throws one clear error naming the function, the library and where it was
 * looked for (never an UnsatisfiedLinkError or a NoClassDefFoundError on the second try).
 */
class MissingLibraryTest {
    private static void assumeMissing(CudaLibrary lib) {
        boolean present = CudaLibraries.path(lib).isPresent();
        if (present) System.out.println("[MissingLibraryTest] " + lib + " is installed here; its missing-library path is not reachable");
        Assumptions.assumeFalse(present, lib + " is installed here");
    }

    @Test
    void aCallIntoAMissingLibraryNamesItTwice() {
        assumeMissing(CudaLibrary.CUBLAS);
        assertEquals(1, cublas_api_h.CUBLAS_OP_T());
        assertEquals(3, cublas_api_h.cublasSgemmStridedBatched$descriptor().returnLayout().isPresent() ? 3 : -1);
        assertEquals(18, cublas_api_h.cublasSgemmStridedBatched$descriptor().argumentLayouts().size());
        for (int attempt = 0; attempt < 2; attempt++) { // the second call must fail the same way, not with NoClassDefFoundError
            CudaLibraryException e = assertThrows(CudaLibraryException.class, () -> cublas_api_h.cublasCreate_v2(MemorySegment.NULL));
            assertTrue(e.getMessage().startsWith("cannot call cublasCreate_v2: cuBLAS needs cuBLASLt: cuBLASLt (libcublasLt.so.13"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("looked in") && e.getMessage().contains("LD_LIBRARY_PATH"), e.getMessage());
        }
        assertEquals(MemorySegment.NULL, cublas_api_h.cublasCreate_v2$address());
    }

    @Test
    void structArgumentsAndVoidListsKeepTheirTypesWhenMissing() {
        assumeMissing(CudaLibrary.NCCL);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment id = ncclUniqueId.allocate(a);
            assertEquals(128, ncclUniqueId.sizeof());
            ncclUniqueId.internal(id, 5, (byte) 7);
            assertEquals(7, ncclUniqueId.internal(id, 5));
            CudaLibraryException e = assertThrows(CudaLibraryException.class,
                    () -> nccl_h.ncclCommInitRank(a.allocate(ValueLayout.ADDRESS), 2, id, 0));
            assertTrue(e.getMessage().startsWith("cannot call ncclCommInitRank: NCCL (libnccl.so.2"), e.getMessage());
            assertThrows(CudaLibraryException.class, nccl_h::ncclGroupStart);
        }
    }

    @Test
    void aMissingSymbolInALoadedLibraryIsNamed() throws Throwable {
        Assumptions.assumeTrue(CudaLibraries.path(CudaLibrary.RUNTIME).isPresent(), "libcudart is not installed here");
        MethodHandle h = Downcalls.handle(CudaLibrary.RUNTIME, "cudaNoSuchFunction", MemorySegment.NULL,
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
        CudaLibraryException e = assertThrows(CudaLibraryException.class, () -> {
            h.invokeExact(1L);
        });
        assertTrue(e.getMessage().startsWith("cannot call cudaNoSuchFunction: symbol cudaNoSuchFunction is missing from /"), e.getMessage());
        assertTrue(e.getMessage().contains("libcudart.so"), e.getMessage());
    }

    @Test
    void statusCodesAreDescribedWithoutTheLibraries() {
        CudaException blas = assertThrows(CudaException.class, () -> CudaErrors.checkCublas(3, "cublasSgemm_v2(m=2, n=3, k=4)"));
        assertTrue(blas.getMessage().startsWith("cublasSgemm_v2(m=2, n=3, k=4) failed: cuBLAS error CUBLAS_STATUS_ALLOC_FAILED (3)"),
                blas.getMessage());
        assertEquals(3, blas.code());
        assertEquals("cuBLAS", blas.library());
        assertEquals("CURAND_STATUS_LENGTH_NOT_MULTIPLE (105)", CudaErrors.curandError(105));
        assertTrue(CudaErrors.ncclError(4).startsWith("ncclInvalidArgument (4)"), CudaErrors.ncclError(4));
        assertTrue(CudaErrors.driverError(2).startsWith("CUDA_ERROR_OUT_OF_MEMORY (2)"), CudaErrors.driverError(2));
        assertTrue(CudaErrors.runtimeError(2).startsWith("cudaErrorMemoryAllocation (2)"), CudaErrors.runtimeError(2));
        CudaErrors.checkRuntime(0, "no error");
        CudaErrors.checkDriver(0, "no error");
        CudaErrors.checkCurand(0, "no error");
        CudaErrors.checkNccl(0, "no error");
    }

    @Test
    void theRuntimeDescribesItsErrorsWhereItIsInstalled() {
        Assumptions.assumeTrue(CudaLibraries.path(CudaLibrary.RUNTIME).isPresent(), "libcudart is not installed here");
        CudaException e = assertThrows(CudaException.class, () -> CudaErrors.checkRuntime(2, "cudaMalloc(4096 bytes)"));
        assertEquals("cudaMalloc(4096 bytes) failed: CUDA runtime error cudaErrorMemoryAllocation (2): out of memory", e.getMessage());
    }

    @Test
    void statusExplainsWhyCudaIsUnavailable() {
        CudaLibraries.Status s = CudaLibraries.status();
        System.out.println("[MissingLibraryTest] CUDA status: " + s.available() + ", " + s.reason());
        s.libraries().forEach((lib, where) -> System.out.println("[MissingLibraryTest]   " + lib + ": " + where));
        assertEquals(CudaLibrary.values().length, s.libraries().size());
        Assumptions.assumeFalse(s.available(), "CUDA is available here");
        assertTrue(s.reason().contains("libcudart") || s.reason().contains("cudaGetDeviceCount failed") || s.reason().contains("no CUDA device"),
                s.reason());
    }
}
