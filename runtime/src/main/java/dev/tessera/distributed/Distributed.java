package dev.tessera.distributed;

import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.util.List;

/**
 * torch.distributed: one process group per process, created by {@link #initProcessGroup}.
 *
 * <p>Launch with {@code scripts/launch -n N MainClass} (mpirun): rank and world size come from MPI
 * (Open MPI also exports them as OMPI_COMM_WORLD_RANK / OMPI_COMM_WORLD_SIZE). When the group is
 * created, an uncaught exception on any thread aborts the whole job (MPI_Abort) after printing it,
 * so the other ranks stop instead of waiting forever in a collective for a rank that is gone.
 * Call {@link #destroyProcessGroup()} before the process ends: Open MPI treats a rank that exits
 * without finalising as a failure and stops the job.
 */
public final class Distributed {
    private static volatile ProcessGroup group;

    private Distributed() {}

    /** Creates the process group for {@code backend} ("mpi" or "nccl"), rank and world size from the launcher. */
    public static synchronized void initProcessGroup(String backend) { initProcessGroup(backend, -1, -1); }

    /**
     * As {@link #initProcessGroup(String)}, checking the given rank and world size (-1: not given)
     * against what the launcher started, since MPI itself decides them.
     */
    public static synchronized void initProcessGroup(String backend, int rank, int worldSize) {
        if (group != null) {
            throw new IllegalStateException("trying to initialize the default process group twice (call destroyProcessGroup() first)");
        }
        ProcessGroup g = switch (backend) {
            case "mpi" -> MpiProcessGroup.create();
            case "nccl" -> NcclProcessGroup.create(rank, worldSize);
            default -> throw new IllegalArgumentException("unknown backend '" + backend + "': expected \"mpi\" or \"nccl\"");
        };
        if ((rank >= 0 && rank != g.rank()) || (worldSize >= 0 && worldSize != g.size())) {
            throw new IllegalArgumentException("initProcessGroup: given rank " + rank + " of world size " + worldSize
                    + ", but the launcher started this process as rank " + g.rank() + " of " + g.size());
        }
        applyThreadCount();
        installAbortOnUncaughtException(g);
        group = g;
    }

    /**
     * Installs a group of another backend as the default group (what torch.distributed's
     * Backend.register_backend enables): an in-process group for tests, or a transport Tessera
     * does not ship. No uncaught-exception abort is installed; the group's launcher owns failures.
     */
    public static synchronized void initProcessGroup(ProcessGroup custom) {
        java.util.Objects.requireNonNull(custom, "process group");
        if (group != null) {
            throw new IllegalStateException("trying to initialize the default process group twice (call destroyProcessGroup() first)");
        }
        group = custom;
    }

    /** TESSERA_NUM_THREADS (set by scripts/launch to cores / ranks per host) sets the compute threads of this rank. */
    private static void applyThreadCount() {
        String n = System.getenv("TESSERA_NUM_THREADS");
        if (n == null || n.isBlank()) return;
        try {
            Torch.setNumThreads(Integer.parseInt(n.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("TESSERA_NUM_THREADS must be a positive integer, got '" + n + "'");
        }
    }

    private static void installAbortOnUncaughtException(ProcessGroup g) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            System.err.println("rank " + g.rank() + ": uncaught exception in thread \"" + t.getName() + "\"; aborting all "
                    + g.size() + " ranks (MPI_Abort)");
            e.printStackTrace();
            System.err.flush();
            if (previous != null && previous != Thread.getDefaultUncaughtExceptionHandler()) previous.uncaughtException(t, e);
            if (group == g) g.abort(1);
        });
    }

    public static boolean isInitialized() { return group != null; }

    public static int rank() { return require().rank(); }

    public static int worldSize() { return require().size(); }

    /** The backend name of the current group ("mpi" or "nccl"). */
    public static String backend() { return require().backend(); }

    /** In place: every rank's tensor becomes the element-wise sum over ranks. */
    public static void allReduce(Tensor t) { allReduce(t, ReduceOp.SUM); }

    public static void allReduce(Tensor t, ReduceOp op) { written(require().allReduce(t, op, false), t); }

    public static Work allReduceAsync(Tensor t) { return allReduceAsync(t, ReduceOp.SUM); }

    public static Work allReduceAsync(Tensor t, ReduceOp op) { return written(require().allReduce(t, op, true), t); }

    /** In place: every rank's tensor becomes rank {@code src}'s. */
    public static void broadcast(Tensor t, int src) { written(require().broadcast(t, src, false), t); }

    public static Work broadcastAsync(Tensor t, int src) { return written(require().broadcast(t, src, true), t); }

    /** out.get(i) receives rank i's {@code t}; the list has one tensor per rank, each shaped like {@code t}. */
    public static void allGather(List<Tensor> out, Tensor t) { written(require().allGather(out, t, false), out.toArray(Tensor[]::new)); }

    public static Work allGatherAsync(List<Tensor> out, Tensor t) {
        return written(require().allGather(out, t, true), out.toArray(Tensor[]::new));
    }

    /** out receives the sum over ranks of every rank's {@code in.get(rank())}. */
    public static void reduceScatter(Tensor out, List<Tensor> in) { written(require().reduceScatter(out, in, false), out); }

    public static Work reduceScatterAsync(Tensor out, List<Tensor> in) { return written(require().reduceScatter(out, in, true), out); }

    /**
     * A collective wrote {@code outputs} in place (an asynchronous one: is writing them): their
     * version moves as after any in-place op, so that autograd's saved-tensor checks and the
     * caches keyed by version (inference's blocked convolution weights) see the change. As in
     * PyTorch, whose c10d collectives are in-place dispatcher ops. The contents are defined once
     * the work completes.
     */
    private static Work written(Work work, Tensor... outputs) {
        for (Tensor t : outputs) t.storage().bumpVersion();
        return work;
    }

    public static void barrier() { require().barrier(false); }

    public static Work barrierAsync() { return require().barrier(true); }

    /** Waits for every rank, then releases the group (MPI_Finalize; MPI cannot be initialised again afterwards). */
    public static synchronized void destroyProcessGroup() {
        ProcessGroup g = require();
        group = null;
        g.destroy();
    }

    /** The current group, for layers built on it (DistributedDataParallel, SyncBatchNorm). */
    public static ProcessGroup group() { return require(); }

    private static ProcessGroup require() {
        ProcessGroup g = group;
        if (g == null) {
            throw new IllegalStateException("Default process group has not been initialized, please make sure to call "
                    + "Distributed.initProcessGroup(\"mpi\")");
        }
        return g;
    }
}
