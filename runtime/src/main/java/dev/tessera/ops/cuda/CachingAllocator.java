package dev.tessera.ops.cuda;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Device memory in PyTorch's manner (c10/cuda/CUDACachingAllocator): freed blocks are kept and
 * reused instead of going back to the driver, whose malloc/free synchronise the device.
 *
 * <ul>
 *   <li>Requests round up to 512 bytes. Requests up to 1 MiB come from the small pool, carved out of
 *       2 MiB segments; larger ones from the large pool: a 20 MiB segment for requests under 10 MiB,
 *       otherwise a segment of the request rounded up to 2 MiB.</li>
 *   <li>A request takes the smallest free block of its pool that fits (best fit, ties by address)
 *       and splits off the rest when the rest is worth keeping (>= 512 bytes in the small pool,
 *       > 1 MiB in the large pool).</li>
 *   <li>A freed block merges with free neighbours of its segment, so a segment whose blocks are all
 *       free is one block again; {@link #emptyCache()} returns such segments to the device.</li>
 *   <li>When the device is out of memory, the cache is released and the allocation retried once;
 *       if it still fails, a {@link DeviceOutOfMemoryException} says what was asked for, what is
 *       allocated and what is reserved.</li>
 * </ul>
 * One lock guards everything (as PyTorch's allocator mutex). The backend uses one stream per device,
 * so blocks need no per-stream bookkeeping: a freed block's pending kernels run before any later
 * launch on that stream.
 */
public final class CachingAllocator {
    static final long MIN_BLOCK = 512;
    static final long SMALL_SIZE = 1L << 20;
    static final long SMALL_BUFFER = 2L << 20;
    static final long LARGE_BUFFER = 20L << 20;
    static final long MIN_LARGE_ALLOC = 10L << 20;
    static final long ROUND_LARGE = 2L << 20;

    private static final class Block {
        final long segment;   // base pointer of the segment this block belongs to
        final boolean small;  // which pool
        long ptr, size;
        boolean allocated;
        Block prev, next;     // neighbours within the segment, by address

        Block(long segment, boolean small, long ptr, long size) {
            this.segment = segment;
            this.small = small;
            this.ptr = ptr;
            this.size = size;
        }
    }

    private static final Comparator<Block> BY_SIZE = Comparator.<Block>comparingLong(b -> b.size).thenComparingLong(b -> b.ptr);

    private final RawDeviceMemory raw;
    private final String deviceName;
    private final TreeSet<Block> smallPool = new TreeSet<>(BY_SIZE), largePool = new TreeSet<>(BY_SIZE);
    private final Map<Long, Block> live = new HashMap<>();          // allocated blocks by pointer
    private final Map<Long, Block> segments = new HashMap<>();      // first block of each segment by base
    private final Map<Long, Long> segmentSizes = new HashMap<>();
    private long allocated, reserved, peakAllocated;

    /** deviceName appears in out-of-memory messages, e.g. "GPU 0". */
    public CachingAllocator(RawDeviceMemory raw, String deviceName) {
        this.raw = raw;
        this.deviceName = deviceName;
    }

    /** A device pointer to at least {@code bytes} bytes; 0 for a 0-byte request (as PyTorch's nullptr). */
    public synchronized long allocate(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative allocation size " + bytes);
        if (bytes == 0) return 0;
        long size = roundSize(bytes);
        boolean small = size <= SMALL_SIZE;
        TreeSet<Block> pool = small ? smallPool : largePool;
        Block b = pool.ceiling(new Block(0, small, Long.MIN_VALUE, size));
        if (b != null) {
            pool.remove(b);
        } else {
            b = newSegment(bytes, size, small);
        }
        long rest = b.size - size;
        if (small ? rest >= MIN_BLOCK : rest > SMALL_SIZE) {
            Block tail = new Block(b.segment, small, b.ptr + size, rest);
            tail.prev = b;
            tail.next = b.next;
            if (b.next != null) b.next.prev = tail;
            b.next = tail;
            b.size = size;
            pool.add(tail);
        }
        b.allocated = true;
        live.put(b.ptr, b);
        allocated += b.size;
        peakAllocated = Math.max(peakAllocated, allocated);
        return b.ptr;
    }

    private Block newSegment(long requested, long size, boolean small) {
        long segSize = small ? SMALL_BUFFER : size < MIN_LARGE_ALLOC ? LARGE_BUFFER : roundUp(size, ROUND_LARGE);
        long ptr = raw.malloc(segSize);
        if (ptr == 0) {
            releaseCached(); // free whole cached segments, then try once more
            ptr = raw.malloc(segSize);
        }
        if (ptr == 0) {
            throw new DeviceOutOfMemoryException(String.format(Locale.ROOT,
                    "CUDA out of memory. Tried to allocate %s (%s; %s already allocated; %s reserved in total by Tessera; "
                            + "a %s segment could not be obtained from the device)",
                    formatSize(requested), deviceName, formatSize(allocated), formatSize(reserved), formatSize(segSize)), requested);
        }
        Block b = new Block(ptr, small, ptr, segSize);
        segments.put(ptr, b);
        segmentSizes.put(ptr, segSize);
        reserved += segSize;
        return b;
    }

    /** Returns a pointer from {@link #allocate} to the cache; 0 is ignored. */
    public synchronized void free(long ptr) {
        if (ptr == 0) return;
        Block b = live.remove(ptr);
        if (b == null) throw new IllegalArgumentException("pointer 0x" + Long.toHexString(ptr) + " was not allocated by this allocator (or was freed already)");
        b.allocated = false;
        allocated -= b.size;
        TreeSet<Block> pool = b.small ? smallPool : largePool;
        Block n = b.next;
        if (n != null && !n.allocated) {
            pool.remove(n);
            b.size += n.size;
            b.next = n.next;
            if (n.next != null) n.next.prev = b;
        }
        Block p = b.prev;
        if (p != null && !p.allocated) {
            pool.remove(p);
            p.size += b.size;
            p.next = b.next;
            if (b.next != null) b.next.prev = p;
            b = p;
        }
        pool.add(b);
    }

    /** Returns every segment with no allocated block to the device (torch.cuda.empty_cache). */
    public synchronized void emptyCache() { releaseCached(); }

    private void releaseCached() {
        for (TreeSet<Block> pool : List.of(smallPool, largePool)) {
            for (var it = pool.iterator(); it.hasNext(); ) {
                Block b = it.next();
                if (b.prev != null || b.next != null) continue; // part of a segment still in use
                it.remove();
                segments.remove(b.segment);
                reserved -= segmentSizes.remove(b.segment);
                raw.free(b.segment);
            }
        }
    }

    /** Bytes in allocated blocks (rounded sizes), as torch.cuda.memory_allocated. */
    public synchronized long memoryAllocated() { return allocated; }

    /** Bytes held from the device, allocated or cached, as torch.cuda.memory_reserved. */
    public synchronized long memoryReserved() { return reserved; }

    public synchronized long maxMemoryAllocated() { return peakAllocated; }

    /** One block of a segment, for {@link #snapshot()}. */
    public record BlockInfo(long ptr, long size, boolean allocated) {}

    /** A segment and its blocks in address order (torch.cuda.memory_snapshot's shape). */
    public record SegmentInfo(long base, long size, boolean small, List<BlockInfo> blocks) {}

    public synchronized List<SegmentInfo> snapshot() {
        List<SegmentInfo> out = new ArrayList<>();
        for (var e : segments.entrySet()) {
            // the map holds the block that was first when the segment was made; walk back to the head
            Block b = e.getValue();
            while (b.prev != null) b = b.prev;
            List<BlockInfo> blocks = new ArrayList<>();
            boolean small = b.small;
            for (; b != null; b = b.next) blocks.add(new BlockInfo(b.ptr, b.size, b.allocated));
            out.add(new SegmentInfo(e.getKey(), segmentSizes.get(e.getKey()), small, blocks));
        }
        out.sort(Comparator.comparingLong(SegmentInfo::base));
        return out;
    }

    static long roundSize(long bytes) { return bytes < MIN_BLOCK ? MIN_BLOCK : roundUp(bytes, MIN_BLOCK); }

    private static long roundUp(long v, long m) { return (v + m - 1) / m * m; }

    /** PyTorch's format_size: bytes, KiB, MiB or GiB with two decimals. */
    static String formatSize(long bytes) {
        if (bytes <= 1024) return bytes + " bytes";
        if (bytes <= 1048576) return String.format(Locale.ROOT, "%.2f KiB", bytes / 1024.0);
        if (bytes <= 1073741824) return String.format(Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
        return String.format(Locale.ROOT, "%.2f GiB", bytes / 1073741824.0);
    }
}
