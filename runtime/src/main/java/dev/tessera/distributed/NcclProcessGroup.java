package dev.tessera.distributed;

import dev.tessera.Tensor;
import java.util.List;

/**
 * The NCCL process group for CUDA tensors. It stands behind the same {@link ProcessGroup}
 * interface as MPI so that it can be filled in once Tessera has CUDA tensors; until then creating
 * it fails with what is missing.
 */
final class NcclProcessGroup implements ProcessGroup {
    private NcclProcessGroup() {}

    static ProcessGroup create(int rank, int worldSize) {
        throw new UnsupportedOperationException("the NCCL process group needs CUDA tensors, which Tessera does not have yet: missing "
                + "the CUDA tensor backend (device memory, streams) and the NCCL bindings (ncclCommInitRank, ncclAllReduce, ...); use "
                + "initProcessGroup(\"mpi\") for CPU tensors");
    }

    @Override public String backend() { return "nccl"; }
    @Override public int rank() { throw unavailable(); }
    @Override public int size() { throw unavailable(); }
    @Override public Work allReduce(Tensor t, ReduceOp op, boolean async) { throw unavailable(); }
    @Override public Work broadcast(Tensor t, int src, boolean async) { throw unavailable(); }
    @Override public Work allGather(List<Tensor> out, Tensor in, boolean async) { throw unavailable(); }
    @Override public Work reduceScatter(Tensor out, List<Tensor> in, boolean async) { throw unavailable(); }
    @Override public Work barrier(boolean async) { throw unavailable(); }
    @Override public void abort(int errorCode) { throw unavailable(); }
    @Override public void destroy() {}

    private static UnsupportedOperationException unavailable() {
        return new UnsupportedOperationException("the NCCL process group is not implemented (needs CUDA tensors)");
    }
}
