package dev.tessera.nn.parallel;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.NoGrad;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.autograd.Engine;
import dev.tessera.distributed.Distributed;
import dev.tessera.distributed.DistributedException;
import dev.tessera.nn.Module;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torch.nn.parallel.DistributedDataParallel over the default process group.
 *
 * <p>At construction every rank checks that all ranks hold the same parameter shapes and dtypes
 * (failing on every rank, before any training step, otherwise), then takes rank 0's parameters and
 * buffers. Gradients are grouped into buckets of about 25 MB, filled in reverse registration
 * order (roughly the order backward produces them). Every {@code .grad} is a view of its slot in
 * a bucket (PyTorch's {@code gradient_as_bucket_view=True}; see {@link GradBucket}), so backward
 * accumulates into the buckets and no gradient is copied in a steady step. A post-accumulate-grad
 * hook marks each parameter ready and, when its bucket is complete and every earlier bucket has
 * been launched, starts the bucket's all-reduce asynchronously, so communication overlaps the
 * rest of backward. A callback queued on the autograd engine waits for all of them at the end of
 * backward, so the averaged gradients are ready for {@code optimizer.step()}. Buckets are
 * launched in the same order on every rank, as the collectives must match; a parameter that got
 * no gradient on a rank contributes what its .grad holds (zeros after zeroGrad).
 *
 * <p>Buckets, the shape check and the broadcasts live on the parameters' device, so the same
 * module works with the "mpi" group on the CPU and the "nccl" group on CUDA.
 *
 * <p>Buffers (e.g. batch norm running statistics) are broadcast from rank 0 before every training
 * forward, as PyTorch's broadcast_buffers=True. The wrapped module is registered as "module", so
 * parameter and state-dict names carry PyTorch's "module." prefix.
 */
public class DistributedDataParallel extends Module {
    /** PyTorch's default bucket_cap_mb. */
    public static final double DEFAULT_BUCKET_CAP_MB = 25;

    /**
     * PyTorch's first bucket (the last layers, whose gradients come first) is capped at 1 MB
     * (dist._DEFAULT_FIRST_BUCKET_BYTES), so communication starts early in backward.
     */
    public static final long FIRST_BUCKET_BYTES = 1024 * 1024;

    private final Module module;
    private final int worldSize;
    private final List<GradBucket> buckets = new ArrayList<>();
    private final Map<Tensor, GradBucket> bucketOf = new IdentityHashMap<>();
    private boolean requireSync = true;
    private boolean pending;
    private int nextToLaunch;
    private long hookNanos, waitNanos, broadcastNanos;

    public DistributedDataParallel(Module module) { this(module, DEFAULT_BUCKET_CAP_MB); }

    public DistributedDataParallel(Module module, double bucketCapMb) {
        if (!(bucketCapMb > 0) || Double.isInfinite(bucketCapMb)) {
            throw new IllegalArgumentException("DistributedDataParallel: bucketCapMb must be a positive number of megabytes, got " + bucketCapMb);
        }
        this.module = registerModule("module", module);
        this.worldSize = Distributed.worldSize();
        List<Tensor> params = module.parameters();
        Device device = params.isEmpty() ? Device.CPU : params.get(0).device();
        for (Tensor p : params) {
            if (!p.device().equals(device)) {
                throw new IllegalArgumentException("DistributedDataParallel: parameters on " + device + " and " + p.device()
                        + "; a replica must live on one device");
            }
        }
        verifyShapes(module.namedParameters(), device);
        try (NoGrad g = Torch.noGrad()) {
            broadcastCoalesced(params);
            broadcastCoalesced(module.buffers());
        }
        long cap = (long) (bucketCapMb * 1024 * 1024);
        List<Tensor> reversed = new ArrayList<>(params);
        Collections.reverse(reversed);
        List<Tensor> current = new ArrayList<>();
        long bytes = 0;
        for (Tensor p : reversed) {
            if (!p.requiresGrad()) continue;
            boolean dtypeChanges = !current.isEmpty() && current.get(0).dtype() != p.dtype();
            long limit = buckets.isEmpty() ? Math.min(cap, FIRST_BUCKET_BYTES) : cap;
            if (!current.isEmpty() && (dtypeChanges || bytes + p.numel() * p.dtype().byteSize() > limit)) {
                addBucket(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(p);
            bytes += p.numel() * p.dtype().byteSize();
        }
        if (!current.isEmpty()) addBucket(current);
        for (Tensor p : params) if (p.requiresGrad()) p.registerPostAccumulateGradHook(this::onGradAccumulated);
    }

    private void addBucket(List<Tensor> members) {
        GradBucket b = new GradBucket(buckets.size(), members);
        buckets.add(b);
        for (Tensor p : members) bucketOf.put(p, b);
    }

    public Module module() { return module; }

    /** Number of gradient buckets, and each one's size in bytes (in launch order). */
    public List<Long> bucketSizes() {
        List<Long> out = new ArrayList<>();
        for (GradBucket b : buckets) out.add(b.bytes());
        return out;
    }

    /** Time spent waiting for all-reduces at the end of backward since the last reset (ns). */
    public long waitNanos() { return waitNanos; }

    /** Time spent in the hooks (adopting gradients into buckets, dividing, launching) since the last reset (ns). */
    public long hookNanos() { return hookNanos; }

    /** Time spent broadcasting rank 0's buffers before training forwards since the last reset (ns). */
    public long broadcastNanos() { return broadcastNanos; }

    public void resetTimers() { hookNanos = waitNanos = broadcastNanos = 0; }

    @Override
    public Tensor forward(Tensor input) {
        if (isTraining() && worldSize > 1) {
            List<Tensor> bufs = module.buffers();
            if (!bufs.isEmpty()) {
                long t0 = System.nanoTime();
                try (NoGrad g = Torch.noGrad()) {
                    broadcastCoalesced(bufs);
                }
                broadcastNanos += System.nanoTime() - t0;
            }
        }
        return module.forward(input);
    }

    /** Gradient accumulation: backward passes inside skip all-reduce (PyTorch's no_sync()). */
    public NoSync noSync() {
        boolean previous = requireSync;
        requireSync = false;
        return () -> requireSync = previous;
    }

    /** Restores synchronisation when closed; close() throws nothing. */
    public interface NoSync extends AutoCloseable {
        @Override
        void close();
    }

    // ---- reduction -----------------------------------------------------------------------------

    private void onGradAccumulated(Tensor p) {
        if (!requireSync) return;
        long t0 = System.nanoTime();
        GradBucket b = bucketOf.get(p);
        if (!pending) {
            pending = true;
            Engine.queueCallback(this::finishReduction);
        }
        if (b.work != null) {
            throw new IllegalStateException("DistributedDataParallel: a parameter's gradient was accumulated twice in one backward "
                    + "pass after its bucket was reduced (reusing a parameter across backward passes needs noSync())");
        }
        if (b.markReady(p)) launchReady();
        hookNanos += System.nanoTime() - t0;
    }

    /** Starts every complete bucket whose predecessors have started (same order on every rank). */
    private void launchReady() {
        while (nextToLaunch < buckets.size() && buckets.get(nextToLaunch).complete()) launch(buckets.get(nextToLaunch++));
    }

    private void launch(GradBucket b) {
        // divide before summing, as PyTorch's default hook: the sum of world-size-scaled gradients is their mean
        try (NoGrad g = Torch.noGrad()) {
            b.flat().div_(worldSize);
        }
        b.work = Distributed.allReduceAsync(b.flat());
    }

    private void finishReduction() {
        long t0 = System.nanoTime();
        try {
            for (; nextToLaunch < buckets.size(); nextToLaunch++) {
                GradBucket b = buckets.get(nextToLaunch);
                b.fillMissing();
                launch(b);
            }
            for (GradBucket b : buckets) {
                b.work.await();
                b.finish();
            }
        } finally {
            nextToLaunch = 0;
            pending = false;
            waitNanos += System.nanoTime() - t0;
        }
    }

    // ---- construction-time checks and broadcasts -----------------------------------------------

    /** Every rank gathers every rank's parameter count and shape signature; any difference fails everywhere. */
    private static void verifyShapes(LinkedHashMap<String, Tensor> named, Device device) {
        StringBuilder sig = new StringBuilder();
        named.forEach((k, v) -> sig.append(sig.length() == 0 ? "" : ", ").append(k).append(": ").append(v.dtype().pythonName()).append(v.shape().toString().replace("torch.Size", "")));
        long hash = 1125899906842597L;
        for (int i = 0; i < sig.length(); i++) hash = 31 * hash + sig.charAt(i);
        Tensor mine = Torch.tensor(new long[] {named.size(), hash}).to(device);
        List<Tensor> all = new ArrayList<>();
        for (int r = 0; r < Distributed.worldSize(); r++) all.add(Torch.zeros(new long[] {2}, DType.INT64, device));
        Distributed.allGather(all, mine);
        long[] ref = all.get(0).toLongArray();
        StringBuilder diff = new StringBuilder();
        for (int r = 1; r < all.size(); r++) {
            long[] o = all.get(r).toLongArray();
            if (o[0] != ref[0] || o[1] != ref[1]) {
                diff.append("; rank ").append(r).append(" has ").append(o[0]).append(" parameters")
                        .append(o[1] == ref[1] ? "" : " with different shapes or dtypes");
            }
        }
        if (diff.length() > 0) {
            throw new DistributedException("DistributedDataParallel: the model differs across ranks (rank 0 has " + ref[0]
                    + " parameters" + diff + "); this rank (" + Distributed.rank() + ") has: " + sig
                    + " -- every rank must build the same model");
        }
    }

    /** Broadcasts rank 0's values of all tensors, one collective per dtype and device (a flat copy each way). */
    private static void broadcastCoalesced(List<Tensor> tensors) {
        Map<String, List<Tensor>> byType = new LinkedHashMap<>();
        for (Tensor t : tensors) byType.computeIfAbsent(t.dtype() + "@" + t.device(), k -> new ArrayList<>()).add(t);
        for (Map.Entry<String, List<Tensor>> e : byType.entrySet()) {
            long n = 0;
            for (Tensor t : e.getValue()) n += t.numel();
            Tensor first = e.getValue().get(0);
            Tensor flat = Torch.empty(new long[] {n}, first.dtype(), first.device());
            long off = 0;
            for (Tensor t : e.getValue()) {
                flat.narrow(0, off, t.numel()).view(t.shapeArray()).copy_(t);
                off += t.numel();
            }
            Distributed.broadcast(flat, 0);
            off = 0;
            for (Tensor t : e.getValue()) {
                t.copy_(flat.narrow(0, off, t.numel()).view(t.shapeArray()));
                off += t.numel();
            }
        }
    }
}
