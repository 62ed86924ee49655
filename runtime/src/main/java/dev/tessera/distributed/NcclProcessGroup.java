package dev.tessera.distributed;

import static dev.tessera.bindings.nccl.nccl_h.*;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.bindings.cuda.CudaErrors;
import dev.tessera.bindings.cuda.CudaException;
import dev.tessera.bindings.cuda.CudaLibraries;
import dev.tessera.bindings.cuda.CudaLibrary;
import dev.tessera.bindings.cuda.CudaLibraryException;
import dev.tessera.bindings.mpi.mpi_h;
import dev.tessera.bindings.nccl.ncclUniqueId;
import dev.tessera.ops.Dispatcher;
import dev.tessera.ops.cuda.CudaBackend;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/**
 * NCCL over the CUDA tensors of one device per process (cuda:0; on a host with several GPUs give
 * each rank its own with CUDA_VISIBLE_DEVICES). Collectives run in place on the tensors' device
 * memory and are queued on the CUDA backend's one stream, so they are ordered with every kernel
 * before and after them without extra synchronisation; {@link Work#await()} synchronises that
 * stream and then asks NCCL for an asynchronous error. Calls on the communicator are serialised
 * (NCCL communicators are not thread-safe), and every rank must issue them in the same order.
 */
final class NcclProcessGroup implements ProcessGroup {
    /** ncclAvg exists from NCCL 2.10 (version code 21000); older libraries get SUM then a division. */
    private static final int AVG_VERSION = 21000;

    private final int rank, size;
    private final CudaBackend backend;
    private final MemorySegment comm;
    private final NcclBootstrap bootstrap;
    private final boolean hasAvg;
    private final Tensor barrierScratch;
    private boolean destroyed;
    /** Set once ncclCommDestroy ran: a Work awaited later must not touch the communicator. */
    private volatile boolean commFreed;

    private NcclProcessGroup(int rank, int size, CudaBackend backend, MemorySegment comm, NcclBootstrap bootstrap, boolean hasAvg) {
        this.rank = rank;
        this.size = size;
        this.backend = backend;
        this.comm = comm;
        this.bootstrap = bootstrap;
        this.hasAvg = hasAvg;
        this.barrierScratch = Torch.empty(new long[] {1}, DType.FLOAT32, backend.device());
    }

