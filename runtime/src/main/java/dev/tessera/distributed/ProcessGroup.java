package dev.tessera.distributed;

import dev.tessera.Tensor;
import java.util.List;

/**
 * One communication backend over a fixed set of ranks (torch.distributed's ProcessGroup). Every
 * collective is asynchronous here; the facade's blocking forms await the returned {@link Work}.
 * Collectives must be issued in the same order on every rank.
 */
public interface ProcessGroup {
    String backend();

    int rank();

    int size();

    Work allReduce(Tensor t, ReduceOp op, boolean async);

    Work broadcast(Tensor t, int src, boolean async);

    Work allGather(List<Tensor> out, Tensor in, boolean async);

    Work reduceScatter(Tensor out, List<Tensor> in, boolean async);

    Work barrier(boolean async);

    /** Aborts every rank (after a local failure, so that the others do not wait forever). */
    void abort(int errorCode);

    void destroy();
}
