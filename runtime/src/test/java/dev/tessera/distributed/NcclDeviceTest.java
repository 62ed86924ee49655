package dev.tessera.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.bindings.cuda.CudaLibraries;
import dev.tessera.bindings.cuda.CudaLibrary;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A one-rank NCCL group on a GPU machine (scripts/gpu-check runs this class there). With one rank a
 * reduction is the identity, so the checks are that data goes through NCCL untouched and exactly
 * (addresses with storage offsets, dtype sizes, stream order with the kernels around it), and that
 * the out-of-place paths (allGather, reduceScatter) really move the data. Skips with the reason
 * printed without CUDA or libnccl.
 */
class NcclDeviceTest {
    private static final Device CUDA = Device.CUDA;

    @BeforeEach
    void requireGpuAndNccl() {
        CudaLibraries.Status s = CudaLibraries.status();
        String why = !s.available() ? "no CUDA: " + s.reason()
                : CudaLibraries.path(CudaLibrary.NCCL).isEmpty() ? "no libnccl: " + CudaLibraries.report().get(CudaLibrary.NCCL) : null;
        if (why != null) System.out.println("[NcclDeviceTest] skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        Distributed.initProcessGroup("nccl", 0, 1);
    }

    @AfterEach
    void destroy() {
        if (Distributed.isInitialized()) Distributed.destroyProcessGroup();
    }

    /** Values a wrong dtype size or offset would scramble: distinct, signed, beyond float32's integers for float64/int64. */
    private static Tensor values(DType dtype, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double big = dtype == DType.FLOAT64 || dtype == DType.INT64 ? 1L << 40 : 1;
            v[i] = ((i * 7919L) % 1001 - 500) * (dtype.isFloatingPoint() ? 0.25 : 1) * big + i;
        }
        return Torch.tensor(v).to(dtype);
    }

    @Test
    void oneRankGroupReportsItself() {
        assertEquals("nccl", Distributed.backend());
        assertEquals(0, Distributed.rank());
        assertEquals(1, Distributed.worldSize());
    }

    @Test
    void allReduceEveryOpAndDtypeIsExact() {
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64)) {
            for (ReduceOp op : ReduceOp.values()) {
                if (op == ReduceOp.AVG && !dtype.isFloatingPoint()) {
                    Tensor t = values(dtype, 3).to(CUDA);
                    assertThrows(IllegalArgumentException.class, () -> Distributed.allReduce(t, op));
                    continue;
                }
                Tensor host = values(dtype, 100_003);
                // a contiguous slice at a storage offset: the device address must include it
                Tensor base = Torch.cat(List.of(values(dtype, 5), host), 0).to(CUDA);
                Tensor t = base.narrow(0, 5, host.numel());
                Distributed.allReduce(t, op);
                assertArrayEquals(host.toDoubleArray(), t.toDoubleArray(), dtype + " " + op);
                assertArrayEquals(values(dtype, 5).toDoubleArray(), base.narrow(0, 0, 5).toDoubleArray(), "bytes before the slice kept");
            }
        }
    }

    @Test
    void asyncCollectivesAreOrderedWithKernelsAndAwaited() {
        Tensor host = values(DType.FLOAT64, 4097);
        Tensor t = host.to(CUDA);
        Work w = Distributed.allReduceAsync(t, ReduceOp.SUM);
        t.mul_(3); // queued on the same stream after the collective
        w.await();
        assertTrue(w.isCompleted());
        assertArrayEquals(host.mul(3).toDoubleArray(), t.toDoubleArray());
        Work b = Distributed.barrierAsync();
        b.await();
        assertTrue(b.isCompleted());
        Distributed.barrier();
    }

    @Test
    void broadcastAllGatherReduceScatter() {
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32)) {
            Tensor host = values(dtype, 1001);
            Tensor t = host.to(CUDA);
            Distributed.broadcast(t, 0);
            assertArrayEquals(host.toDoubleArray(), t.toDoubleArray(), "broadcast " + dtype);
            assertThrows(IllegalArgumentException.class, () -> Distributed.broadcast(t, 1));

            Tensor rows = Torch.zeros(new long[] {3, 1001}, dtype).to(CUDA);
            Tensor out = rows.narrow(0, 1, 1).reshape(1001); // at a storage offset of one row
            Distributed.allGather(List.of(out), t);
            assertArrayEquals(host.toDoubleArray(), out.toDoubleArray(), "allGather " + dtype);
            assertArrayEquals(new double[2 * 1001], Torch.cat(List.of(rows.narrow(0, 0, 1), rows.narrow(0, 2, 1)), 0)
                    .reshape(2 * 1001).toDoubleArray(), "allGather wrote only its output");

            Tensor rs = Torch.zeros(new long[] {1001}, dtype).to(CUDA);
            Work w = Distributed.reduceScatterAsync(rs, List.of(host.reshape(7, 143).to(CUDA)));
            w.await();
            assertArrayEquals(host.toDoubleArray(), rs.toDoubleArray(), "reduceScatter " + dtype);
        }
    }

    @Test
    void badTensorsAreRefusedWithTheReason() {
        IllegalArgumentException cpu = assertThrows(IllegalArgumentException.class, () -> Distributed.allReduce(Torch.ones(4)));
        assertTrue(cpu.getMessage().contains("cpu") && cpu.getMessage().contains("mpi"), cpu.getMessage());
        Tensor nc = Torch.ones(3, 4).to(CUDA).t();
        IllegalArgumentException strided = assertThrows(IllegalArgumentException.class, () -> Distributed.allReduce(nc));
        assertTrue(strided.getMessage().contains("not contiguous"), strided.getMessage());
        Tensor int16 = Torch.ones(new long[] {4}, DType.INT16).to(CUDA); // a byte copy: no int16 kernel needed
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> Distributed.allReduce(int16));
        assertTrue(type.getMessage().contains("not supported by the NCCL process group"), type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Distributed.allGather(List.of(), Torch.ones(2).to(CUDA)));
    }

    @Test
    void destroyThenInitAgain() {
        Distributed.destroyProcessGroup();
        Distributed.initProcessGroup("nccl");
        Tensor host = values(DType.FLOAT32, 17);
        Tensor t = host.to(CUDA);
        Distributed.allReduce(t, ReduceOp.MAX);
        assertArrayEquals(host.toDoubleArray(), t.toDoubleArray());
        Distributed.destroyProcessGroup();
        assertThrows(IllegalStateException.class, () -> Distributed.allReduce(t));
        Distributed.initProcessGroup("nccl", 0, 1);
    }
}
