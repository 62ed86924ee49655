package dev.tessera.ops.cuda;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Device;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Device memory ownership in the CUDA backend over a 64 MiB emulated device (no kernels needed):
 * blocks of unreachable tensors come back through the JVM's collector, so a full device retries
 * after a collection instead of failing, while memory that is still referenced gives PyTorch's
 * out-of-memory error.
 */
class CudaMemoryOnHostTest {
    private static final long MIB = 1L << 20;

    @Test
    void unreachableTensorsAreReclaimedWhenTheDeviceIsFull() {
        CudaBackend be = new CudaBackend(Device.CUDA, new HostEmulatedRuntime(null, 64 * MIB));
        for (int i = 0; i < 12; i++) {
            MemorySegment s = be.allocateUninitialized(20 * MIB); // 20 MiB segments: three fit, the fourth needs a collection
            assertTrue(s.address() != 0 && s.byteSize() == 20 * MIB);
        }
        assertTrue(be.allocator().memoryReserved() <= 64 * MIB, "reserved " + be.allocator().memoryReserved());
    }

    @Test
    void referencedTensorsExhaustTheDeviceWithAClearError() {
        CudaBackend be = new CudaBackend(Device.CUDA, new HostEmulatedRuntime(null, 64 * MIB));
        List<MemorySegment> held = new ArrayList<>();
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> {
            for (int i = 0; i < 4; i++) held.add(be.allocateUninitialized(20 * MIB));
        });
        assertTrue(held.size() == 3 && e.getMessage().startsWith("CUDA out of memory. Tried to allocate 20.00 MiB"), e.getMessage());
    }
}
