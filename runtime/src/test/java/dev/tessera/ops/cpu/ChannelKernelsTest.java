package dev.tessera.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChannelKernelsTest {
    @Test
    void affineIsOneFusedMultiplyAddOnOddSizes() {
        Random rnd = new Random(7);
        for (long[] dims : new long[][] {{2, 5, 37}, {1, 3, 1}, {3, 64, 49}, {0, 4, 9}, {2, 2, 0}, {1, 70, 3136}}) {
            long outer = dims[0], inner = dims[2];
            int c = (int) dims[1];
            long n = outer * c * inner;
            try (Arena arena = Arena.ofShared()) {
                MemorySegment x = arena.allocate(Math.max(1, (n + 3) * 8)), out = arena.allocate(Math.max(1, n * 8));
                float[] a = new float[c], b = new float[c];
                double[] ad = new double[c], bd = new double[c];
                for (int i = 0; i < c; i++) {
                    a[i] = rnd.nextFloat() * 3 - 1;
                    b[i] = rnd.nextFloat() - 0.5f;
                    ad[i] = rnd.nextGaussian();
                    bd[i] = rnd.nextGaussian();
                }
                // float32, input at an element offset of 3
                for (long i = 0; i < n; i++) x.setAtIndex(ValueLayout.JAVA_FLOAT, i + 3, rnd.nextFloat() * 10 - 5);
                ChannelKernels.affineF32(x, 3, out, 0, outer, a, b, inner);
                for (long i = 0; i < n; i++) {
                    int ch = (int) (i / inner % c);
                    float want = Math.fma(x.getAtIndex(ValueLayout.JAVA_FLOAT, i + 3), a[ch], b[ch]);
                    assertEquals(want, out.getAtIndex(ValueLayout.JAVA_FLOAT, i), "f32 element " + i);
                }
                for (long i = 0; i < n; i++) x.setAtIndex(ValueLayout.JAVA_DOUBLE, i, rnd.nextGaussian());
                ChannelKernels.affineF64(x, 0, out, 0, outer, ad, bd, inner);
                for (long i = 0; i < n; i++) {
                    int ch = (int) (i / inner % c);
                    double want = Math.fma(x.getAtIndex(ValueLayout.JAVA_DOUBLE, i), ad[ch], bd[ch]);
                    assertEquals(want, out.getAtIndex(ValueLayout.JAVA_DOUBLE, i), "f64 element " + i);
                }
            }
        }
    }
}
