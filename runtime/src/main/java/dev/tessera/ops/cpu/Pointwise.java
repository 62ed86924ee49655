package dev.tessera.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * 1x1 stride-1 unpadded convolution as what it is, one GEMM per image and group straight on the
 * NCHW data (no im2col, no reorder): out[n, g] [og, hw] = W_g [og, cg] @ x[n, g] [cg, hw].
 */
final class Pointwise {
    private Pointwise() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    static void forward(MemorySegment x, long xOff, MemorySegment w, long wOff, MemorySegment bias, long bOff,
            MemorySegment out, long outOff, DirectConvShape g) {
        int hw = g.h() * g.w(), cg = g.cg(), og = g.og();
        for (int img = 0; img < g.n(); img++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                Gemm.sgemm(og, hw, cg, 1f, w, wOff + (long) grp * og * cg, cg, 1,
                        x, xOff + ((long) img * g.c() + (long) grp * cg) * hw, hw, 1, 0f,
                        out, outOff + ((long) img * g.o() + (long) grp * og) * hw, hw, 1);
            }
        }
        if (bias == null) return;
        Parallel.parallelFor((long) g.n() * g.o(), BlockedLayout.grain(out), (from, to) -> {
            for (long plane = from; plane < to; plane++) {
                float b = bias.getAtIndex(F32, bOff + plane % g.o());
                long at = outOff + plane * hw;
                for (int p = 0; p < hw; p++) {
                    out.setAtIndex(F32, at + p, out.getAtIndex(F32, at + p) + b);
                }
            }
        });
    }

    static void backwardData(MemorySegment gout, long gOff, MemorySegment w, long wOff, MemorySegment gx, long gxOff,
            DirectConvShape g) {
        int hw = g.h() * g.w(), cg = g.cg(), og = g.og();
        for (int img = 0; img < g.n(); img++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                Gemm.sgemm(cg, hw, og, 1f, w, wOff + (long) grp * og * cg, 1, cg,
                        gout, gOff + ((long) img * g.o() + (long) grp * og) * hw, hw, 1, 0f,
                        gx, gxOff + ((long) img * g.c() + (long) grp * cg) * hw, hw, 1);
            }
        }
    }

    /** gw_g [og, cg] = sum over images of gout[n, g] [og, hw] @ x[n, g]^T; zero when there is no image. */
    static void backwardWeights(MemorySegment gout, long gOff, MemorySegment x, long xOff, MemorySegment gw,
            long gwOff, DirectConvShape g) {
        int hw = g.h() * g.w(), cg = g.cg(), og = g.og();
        for (int grp = 0; grp < g.groups(); grp++) {
            for (int img = 0; img < g.n(); img++) {
                Gemm.sgemm(og, cg, hw, 1f, gout, gOff + ((long) img * g.o() + (long) grp * og) * hw, hw, 1,
                        x, xOff + ((long) img * g.c() + (long) grp * cg) * hw, 1, hw, img == 0 ? 0f : 1f,
                        gw, gwOff + (long) grp * og * cg, cg, 1);
            }
        }
    }
}
