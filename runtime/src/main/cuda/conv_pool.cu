// Convolution columns (im2col / col2im) and 2-D pooling (max with indices, adaptive average),
// forward and backward, on contiguous NCHW data. Layouts match autograd/functions/Convolution.java
// and Pooling.java (see Conv2dGeom / Pool2dGeom in the header).
#include "tessera_kernels.cuh"
#include <math.h>

// cols[row, b*L + oy*ow + ox] = x[n0+b, c, oy*sh - ph + i*dh, ox*sw - pw + j*dw] (0 in the padding),
// row = c*kh*kw + i*kw + j; every element of cols is written.
#define DEF_IM2COL(T, sfx) \
    TS_KERNEL void tessera_im2col_##sfx(T *cols, const T *x, const __grid_constant__ Conv2dGeom g, int64_t n0, int64_t nb) { \
        int64_t l = g.oh * g.ow, rowLen = nb * l, khw = g.kh * g.kw; \
        TS_GRID_LOOP(t, g.c * khw * rowLen) { \
            int64_t row = t / rowLen, col = t - row * rowLen; \
            int64_t b = col / l, p = col - b * l, oy = p / g.ow, ox = p - oy * g.ow; \
            int64_t c = row / khw, ij = row - c * khw, i = ij / g.kw, j = ij - i * g.kw; \
            int64_t iy = oy * g.sh - g.ph + i * g.dh, ix = ox * g.sw - g.pw + j * g.dw; \
            cols[t] = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w ? x[((n0 + b) * g.c + c) * g.h * g.w + iy * g.w + ix] : T(0); } }

// gx[n0+b, c, iy, ix] += sum of the column entries that read it (the adjoint of im2col), computed
// per input element (a gather: no atomics, deterministic).
#define DEF_COL2IM(T, sfx) \
    TS_KERNEL void tessera_col2im_##sfx(T *gx, const T *cols, const __grid_constant__ Conv2dGeom g, int64_t n0, int64_t nb) { \
        int64_t l = g.oh * g.ow, rowLen = nb * l, hw = g.h * g.w; \
        TS_GRID_LOOP(t, nb * g.c * hw) { \
            int64_t bc = t / hw, p = t - bc * hw, b = bc / g.c, c = bc - b * g.c, iy = p / g.w, ix = p - iy * g.w; \
            T acc = 0; \
            for (int64_t i = 0; i < g.kh; i++) { \
                int64_t ny = iy + g.ph - i * g.dh; \
                if (ny < 0 || ny % g.sh != 0 || ny / g.sh >= g.oh) continue; \
                for (int64_t j = 0; j < g.kw; j++) { \
                    int64_t nx = ix + g.pw - j * g.dw; \
                    if (nx < 0 || nx % g.sw != 0 || nx / g.sw >= g.ow) continue; \
                    acc += cols[((c * g.kh + i) * g.kw + j) * rowLen + b * l + (ny / g.sh) * g.ow + nx / g.sw]; } } \
            gx[(n0 * g.c + bc) * hw + p] += acc; } }

// max_pool2d with int64 indices (flat position within the input plane). Window scan as the CPU
// loop: the first maximum wins, a NaN replaces the running value (so the last NaN wins).
#define DEF_MAXPOOL(T, sfx) \
    TS_KERNEL void tessera_max_pool2d_##sfx(T *out, int64_t *indices, const T *x, const __grid_constant__ Pool2dGeom g) { \
        int64_t ohw = g.oh * g.ow; \
        TS_GRID_LOOP(t, g.planes * ohw) { \
            int64_t pl = t / ohw, q = t - pl * ohw, oy = q / g.ow, ox = q - oy * g.ow; \
            int64_t y0 = oy * g.sh - g.ph, x0 = ox * g.sw - g.pw; \
            int64_t y1 = min(y0 + (g.kh - 1) * g.dh + 1, g.h), x1 = min(x0 + (g.kw - 1) * g.dw + 1, g.w); \
            while (y0 < 0) y0 += g.dh; \
            while (x0 < 0) x0 += g.dw; \
            const T *plane = x + pl * g.h * g.w; \
            int64_t best = y0 * g.w + x0; T m = -INFINITY; \
            for (int64_t iy = y0; iy < y1; iy += g.dh) \
                for (int64_t ix = x0; ix < x1; ix += g.dw) { \
                    T v = plane[iy * g.w + ix]; \
                    if (v > m || v != v) { m = v; best = iy * g.w + ix; } } \
            out[t] = m; indices[t] = best; } }

