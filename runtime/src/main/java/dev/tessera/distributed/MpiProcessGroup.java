package dev.tessera.distributed;

import static dev.tessera.bindings.mpi.mpi_h.*;

import dev.tessera.DType;
import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.bindings.mpi.MpiLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Open MPI over MPI_COMM_WORLD. Collectives run in place on the tensors' own memory: the segment
 * address goes straight to MPI (MPI_IN_PLACE for all-reduce), nothing is copied.
 *
 * <p>Threading: a dedicated daemon thread runs the asynchronous collectives one after another in
 * submission order (so every rank issues them in the same order, as MPI requires, and compute
 * overlaps communication without relying on MPI's non-blocking progress, which Open MPI only
 * drives inside MPI calls). A blocking collective first waits for the queued ones and then calls
 * MPI on the caller's thread, saving the hand-off (10-20 us measured, several times a 4 KB
 * all-reduce). One lock serialises every MPI call, so Tessera's use is MPI_THREAD_SERIALIZED.
 *
 * <p>It nevertheless initialises MPI with MPI_THREAD_SINGLE by default: Open MPI 4.1 switches its
 * internal locking on for every level above SINGLE (ompi_mpi_init: {@code provided !=
 * MPI_THREAD_SINGLE} turns on {@code opal_using_threads}), which measured 0.8-1 us more per 4 KB
 * all-reduce from C as well (2.8 us against 3.7 us on 2 local ranks); Open MPI does not tie a
 * SINGLE process to the thread that initialised it, and the lock gives every call a
 * happens-before edge to the previous one. {@code -Dtessera.mpi.threadLevel=serialized} asks for
 * MPI_THREAD_SERIALIZED instead (for MPI builds that check); if MPI provides less, everything runs
 * on the dedicated thread (then it is MPI's "main" thread). When the application initialised MPI
 * itself, its level is respected the same way.
 */
final class MpiProcessGroup implements ProcessGroup {
    /** Elements per MPI call: counts are C ints, larger element-wise collectives go in chunks. */
    static final long MAX_CHUNK = 1L << 30;

    private static volatile boolean finalized;

    private final ExecutorService thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final boolean direct;
    private final int rank, size;
    private volatile CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
    private volatile boolean destroyed, finalizing;

    private MpiProcessGroup(ExecutorService thread, boolean direct, int rank, int size) {
        this.thread = thread;
        this.direct = direct;
        this.rank = rank;
        this.size = size;
    }

    static MpiProcessGroup create() {
        if (finalized) {
            throw new DistributedException("MPI cannot be initialised again in this process after destroyProcessGroup() "
                    + "(MPI_Finalize is final)");
        }
        MpiLibrary.lookup(); // one clear error when libmpi is missing
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tessera-mpi");
            t.setDaemon(true);
            return t;
        });
        try {
            int requested = requestedThreadLevel();
            int[] out = thread.submit(() -> initialise(requested)).get();
            boolean direct = out[0] >= MPI_THREAD_SERIALIZED() || (out[3] == 1 && requested == MPI_THREAD_SINGLE());
            return new MpiProcessGroup(thread, direct, out[1], out[2]);
        } catch (ExecutionException e) {
            thread.shutdown();
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new DistributedException("MPI initialisation failed: " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributedException("interrupted while initialising MPI", e);
        }
    }

    /** MPI_THREAD_SINGLE unless -Dtessera.mpi.threadLevel=serialized (see the class comment). */
    static int requestedThreadLevel() {
        String level = System.getProperty("tessera.mpi.threadLevel", "single");
        return switch (level) {
            case "single" -> MPI_THREAD_SINGLE();
            case "serialized" -> MPI_THREAD_SERIALIZED();
            default -> throw new DistributedException("-Dtessera.mpi.threadLevel=" + level + " is not a level Tessera uses: "
                    + "single (the default; calls are serialised by Tessera) or serialized");
        };
    }

    /** On the MPI thread: {provided thread level, rank, size, 1 if initialised here}. */
    private static int[] initialise(int requested) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment flag = a.allocate(ValueLayout.JAVA_INT);
            check(MPI_Initialized(flag), "MPI_Initialized");
            boolean here = flag.get(ValueLayout.JAVA_INT, 0) == 0;
            if (here) {
                MemorySegment provided = a.allocate(ValueLayout.JAVA_INT);
                check(MPI_Init_thread(MemorySegment.NULL, MemorySegment.NULL, requested, provided), "MPI_Init_thread");
            }
            MemorySegment provided = a.allocate(ValueLayout.JAVA_INT);
            check(MPI_Query_thread(provided), "MPI_Query_thread");
            // errors come back as codes (turned into exceptions) instead of aborting the job from inside MPI
            check(MPI_Comm_set_errhandler(MPI_COMM_WORLD(), MPI_ERRORS_RETURN()), "MPI_Comm_set_errhandler");
            MemorySegment r = a.allocate(ValueLayout.JAVA_INT), s = a.allocate(ValueLayout.JAVA_INT);
            check(MPI_Comm_rank(MPI_COMM_WORLD(), r), "MPI_Comm_rank");
            check(MPI_Comm_size(MPI_COMM_WORLD(), s), "MPI_Comm_size");
            return new int[] {provided.get(ValueLayout.JAVA_INT, 0), r.get(ValueLayout.JAVA_INT, 0), s.get(ValueLayout.JAVA_INT, 0),
                    here ? 1 : 0};
        }
    }

    @Override public String backend() { return "mpi"; }

    @Override public int rank() { return rank; }

    @Override public int size() { return size; }

    /** Whether blocking collectives run on the caller's thread (MPI provided MPI_THREAD_SERIALIZED or more). */
    boolean runsOnCaller() { return direct; }

    // ---- collectives ---------------------------------------------------------------------------

    @Override
    public Work allReduce(Tensor t, ReduceOp op, boolean async) {
        MemorySegment buf = buffer(t, "allReduce");
        MemorySegment type = datatype(t.dtype(), "allReduce");
        if (op == ReduceOp.AVG && !t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("allReduce: ReduceOp.AVG needs a floating-point tensor, got " + t.dtype()
                    + " (an integer average would have to round; use SUM and divide)");
        }
        MemorySegment mpiOp = switch (op) {
            case SUM, AVG -> MPI_SUM();
            case MAX -> MPI_MAX();
            case MIN -> MPI_MIN();
        };
        long n = t.numel(), item = t.dtype().byteSize();
        return run(async, () -> {
            long done = 0;
            do {
                int count = (int) Math.min(MAX_CHUNK, n - done);
                check(MPI_Allreduce(MPI_IN_PLACE(), buf.asSlice(done * item, count * item), count, type, mpiOp, MPI_COMM_WORLD()),
                        "MPI_Allreduce");
                done += count;
            } while (done < n);
            if (op == ReduceOp.AVG && n > 0) {
                try (NoGrad g = Torch.noGrad()) {
                    t.div_(size);
                }
            }
        });
    }

    @Override
    public Work broadcast(Tensor t, int src, boolean async) {
        if (src < 0 || src >= size) throw new IllegalArgumentException("broadcast: src rank " + src + " is outside [0, " + size + ")");
        MemorySegment buf = buffer(t, "broadcast");
        MemorySegment type = datatype(t.dtype(), "broadcast");
        long n = t.numel(), item = t.dtype().byteSize();
        return run(async, () -> {
            long done = 0;
            do {
                int count = (int) Math.min(MAX_CHUNK, n - done);
                check(MPI_Bcast(buf.asSlice(done * item, count * item), count, type, src, MPI_COMM_WORLD()), "MPI_Bcast");
                done += count;
            } while (done < n);
        });
    }

    /**
     * Gathers into one contiguous staging tensor when the outputs are not consecutive slices of one
     * buffer; MPI_Allgather needs a single receive buffer.
     */
    @Override
    public Work allGather(List<Tensor> out, Tensor in, boolean async) {
        if (out.size() != size) {
            throw new IllegalArgumentException("allGather: the output list has " + out.size() + " tensors, the world size is " + size);
        }
        MemorySegment send = buffer(in, "allGather");
        MemorySegment type = datatype(in.dtype(), "allGather");
        for (int i = 0; i < out.size(); i++) {
            Tensor o = out.get(i);
            if (o.dtype() != in.dtype() || o.numel() != in.numel()) {
                throw new IllegalArgumentException("allGather: output " + i + " is " + o.dtype() + " " + o.shape() + ", the input is "
                        + in.dtype() + " " + in.shape() + " (every output must match the input)");
            }
            buffer(o, "allGather output " + i);
        }
        int count = countOf(in.numel(), "allGather");
        Tensor staging = Torch.empty(new long[] {(long) size * in.numel()}, in.dtype());
        MemorySegment recv = buffer(staging, "allGather");
        return run(async, () -> {
            check(MPI_Allgather(send, count, type, recv, count, type, MPI_COMM_WORLD()), "MPI_Allgather");
            for (int i = 0; i < size; i++) {
                Tensor o = out.get(i);
                MemorySegment.copy(recv, (long) i * send.byteSize(), o.storage().segment(), o.storageOffset() * o.dtype().byteSize(),
                        send.byteSize());
            }
        });
    }

    @Override
    public Work reduceScatter(Tensor out, List<Tensor> in, boolean async) {
        if (in.size() != size) {
            throw new IllegalArgumentException("reduceScatter: the input list has " + in.size() + " tensors, the world size is " + size);
        }
        MemorySegment recv = buffer(out, "reduceScatter");
        MemorySegment type = datatype(out.dtype(), "reduceScatter");
        for (int i = 0; i < in.size(); i++) {
            Tensor t = in.get(i);
            if (t.dtype() != out.dtype() || t.numel() != out.numel()) {
                throw new IllegalArgumentException("reduceScatter: input " + i + " is " + t.dtype() + " " + t.shape() + ", the output is "
                        + out.dtype() + " " + out.shape() + " (every input must match the output)");
            }
            buffer(t, "reduceScatter input " + i);
        }
        int count = countOf(out.numel(), "reduceScatter");
        Tensor staging = Torch.empty(new long[] {(long) size * out.numel()}, out.dtype());
        MemorySegment send = buffer(staging, "reduceScatter");
        long bytes = recv.byteSize();
        for (int i = 0; i < size; i++) {
            Tensor t = in.get(i);
            MemorySegment.copy(t.storage().segment(), t.storageOffset() * t.dtype().byteSize(), send, i * bytes, bytes);
        }
        return run(async, () -> check(MPI_Reduce_scatter_block(send, recv, count, type, MPI_SUM(), MPI_COMM_WORLD()),
                "MPI_Reduce_scatter_block"));
    }

    @Override
    public Work barrier(boolean async) {
        return run(async, () -> check(MPI_Barrier(MPI_COMM_WORLD()), "MPI_Barrier"));
    }

    @Override
    public void abort(int errorCode) {
        // deliberately without the lock: the MPI thread may be blocked in a collective with a dead peer
        MPI_Abort(MPI_COMM_WORLD(), errorCode);
    }

    @Override
    public synchronized void destroy() {
        if (destroyed) return;
        destroyed = true;
        finalizing = true;
        try {
            submit(() -> {
                check(MPI_Barrier(MPI_COMM_WORLD()), "MPI_Barrier");
                check(MPI_Finalize(), "MPI_Finalize");
            }).await();
        } finally {
            finalized = true;
            thread.shutdown();
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private interface MpiCall {
        void run();
    }

    /** Queues a call on the MPI thread, after every earlier one. */
    private synchronized Work submit(MpiCall call) {
        if (destroyed && !finalizing) throw new DistributedException("the MPI process group has been destroyed");
        CompletableFuture<Void> f = new CompletableFuture<>();
        thread.execute(() -> {
            lock.lock();
            try {
                call.run();
                f.complete(null);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            } finally {
                lock.unlock();
            }
        });
        last = f;
        return new FutureWork(f, rank);
    }

    /**
     * Runs a collective: queued on the MPI thread when async (or when MPI only allows that thread);
     * otherwise, after every queued one has finished, on the caller's thread.
     */
    private Work run(boolean async, MpiCall call) {
        if (async || !direct) {
            Work w = submit(call);
            if (!async) w.await();
            return w;
        }
        if (destroyed) throw new DistributedException("the MPI process group has been destroyed");
        CompletableFuture<Void> pending = last;
        if (!pending.isDone()) new FutureWork(pending, rank).await();
        lock.lock();
        try {
            call.run();
        } finally {
            lock.unlock();
        }
        return DONE;
    }

    private static final Work DONE = new FutureWork(CompletableFuture.completedFuture(null), -1);

    private record FutureWork(CompletableFuture<Void> future, int rank) implements Work {
        @Override
        public void await() {
            try {
                future.get();
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof DistributedException d) throw new DistributedException(d.getMessage(), d);
                throw new DistributedException("collective failed on rank " + rank + ": " + c, c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DistributedException("interrupted while waiting for a collective on rank " + rank, e);
            }
        }

        @Override
        public boolean isCompleted() { return future.isDone(); }
    }

    /** The tensor's bytes as MPI will read and write them, after checking device, layout and dtype. */
    static MemorySegment buffer(Tensor t, String what) {
        if (!t.device().isCpu()) {
            throw new IllegalArgumentException(what + ": the MPI process group takes CPU tensors, got a tensor on " + t.device()
                    + " (CUDA tensors need the nccl backend)");
        }
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(what + ": tensor of shape " + t.shape() + " with strides " + java.util.Arrays.toString(
                    t.stride()) + " is not contiguous; collectives work in place on contiguous memory (call .contiguous() and copy back)");
        }
        MemorySegment seg = t.storage().segment();
        if (!seg.isNative()) throw new IllegalArgumentException(what + ": the tensor's memory is on the Java heap; MPI needs native memory");
        long item = t.dtype().byteSize();
        return seg.asSlice(t.storageOffset() * item, t.numel() * item);
    }

    static MemorySegment datatype(DType d, String what) {
        return switch (d) {
            case FLOAT32 -> MPI_FLOAT();
            case FLOAT64 -> MPI_DOUBLE();
            case INT64 -> MPI_INT64_T();
            case INT32 -> MPI_INT32_T();
            default -> throw new IllegalArgumentException(what + ": dtype " + d + " is not supported by the MPI process group "
                    + "(float32, float64, int64, int32)");
        };
    }

    private static int countOf(long n, String what) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": " + n + " elements per rank exceed MPI's int count (" + Integer.MAX_VALUE + ")");
        }
        return (int) n;
    }

    static void check(int rc, String call) {
        if (rc == MPI_SUCCESS()) return;
        String text;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(MPI_MAX_ERROR_STRING());
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            text = MPI_Error_string(rc, s, len) == MPI_SUCCESS() ? s.getString(0) : "unknown MPI error";
        }
        throw new DistributedException(call + " failed with error " + rc + ": " + text);
    }
}
