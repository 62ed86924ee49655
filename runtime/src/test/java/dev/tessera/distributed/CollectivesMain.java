package dev.tessera.distributed;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs on every rank under mpirun: each collective for float32/float64/int64 at sizes 0, 1, odd
 * and a few thousand, blocking and async, with exact expected values computed locally from the
 * formula every rank uses for its input. Prints "rank R OK ..." per check group; any mismatch throws.
 */
public final class CollectivesMain {
    private static int rank, size;

    public static void main(String[] args) {
        Distributed.initProcessGroup("mpi");
        rank = Distributed.rank();
        size = Distributed.worldSize();
        if (args.length > 0 && args[0].equals("large")) {
            large(Long.parseLong(args[1]));
        } else {
            for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32}) {
                for (long n : new long[] {0, 1, 7, 4099}) {
                    for (boolean async : new boolean[] {false, true}) {
                        allReduce(d, n, async);
                        broadcast(d, n, async);
                        allGather(d, n, async);
                        reduceScatter(d, n, async);
                    }
                }
            }
            queuedAsyncThenBlocking();
            misuse();
            Distributed.barrier();
            Distributed.barrierAsync().await();
        }
        System.out.println("rank " + rank + " OK all");
        Distributed.destroyProcessGroup();
    }

    /** Rank r's input element i: distinct per rank, exactly representable in every dtype (and halves in floats). */
    static double value(int r, long i, DType d) {
        double v = (i % 101) * (r + 1) - 37 * r + (i % 3 == 0 ? -1000 : 0);
        return d.isFloatingPoint() ? v + 0.5 * r : v;
    }

    static Tensor input(int r, long n, DType d) {
        Tensor t = Torch.empty(new long[] {n}, d);
        for (long i = 0; i < n; i++) set(t, i, value(r, i, d));
        return t;
    }

    static void set(Tensor t, long i, double v) {
        MemorySegment s = t.storage().segment();
        long off = (t.storageOffset() + i) * t.dtype().byteSize();
        switch (t.dtype()) {
            case FLOAT32 -> s.set(ValueLayout.JAVA_FLOAT, off, (float) v);
            case FLOAT64 -> s.set(ValueLayout.JAVA_DOUBLE, off, v);
            case INT64 -> s.set(ValueLayout.JAVA_LONG, off, (long) v);
            case INT32 -> s.set(ValueLayout.JAVA_INT, off, (int) v);
            default -> throw new IllegalArgumentException();
        }
    }

    static void expect(Tensor t, long n, java.util.function.LongToDoubleFunction f, String what) {
        if (t.numel() != n) throw new AssertionError(what + ": numel " + t.numel() + " != " + n);
        double[] got = t.toDoubleArray();
        for (int i = 0; i < n; i++) {
            double want = f.applyAsDouble(i);
            if (Double.compare(got[i], want) != 0) {
                throw new AssertionError("rank " + rank + " " + what + " " + t.dtype() + " n=" + n + ": element " + i + " is " + got[i]
                        + ", expected " + want);
            }
        }
    }

    static void allReduce(DType d, long n, boolean async) {
        for (ReduceOp op : ReduceOp.values()) {
            Tensor t = input(rank, n, d);
            if (op == ReduceOp.AVG && !d.isFloatingPoint()) {
                try {
                    Distributed.allReduce(t, op);
                    throw new AssertionError("integer AVG accepted");
                } catch (IllegalArgumentException expected) {
                    if (!expected.getMessage().contains("AVG")) throw expected;
                }
                continue;
            }
            int version = t.storage().version();
            if (async) Distributed.allReduceAsync(t, op).await();
            else Distributed.allReduce(t, op);
            bumped(t, version, "allReduce");
            expect(t, n, i -> {
                double acc = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : op == ReduceOp.MIN ? Double.POSITIVE_INFINITY : 0;
                for (int r = 0; r < size; r++) {
                    double v = value(r, i, d);
                    acc = switch (op) {
                        case SUM, AVG -> acc + v;
                        case MAX -> Math.max(acc, v);
                        case MIN -> Math.min(acc, v);
                    };
                }
                if (op == ReduceOp.AVG) acc = d == DType.FLOAT32 ? (float) acc / size : acc / size;
                return acc;
            }, "allReduce " + op + (async ? " async" : ""));
        }
    }

    /** A collective's output is written in place: its version moves, as after any in-place op. */
    static void bumped(Tensor t, int before, String what) {
        if (t.storage().version() == before) throw new AssertionError(what + " left its output's version at " + before);
    }

    static void broadcast(DType d, long n, boolean async) {
        int src = size - 1;
        Tensor t = input(rank, n, d);
        int version = t.storage().version();
        if (async) Distributed.broadcastAsync(t, src).await();
        else Distributed.broadcast(t, src);
        bumped(t, version, "broadcast");
        expect(t, n, i -> value(src, i, d), "broadcast" + (async ? " async" : ""));
    }

    static void allGather(DType d, long n, boolean async) {
        List<Tensor> out = new ArrayList<>();
        for (int r = 0; r < size; r++) out.add(Torch.full(new long[] {n}, 99, d));
        Tensor in = input(rank, n, d);
        int version = out.get(0).storage().version();
        if (async) Distributed.allGatherAsync(out, in).await();
        else Distributed.allGather(out, in);
        bumped(out.get(0), version, "allGather");
        for (int r = 0; r < size; r++) {
            int rr = r;
            expect(out.get(r), n, i -> value(rr, i, d), "allGather[" + r + "]" + (async ? " async" : ""));
        }
    }

    static void reduceScatter(DType d, long n, boolean async) {
        // input j of rank r: value(r, i + j * n)
        List<Tensor> in = new ArrayList<>();
        Tensor all = input(rank, n * size, d);
        for (int j = 0; j < size; j++) in.add(all.narrow(0, j * n, n));
        Tensor out = Torch.zeros(new long[] {n}, d);
        int version = out.storage().version();
        if (async) Distributed.reduceScatterAsync(out, in).await();
        else Distributed.reduceScatter(out, in);
        bumped(out, version, "reduceScatter");
        expect(out, n, i -> {
            double acc = 0;
            for (int r = 0; r < size; r++) acc += value(r, i + rank * n, d);
            return acc;
        }, "reduceScatter" + (async ? " async" : ""));
    }

    /** Several async collectives in flight, then a blocking one: all complete in order with exact values. */
    static void queuedAsyncThenBlocking() {
        List<Tensor> ts = new ArrayList<>();
        List<Work> ws = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            Tensor t = input(rank, 1000 + k, DType.FLOAT32);
            ts.add(t);
            ws.add(Distributed.allReduceAsync(t));
        }
        Tensor last = input(rank, 5, DType.FLOAT64);
        Distributed.allReduce(last, ReduceOp.MAX);
        for (int k = 0; k < 8; k++) {
            if (!ws.get(k).isCompleted()) throw new AssertionError("async work " + k + " not complete after a later blocking collective");
            ws.get(k).await();
            expect(ts.get(k), 1000 + k, i -> {
                double acc = 0;
                for (int r = 0; r < size; r++) acc += value(r, i, DType.FLOAT32);
                return acc;
            }, "queued allReduce " + k);
        }
        System.out.println("rank " + rank + " OK queued");
    }

    /** Bad input fails locally with a message naming the problem, before any collective is issued. */
    static void misuse() {
        Tensor nc = Torch.zeros(4, 6).T();
        expectThrows(() -> Distributed.allReduce(nc), "not contiguous");
        expectThrows(() -> Distributed.allReduce(Torch.zeros(new long[] {3}, DType.INT16)), "dtype torch.int16");
        expectThrows(() -> Distributed.broadcast(Torch.zeros(3), size), "src rank");
        expectThrows(() -> Distributed.allGather(List.of(Torch.zeros(3)), Torch.zeros(3)), "world size");
        expectThrows(() -> Distributed.initProcessGroup("mpi"), "twice");
        System.out.println("rank " + rank + " OK misuse");
    }

    static void expectThrows(Runnable r, String fragment) {
        try {
            r.run();
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().contains(fragment)) return;
            throw new AssertionError("expected a message containing '" + fragment + "', got " + e, e);
        }
        throw new AssertionError("expected an exception containing '" + fragment + "'");
    }

    /** One float32 SUM over n elements (100M in the test), checked element by element. */
    static void large(long n) {
        Tensor t = Torch.empty(new long[] {n}, DType.FLOAT32);
        MemorySegment s = t.storage().segment();
        for (long i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) ((i & 1023) + rank * 2048));
        long t0 = System.nanoTime();
        Distributed.allReduce(t);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        for (long i = 0; i < n; i++) {
            float want = 0;
            for (int r = 0; r < size; r++) want += (float) ((i & 1023) + r * 2048);
            float got = s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            if (got != want) throw new AssertionError("rank " + rank + " large allReduce: element " + i + " is " + got + ", expected " + want);
        }
        System.out.println("rank " + rank + " OK large n=" + n + " allReduce " + ms + " ms");
    }
}
