package dev.tessera.ops.cuda;

import dev.tessera.Device;
import dev.tessera.ops.Backend;
import dev.tessera.ops.BackendProvider;
import dev.tessera.ops.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link CudaBackendChecks} without a GPU: a {@link CudaBackend} over {@link HostEmulatedRuntime}
 * (host memory as device memory, the .cu kernels compiled for the host, the CPU GEMM read
 * column-major with cuBLAS's argument checks, a seeded generator) is registered as the CUDA
 * device for the class and the previous provider restored after it. What this cannot show: the
 * GPU's math library, cuBLAS/cuRAND themselves, asynchrony and speed (see {@link CudaDeviceTest}).
 */
class CudaBackendOnHostTest extends CudaBackendChecks {
    static BackendProvider previous;

    @BeforeAll
    static void register() {
        HostKernels k = HostKernels.get();
        if (k == null) System.out.println("CudaBackendOnHostTest: skipped: " + HostKernels.unavailableReason());
        org.junit.jupiter.api.Assumptions.assumeTrue(k != null, HostKernels.unavailableReason());
        rt = new HostEmulatedRuntime(k);
        CudaBackend backend = new CudaBackend(Device.CUDA, rt);
        previous = Backends.register(new BackendProvider() {
            @Override public Device.Type type() { return Device.Type.CUDA; }
            @Override public Backend backend(Device device) { return backend; }
        });
    }

    @AfterAll
    static void restore() {
        if (previous != null) Backends.register(previous);
        previous = null;
        rt = null;
    }
}
