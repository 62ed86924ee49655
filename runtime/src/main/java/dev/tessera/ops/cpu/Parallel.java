package dev.tessera.ops.cpu;

/** Temporary stand-in until the kernel layer lands. */
public final class Parallel {
    private static int threads = Runtime.getRuntime().availableProcessors();
    public static void setNumThreads(int n) { threads = n; }
    public static int getNumThreads() { return threads; }
}
