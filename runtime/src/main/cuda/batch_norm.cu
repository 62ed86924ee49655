// Batch norm over contiguous [n, c, inner] data (inner = H*W, or 1 for [n, c]): per-channel
// statistics with the running-statistics update, the affine transform, and the backward.
#include "tessera_kernels.cuh"
#include <math.h>

// Element r of channel ch (r over n*inner): x[(b*c + ch)*inner + k].
static __device__ __forceinline__ int64_t ts_chan_at(int64_t ch, int64_t r, int64_t c, int64_t inner) {
    int64_t b = r / inner;
    return (b * c + ch) * inner + (r - b * inner);
}

struct DSum { __device__ double operator()(double a, double b) const { return a + b; } };

// Row kernel, one output per channel. mean and invstd = 1/sqrt(biased var + eps) (two passes in
// double); when the running pointers are non-null: running = momentum*batch + (1-momentum)*running
// (unbiased variance, as PyTorch).
#define DEF_BN_STATS(T, sfx) \
    TS_KERNEL void tessera_batch_norm_stats_##sfx(T *mean, T *invstd, T *runningMean, T *runningVar, const T *x, \
                                                  int64_t n, int64_t c, int64_t inner, double eps, double momentum) { \
        __shared__ double shared[1024]; \
        int64_t count = n * inner; \
        for (int64_t base = (int64_t)blockIdx.x * blockDim.y; base < c; base += (int64_t)gridDim.x * blockDim.y) { \
            int64_t ch = base + threadIdx.y; bool live = ch < c; \
            double s = 0; \
            if (live) for (int64_t r = threadIdx.x; r < count; r += blockDim.x) s += x[ts_chan_at(ch, r, c, inner)]; \
            double m = ts_row_reduce(s, shared, DSum()) / (double)count; \
            double v = 0; \
            if (live) for (int64_t r = threadIdx.x; r < count; r += blockDim.x) { double d = x[ts_chan_at(ch, r, c, inner)] - m; v += d * d; } \
            v = ts_row_reduce(v, shared, DSum()); \
            if (!live || threadIdx.x != 0) continue; \
            mean[ch] = (T)m; invstd[ch] = (T)(1.0 / sqrt(v / (double)count + eps)); \
            if (runningMean) runningMean[ch] = (T)(momentum * m + (1 - momentum) * (double)runningMean[ch]); \
            if (runningVar) runningVar[ch] = (T)(momentum * (v / (double)(count - 1)) + (1 - momentum) * (double)runningVar[ch]); } }

// out = x * alpha + beta with alpha = invstd * weight, beta = bias - mean * alpha (weight and bias
// may be NULL: 1 and 0). Eval mode passes the running mean and 1/sqrt(running var + eps).
#define DEF_BN_TRANSFORM(T, sfx) \
    TS_KERNEL void tessera_batch_norm_transform_##sfx(T *out, const T *x, const T *mean, const T *invstd, const T *weight, \
                                                      const T *bias, int64_t n, int64_t c, int64_t inner) { \
        TS_GRID_LOOP(t, n * c * inner) { \
            int64_t ch = (t / inner) % c; \
            T alpha = invstd[ch] * (weight ? weight[ch] : T(1)); \
            T beta = fma(-mean[ch], alpha, bias ? bias[ch] : T(0)); \
            out[t] = fma(x[t], alpha, beta); } }

// Row kernel per channel: sumG = sum g (the bias gradient), sumGXhat = sum g * (x - mean) * invstd
// (the weight gradient).
#define DEF_BN_BWD_REDUCE(T, sfx) \
    TS_KERNEL void tessera_batch_norm_backward_reduce_##sfx(T *sumG, T *sumGXhat, const T *g, const T *x, const T *mean, \
                                                            const T *invstd, int64_t n, int64_t c, int64_t inner) { \
        __shared__ double shared[1024]; \
        int64_t count = n * inner; \
        for (int64_t base = (int64_t)blockIdx.x * blockDim.y; base < c; base += (int64_t)gridDim.x * blockDim.y) { \
            int64_t ch = base + threadIdx.y; bool live = ch < c; \
            double sg = 0, sgx = 0, m = live ? (double)mean[ch] : 0; \
            if (live) for (int64_t r = threadIdx.x; r < count; r += blockDim.x) { \
                int64_t at = ts_chan_at(ch, r, c, inner); sg += g[at]; sgx += (double)g[at] * ((double)x[at] - m); } \
            sg = ts_row_reduce(sg, shared, DSum()); \
            sgx = ts_row_reduce(sgx, shared, DSum()); \
            if (live && threadIdx.x == 0) { sumG[ch] = (T)sg; sumGXhat[ch] = (T)(sgx * (double)invstd[ch]); } } }

// gx = (g - sumG/count - xhat * sumGXhat/count) * invstd * weight in training mode,
// gx = g * invstd * weight in eval mode (weight may be NULL).
#define DEF_BN_BWD_INPUT(T, sfx) \
    TS_KERNEL void tessera_batch_norm_backward_input_##sfx(T *gx, const T *g, const T *x, const T *mean, const T *invstd, \
                                                           const T *weight, const T *sumG, const T *sumGXhat, \
                                                           int64_t n, int64_t c, int64_t inner, int32_t training) { \
        T count = (T)(n * inner); \
        TS_GRID_LOOP(t, n * c * inner) { \
            int64_t ch = (t / inner) % c; \
            T scale = invstd[ch] * (weight ? weight[ch] : T(1)); \
            if (!training) { gx[t] = g[t] * scale; continue; } \
            T xhat = (x[t] - mean[ch]) * invstd[ch]; \
            gx[t] = (g[t] - sumG[ch] / count - xhat * (sumGXhat[ch] / count)) * scale; } }

#define DEF_BN(T, sfx) DEF_BN_STATS(T, sfx) DEF_BN_TRANSFORM(T, sfx) DEF_BN_BWD_REDUCE(T, sfx) DEF_BN_BWD_INPUT(T, sfx)
DEF_BN(float, f32)
DEF_BN(double, f64)
