package dev.tessera.random;

/**
 * The 32-bit Mersenne Twister exactly as ATen's {@code at::mt19937} (MT19937RNGEngine.h): same
 * seeding, same lazy regeneration ({@code left} starts at 1 so the first draw twists), same
 * tempering. Not thread-safe; {@link CpuGenerator} locks around it.
 */
final class Mt19937 {
    static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UMASK = 0x80000000;
    private static final int LMASK = 0x7fffffff;

    final int[] state = new int[N];
    long seed;
    int left;
    int next;

    Mt19937(long seed) {
        seed(seed);
    }

    /** ATen keeps the full 64-bit seed for reporting but only its low 32 bits feed the state. */
    void seed(long seed) {
        this.seed = seed;
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            int p = state[j - 1];
            state[j] = 1812433253 * (p ^ (p >>> 30)) + j;
        }
        left = 1;
        next = 0;
    }

    int nextInt() {
        if (--left == 0) twist();
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** Two draws, the first one in the high half, as CPUGeneratorImpl::random64. */
    long nextLong() {
        long hi = nextInt() & 0xFFFFFFFFL;
        long lo = nextInt() & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    private void twist() {
        int[] s = state;
        left = N;
        next = 0;
        int k = 0;
        for (; k < N - M; k++) s[k] = s[k + M] ^ mix(s[k], s[k + 1]);
        for (; k < N - 1; k++) s[k] = s[k + M - N] ^ mix(s[k], s[k + 1]);
        s[N - 1] = s[M - 1] ^ mix(s[N - 1], s[0]);
    }

    private static int mix(int u, int v) {
        int y = (u & UMASK) | (v & LMASK);
        return (y >>> 1) ^ ((v & 1) != 0 ? MATRIX_A : 0);
    }

    void copyFrom(Mt19937 o) {
        System.arraycopy(o.state, 0, state, 0, N);
        seed = o.seed;
        left = o.left;
        next = o.next;
    }
}
