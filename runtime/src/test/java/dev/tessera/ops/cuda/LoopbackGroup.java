package dev.tessera.ops.cuda;

import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.distributed.ProcessGroup;
import dev.tessera.distributed.ReduceOp;
import dev.tessera.distributed.Work;
import java.util.ArrayList;
import java.util.List;

/**
 * A two-rank process group in one process whose other rank mirrors this one (same data, same
 * model): SUM doubles, AVG, MAX, MIN and broadcast keep the values, allGather repeats the input.
 * It refuses tensors off its device and records every collective, so DistributedDataParallel and
 * SyncBatchNorm run their multi-rank paths on a device without NCCL, and a test sees that they
 * never stage through host memory. Training with it equals training alone up to rounding (the
 * doubling and halving are exact).
 */
final class LoopbackGroup implements ProcessGroup {
    private static final Work DONE = new Work() {
        @Override public void await() {}

        @Override public boolean isCompleted() { return true; }
    };

    final Device device;
    final List<String> calls = new ArrayList<>();

    LoopbackGroup(Device device) { this.device = device; }

    private void check(String what, Tensor t) {
        if (!t.device().equals(device)) throw new IllegalArgumentException(what + " got a tensor on " + t.device() + ", not " + device);
        if (!t.isContiguous()) throw new IllegalArgumentException(what + " got a non-contiguous tensor");
        calls.add(what);
    }

    @Override public String backend() { return "loopback"; }

    @Override public int rank() { return 0; }

    @Override public int size() { return 2; }

    @Override
    public Work allReduce(Tensor t, ReduceOp op, boolean async) {
        check("allReduce", t);
        if (op == ReduceOp.SUM) {
            try (var g = dev.tessera.Torch.noGrad()) {
                t.mul_(2);
            }
        }
        return DONE;
    }

    @Override
    public Work broadcast(Tensor t, int src, boolean async) {
        check("broadcast", t);
        return DONE;
    }

    @Override
    public Work allGather(List<Tensor> out, Tensor in, boolean async) {
        check("allGather", in);
        for (Tensor o : out) o.copy_(in);
        return DONE;
    }

    @Override
    public Work reduceScatter(Tensor out, List<Tensor> in, boolean async) {
        check("reduceScatter", out);
        out.copy_(in.get(0)).mul_(2);
        return DONE;
    }

    @Override public Work barrier(boolean async) { return DONE; }

    @Override public void abort(int errorCode) { throw new IllegalStateException("loopback group aborted with " + errorCode); }

    @Override public void destroy() {}
}
