package dev.tessera.ops.cpu;

/**
 * When a Vector API kernel may run at full speed. Until C2 has compiled it, a kernel written with
 * the Vector API runs hundreds of times slower than compiled (the interpreter and C1 do not turn
 * vector operations into instructions; each one allocates and loops over lanes), and C2 compiles
 * only after hundreds of calls: a fresh JVM's first 512 x 512 matmul took 0.9 s, most of it in
 * interpreted {@code FloatVector.fma}. A kernel with a plain-Java twin (the same fused multiply-add
 * chain per element, so bit-identical results) runs the twin while cold, which HotSpot compiles
 * within milliseconds, and runs a few steps of each call through the vector kernel, timed: that
 * warms the vector kernel up on little work. Once those steps run at least half as fast per step as
 * the twin's in {@link #WINS} consecutive calls, the vector kernel has been compiled and takes over
 * for good.
 *
 * <p>{@code -Dtessera.coldTwins=false} uses the vector kernels from the first call.
 */
final class KernelTier {
    private static final boolean COLD_TWINS = !"false".equals(System.getProperty("tessera.coldTwins"));
    /** Consecutive faster probes before switching: one fast probe could be a timer artefact. */
    static final int WINS = 4;
    /** Fewer twin steps than this time too coarsely to compare. */
    private static final int MIN_TWIN_STEPS = 32;

    private volatile boolean vectorReady = !COLD_TWINS;
    private volatile boolean pinned;
    private int wins; // racy on purpose: a lost update only delays the switch by a call

    /** Whether callers should use the vector kernel outright. */
    boolean vectorReady() {
        return vectorReady;
    }

    /** One cold call: the vector kernel took {@code vectorNanos} for {@code vectorSteps} steps, the twin the rest. */
    void observe(long vectorNanos, int vectorSteps, long twinNanos, int twinSteps) {
        if (twinSteps < MIN_TWIN_STEPS || pinned) return;
        if (vectorNanos * twinSteps < 2 * twinNanos * vectorSteps) {
            if (++wins >= WINS) vectorReady = true;
        } else {
            wins = 0;
        }
    }

    /** For tests: pins the choice (true: vector kernels; false: twins with probes) until {@link #unpin}. */
    void pin(boolean ready) {
        pinned = true;
        wins = 0;
        vectorReady = ready;
    }

    void unpin() {
        pinned = false;
    }
}