// gx[plane, indices[o]] += g[o]; gx must be zeroed first (windows may overlap, so atomics).
#define DEF_MAXPOOL_BWD(T, sfx) \
    TS_KERNEL void tessera_max_pool2d_backward_##sfx(T *gx, const T *g, const int64_t *indices, int64_t planes, int64_t hw, int64_t ohw) { \
        TS_GRID_LOOP(t, planes * ohw) { atomicAdd(gx + (t / ohw) * hw + indices[t], g[t]); } }

// adaptive_avg_pool2d: window [floor(o*in/out), ceil((o+1)*in/out)) per axis, summed in double.
static __device__ __forceinline__ int64_t ts_astart(int64_t o, int64_t out, int64_t in) { return (o * in) / out; }
static __device__ __forceinline__ int64_t ts_aend(int64_t o, int64_t out, int64_t in) { return ((o + 1) * in + out - 1) / out; }

#define DEF_ADAPTIVE(T, sfx) \
    TS_KERNEL void tessera_adaptive_avg_pool2d_##sfx(T *out, const T *x, int64_t planes, int64_t h, int64_t w, int64_t oh, int64_t ow) { \
        TS_GRID_LOOP(t, planes * oh * ow) { \
            int64_t pl = t / (oh * ow), q = t - pl * oh * ow, oy = q / ow, ox = q - oy * ow; \
            int64_t y0 = ts_astart(oy, oh, h), y1 = ts_aend(oy, oh, h), x0 = ts_astart(ox, ow, w), x1 = ts_aend(ox, ow, w); \
            const T *plane = x + pl * h * w; double s = 0; \
            for (int64_t iy = y0; iy < y1; iy++) for (int64_t ix = x0; ix < x1; ix++) s += plane[iy * w + ix]; \
            out[t] = (T)(s / (double)((y1 - y0) * (x1 - x0))); } } \
    /* gx[p, iy, ix] = sum over the windows holding it of g / window area (overwrites gx) */ \
    TS_KERNEL void tessera_adaptive_avg_pool2d_backward_##sfx(T *gx, const T *g, int64_t planes, int64_t h, int64_t w, int64_t oh, int64_t ow) { \
        TS_GRID_LOOP(t, planes * h * w) { \
            int64_t pl = t / (h * w), q = t - pl * h * w, iy = q / w, ix = q - iy * w; \
            const T *gp = g + pl * oh * ow; T acc = 0; \
            for (int64_t oy = (iy * oh) / h; oy < oh && ts_astart(oy, oh, h) <= iy; oy++) { \
                int64_t y0 = ts_astart(oy, oh, h), y1 = ts_aend(oy, oh, h); \
                if (iy >= y1) continue; \
                for (int64_t ox = (ix * ow) / w; ox < ow && ts_astart(ox, ow, w) <= ix; ox++) { \
                    int64_t x0 = ts_astart(ox, ow, w), x1 = ts_aend(ox, ow, w); \
                    if (ix >= x1) continue; \
                    acc += gp[oy * ow + ox] / (T)((y1 - y0) * (x1 - x0)); } } \
            gx[t] = acc; } }

#define DEF_CONV_POOL(T, sfx) DEF_IM2COL(T, sfx) DEF_COL2IM(T, sfx) DEF_MAXPOOL(T, sfx) DEF_MAXPOOL_BWD(T, sfx) DEF_ADAPTIVE(T, sfx)
DEF_CONV_POOL(float, f32)
DEF_CONV_POOL(double, f64)
