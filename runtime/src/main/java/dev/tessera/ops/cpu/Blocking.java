package dev.tessera.ops.cpu;

/**
 * Cache-blocking parameters shared by {@link Sgemm} and {@link Dgemm}, overridable with system
 * properties for tuning ({@code tessera.gemm.kc}, {@code .mc}, {@code .nc}). Defaults fit this
 * kind of core (48 KiB L1d, 1 MiB L2 per core, shared L3): the packed A block (MC x KC) and one
 * B sliver (KC x NR, 256 KiB) stay in L2 while the B panel (KC x NC) streams from L3.
 */
final class Blocking {
    private Blocking() {}

    /** Below this many multiply-adds (m*n*k) a GEMM stays on the calling thread. */
    static final long PARALLEL_MIN_WORK = Long.getLong("tessera.gemm.parallelMinWork", 48L * 48 * 48);

    /** m*k up to which threads split columns and each packs all of A (measured at n = 256, 512). */
    static final long SMALL_A = Long.getLong("tessera.gemm.smallA", 512L * 512);

    /**
     * Up to this many NR-column slivers per panel, row-major A is read as plain rows instead of
     * being packed: packing pays off only when a packed A element meets many B slivers (skinny
     * 1024 x 1024 @ 1024 x 64 went from 0.43 to 0.31 ms, 2048 from 1.9 to 1.25 ms; 2 slivers still won).
     */
    static final int ROWS_A_MAX_SLIVERS = Integer.getInteger("tessera.gemm.rowsAMaxSlivers", 2);

    /** KC 1024 beat 512 by about 8% at n = 2048; MC 48 keeps the packed A block at 192 KiB of L2. */
    static int kc() {
        return positive("tessera.gemm.kc", 1024);
    }

    static int mc(int mr) {
        return roundUp(positive("tessera.gemm.mc", 48), mr);
    }

    static int nc(int nr) {
        return roundUp(positive("tessera.gemm.nc", 2048), nr);
    }

    private static int positive(String key, int def) {
        int v = Integer.getInteger(key, def);
        if (v < 1) {
            throw new IllegalArgumentException(key + " must be >= 1, got " + v);
        }
        return v;
    }

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }
}