    /** rank / worldSize: -1 when not given (then Open MPI's launcher environment, else a one-rank group). */
    static ProcessGroup create(int givenRank, int givenWorldSize) {
        CudaLibraries.Status cuda = CudaLibraries.status();
        if (!cuda.available()) {
            throw new UnsupportedOperationException("initProcessGroup(\"nccl\") needs a CUDA device, and CUDA is unavailable here: "
                    + cuda.reason() + " (use initProcessGroup(\"mpi\") for CPU tensors)");
        }
        try {
            CudaLibraries.lookup(CudaLibrary.NCCL);
        } catch (CudaLibraryException e) {
            throw new UnsupportedOperationException("initProcessGroup(\"nccl\"): libnccl not found: " + e.getMessage()
                    + " (install NCCL with the CUDA toolkit or Python's nvidia-nccl wheel)", e);
        }
        int worldSize = launcherValue("OMPI_COMM_WORLD_SIZE", givenWorldSize, 1);
        int rank = launcherValue("OMPI_COMM_WORLD_RANK", givenRank, 0);
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("initProcessGroup(\"nccl\"): rank " + rank + " is outside world size " + worldSize);
        }
        if (!(Dispatcher.backend(Device.CUDA) instanceof CudaBackend backend)) {
            throw new UnsupportedOperationException("initProcessGroup(\"nccl\"): the cuda device's backend is not the CUDA backend");
        }
        if (backend.streamOnCallingThread() == null) {
            throw new UnsupportedOperationException("initProcessGroup(\"nccl\"): the CUDA backend does not run on the CUDA driver here");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment version = a.allocate(ValueLayout.JAVA_INT);
            CudaErrors.checkNccl(ncclGetVersion(version), "ncclGetVersion");
            MemorySegment id = a.allocate(ncclUniqueId.layout());
            NcclBootstrap bootstrap = NcclBootstrap.exchange(id, rank, worldSize);
            MemorySegment p = a.allocate(ValueLayout.ADDRESS);
            try {
                backend.streamOnCallingThread(); // NCCL takes the device from the calling thread's current context
                CudaErrors.checkNccl(ncclCommInitRank(p, worldSize, id, rank), "ncclCommInitRank(rank " + rank + " of " + worldSize + ")");
            } catch (CudaException e) {
                bootstrap.close();
                throw new DistributedException("initProcessGroup(\"nccl\"): " + e.getMessage(), e);
            }
            MemorySegment comm = p.get(ValueLayout.ADDRESS, 0);
            try {
                return new NcclProcessGroup(rank, worldSize, backend, comm, bootstrap, version.get(ValueLayout.JAVA_INT, 0) >= AVG_VERSION);
            } catch (RuntimeException e) {
                ncclCommDestroy(comm); // already failing: the first error is the one to report
                bootstrap.close();
                throw e;
            }
        }
    }

    private static int launcherValue(String env, int given, int fallback) {
        String s = System.getenv(env);
        if (s == null || s.isBlank()) return given >= 0 ? given : fallback;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(env + " must be an integer, got '" + s + "'");
        }
    }

    @Override public String backend() { return "nccl"; }

    @Override public int rank() { return rank; }

    @Override public int size() { return size; }

    // ---- collectives ---------------------------------------------------------------------------

    @Override
    public synchronized Work allReduce(Tensor t, ReduceOp op, boolean async) {
        long buf = address(t, "allReduce");
        int type = datatype(t.dtype(), "allReduce");
        if (op == ReduceOp.AVG && !t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("allReduce: ReduceOp.AVG needs a floating-point tensor, got " + t.dtype()
                    + " (an integer average would have to round; use SUM and divide)");
        }
        boolean divide = op == ReduceOp.AVG && !hasAvg;
        int ncclOp = switch (op) {
            case SUM -> ncclSum();
            case AVG -> hasAvg ? ncclAvg() : ncclSum();
            case MAX -> ncclMax();
            case MIN -> ncclMin();
        };
        long n = t.numel();
        if (n > 0) {
            MemorySegment stream = stream();
            call(ncclAllReduce(ptr(buf), ptr(buf), n, type, ncclOp, comm, stream), "ncclAllReduce(" + n + " x " + t.dtype() + ")");
            if (divide) {
                try (NoGrad g = Torch.noGrad()) {
                    t.div_(size); // queued on the same stream, after the sum
                }
            }
        }
        return finish(async);
    }

    @Override
    public synchronized Work broadcast(Tensor t, int src, boolean async) {
        if (src < 0 || src >= size) throw new IllegalArgumentException("broadcast: src rank " + src + " is outside [0, " + size + ")");
        long buf = address(t, "broadcast");
        int type = datatype(t.dtype(), "broadcast");
        long n = t.numel();
        if (n > 0) call(ncclBroadcast(ptr(buf), ptr(buf), n, type, src, comm, stream()), "ncclBroadcast(" + n + " x " + t.dtype() + ")");
        return finish(async);
    }

    /** One broadcast per rank inside an NCCL group: each output receives its rank's input in place, no staging buffer. */
    @Override
    public synchronized Work allGather(List<Tensor> out, Tensor in, boolean async) {
        if (out.size() != size) {
            throw new IllegalArgumentException("allGather: the output list has " + out.size() + " tensors, the world size is " + size);
        }
        long send = address(in, "allGather");
        int type = datatype(in.dtype(), "allGather");
        long[] recv = new long[size];
        for (int i = 0; i < size; i++) {
            Tensor o = out.get(i);
            if (o.dtype() != in.dtype() || o.numel() != in.numel()) {
                throw new IllegalArgumentException("allGather: output " + i + " is " + o.dtype() + " " + o.shape() + ", the input is "
                        + in.dtype() + " " + in.shape() + " (every output must match the input)");
            }
            recv[i] = address(o, "allGather output " + i);
        }
        long n = in.numel();
        if (n > 0) {
            MemorySegment stream = stream();
            call(ncclGroupStart(), "ncclGroupStart");
            int failed = 0;
            String what = null;
            for (int i = 0; i < size && failed == 0; i++) {
                failed = ncclBroadcast(ptr(send), ptr(recv[i]), n, type, i, comm, stream);
                what = "ncclBroadcast(root " + i + ", " + n + " x " + in.dtype() + ") in allGather";
            }
            int end = ncclGroupEnd(); // always closes the group, even after a failed enqueue
            call(failed, what);
            call(end, "ncclGroupEnd (allGather)");
        }
        return finish(async);
    }

    /** The inputs are copied (on the stream) into one contiguous staging tensor, as ncclReduceScatter reads a single buffer. */
    @Override
    public synchronized Work reduceScatter(Tensor out, List<Tensor> in, boolean async) {
        if (in.size() != size) {
            throw new IllegalArgumentException("reduceScatter: the input list has " + in.size() + " tensors, the world size is " + size);
        }
        long recv = address(out, "reduceScatter");
        int type = datatype(out.dtype(), "reduceScatter");
        for (int i = 0; i < size; i++) {
            Tensor t = in.get(i);
            if (t.dtype() != out.dtype() || t.numel() != out.numel()) {
                throw new IllegalArgumentException("reduceScatter: input " + i + " is " + t.dtype() + " " + t.shape() + ", the output is "
                        + out.dtype() + " " + out.shape() + " (every input must match the output)");
            }
            checkDevice(t, "reduceScatter input " + i);
        }
        long n = out.numel();
        if (n > 0) {
            // freed to the caching allocator afterwards: safe, as any reuse is queued behind the collective on the same stream
            Tensor staging = Torch.empty(new long[] {size * n}, out.dtype(), backend.device());
            try (NoGrad g = Torch.noGrad()) {
                for (int i = 0; i < size; i++) staging.narrow(0, i * n, n).copy_(in.get(i).reshape(n));
            }
            call(ncclReduceScatter(ptr(address(staging, "reduceScatter staging")), ptr(recv), n, type, ncclSum(), comm, stream()),
                    "ncclReduceScatter(" + n + " x " + out.dtype() + " per rank)");
        }
        return finish(async);
    }

    /** A one-element all-reduce: it completes on a rank only once every rank has joined it. */
    @Override
    public synchronized Work barrier(boolean async) {
        long buf = address(barrierScratch, "barrier");
        call(ncclAllReduce(ptr(buf), ptr(buf), 1, ncclFloat32(), ncclSum(), comm, stream()), "ncclAllReduce (barrier)");
        return finish(async);
    }

    /**
     * No ncclCommAbort is bound: when MPI shared the id (scripts/launch) MPI_Abort stops every rank; otherwise
     * this process halts, and the other ranks' NCCL calls fail with a remote error.
     */
    @Override
    public void abort(int errorCode) {
        if (size > 1 && NcclBootstrap.underOpenMpi()) mpi_h.MPI_Abort(mpi_h.MPI_COMM_WORLD(), errorCode);
        Runtime.getRuntime().halt(errorCode);
    }

    @Override
    public synchronized void destroy() {
        if (destroyed) return;
        destroyed = true;
        try {
            synchronise();
        } finally {
            backend.streamOnCallingThread(); // the communicator's device context on this thread
            try {
                commFreed = true;
                CudaErrors.checkNccl(ncclCommDestroy(comm), "ncclCommDestroy");
            } finally {
                bootstrap.close();
            }
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private MemorySegment stream() {
        if (destroyed) throw new DistributedException("the NCCL process group has been destroyed");
        return backend.streamOnCallingThread();
    }

    private Work finish(boolean async) {
        Work w = new StreamWork();
        if (!async) w.await();
        return w;
    }

    /** Waits for the stream (and so for every collective queued before), then checks the communicator. */
    private synchronized void synchronise() {
        try {
            backend.synchronize();
            if (commFreed) return; // destroy() already waited for everything and checked the communicator
            try (Arena a = Arena.ofConfined()) {
                MemorySegment err = a.allocate(ValueLayout.JAVA_INT);
                CudaErrors.checkNccl(ncclCommGetAsyncError(comm, err), "ncclCommGetAsyncError");
                CudaErrors.checkNccl(err.get(ValueLayout.JAVA_INT, 0), "an NCCL collective on rank " + rank + " (asynchronous error)");
            }
        } catch (CudaException e) {
            throw new DistributedException("collective failed on rank " + rank + ": " + e.getMessage(), e);
        }
    }

    /**
     * A queued collective. Without a stream query bound, completion is only known by waiting:
     * {@link #isCompleted()} turns true once {@link #await()} has returned.
     */
    private final class StreamWork implements Work {
        private volatile boolean done;

        @Override
        public void await() {
            if (done) return;
            synchronise();
            done = true;
        }

        @Override
        public boolean isCompleted() { return done; }
    }

    private void call(int result, String op) {
        try {
            CudaErrors.checkNccl(result, op);
        } catch (CudaException e) {
            throw new DistributedException("rank " + rank + ": " + e.getMessage(), e);
        }
    }

    private static MemorySegment ptr(long address) { return MemorySegment.ofAddress(address); }

    private void checkDevice(Tensor t, String what) {
        if (!t.device().equals(backend.device())) {
            throw new IllegalArgumentException(what + ": the NCCL process group takes tensors on " + backend.device() + ", got a tensor on "
                    + t.device() + (t.device().isCpu() ? " (CPU tensors need the mpi backend, or .to(\"cuda\"))" : ""));
        }
    }

    /** The device address of the tensor's first element, after checking device and layout. */
    private long address(Tensor t, String what) {
        checkDevice(t, what);
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(what + ": tensor of shape " + t.shape() + " with strides " + Arrays.toString(t.stride())
                    + " is not contiguous; collectives work in place on contiguous memory (call .contiguous() and copy back)");
        }
        return t.storage().segment().address() + t.storageOffset() * t.dtype().byteSize();
    }

    static int datatype(DType d, String what) {
        return switch (d) {
            case FLOAT32 -> ncclFloat32();
            case FLOAT64 -> ncclFloat64();
            case INT64 -> ncclInt64();
            case INT32 -> ncclInt32();
            default -> throw new IllegalArgumentException(what + ": dtype " + d + " is not supported by the NCCL process group "
                    + "(float32, float64, int64, int32)");
        };
    }
}
