// Row kernels: reductions over arbitrary dims, argmax/argmin, softmax and log_softmax.
// Launch: see the row-kernel rules in tessera_kernels.cuh (blockDim.x lanes per output).
#include "tessera_kernels.cuh"
#include <math.h>
#include <float.h>

// ---- sum / prod / max / min ---------------------------------------------------------------------
// The input desc lists the kept dims first (their sizes are the output's, in the output desc's
// order) and the reduced dims after them: in.rank = keptRank + reduced count. The host permutes
// the desc; no data moves. Floating types accumulate in double (as the reference), int64 exactly.
// max/min propagate NaN; an empty max/min is rejected on the host (sum gives 0, prod 1).
struct SumOp { template <typename A> __device__ A operator()(A a, A b) const { return a + b; } };
struct ProdOp { template <typename A> __device__ A operator()(A a, A b) const { return a * b; } };
struct MaxOp { template <typename A> __device__ A operator()(A a, A b) const { return a != a ? a : b != b ? b : (a > b ? a : b); } };
struct MinOp { template <typename A> __device__ A operator()(A a, A b) const { return a != a ? a : b != b ? b : (a < b ? a : b); } };

template <typename T, typename A, typename F>
__device__ __forceinline__ void reduce_rows(T *out, const TensorDesc &od, const T *in, const TensorDesc &id,
                                            int keptRank, A identity, F combine) {
    __shared__ A shared[1024];
    int64_t outN = ts_numel(id, 0, keptRank), redN = ts_numel(id, keptRank, id.rank);
    for (int64_t base = (int64_t)blockIdx.x * blockDim.y; base < outN; base += (int64_t)gridDim.x * blockDim.y) {
        int64_t o = base + threadIdx.y;
        A acc = identity;
        if (o < outN) {
            int64_t at = id.offset + ts_offset_range(id, 0, keptRank, o);
            for (int64_t r = threadIdx.x; r < redN; r += blockDim.x) acc = combine(acc, (A)in[at + ts_offset_range(id, keptRank, id.rank, r)]);
        }
        acc = ts_row_reduce(acc, shared, combine);
        if (o < outN && threadIdx.x == 0) out[ts_offset(od, o)] = (T)acc;
    }
}

#define DEF_REDUCE(op, F, T, A, sfx, ident) \
    TS_KERNEL void tessera_reduce_##op##_##sfx(T *out, TS_DESC od, const T *in, TS_DESC id, int32_t keptRank) { \
        reduce_rows<T, A>(out, od, in, id, keptRank, (A)(ident), F()); }
#define DEF_REDUCE_ALL(T, A, sfx, lo, hi) \
    DEF_REDUCE(sum, SumOp, T, A, sfx, 0) DEF_REDUCE(prod, ProdOp, T, A, sfx, 1) \
    DEF_REDUCE(max, MaxOp, T, A, sfx, lo) DEF_REDUCE(min, MinOp, T, A, sfx, hi)
DEF_REDUCE_ALL(float, double, f32, -INFINITY, INFINITY)
DEF_REDUCE_ALL(double, double, f64, -INFINITY, INFINITY)
DEF_REDUCE_ALL(int64_t, int64_t, i64, INT64_MIN, INT64_MAX)

// ---- argmax / argmin ----------------------------------------------------------------------------
// in's last dim is the one reduced; out (int64) has in's other dims. The first index of the
// extreme wins; NaN counts as the extreme (the first NaN), as PyTorch.
template <typename T> struct ArgPair { T v; int64_t i; };

template <typename T, bool MAX>
struct ArgPick {
    __device__ ArgPair<T> operator()(ArgPair<T> a, ArgPair<T> b) const {
        if (a.i < 0) return b;
        if (b.i < 0) return a;
        bool an = a.v != a.v, bn = b.v != b.v;
        if (an || bn) return an && bn ? (a.i < b.i ? a : b) : (an ? a : b);
        if (a.v == b.v) return a.i < b.i ? a : b;
        return (MAX ? a.v > b.v : a.v < b.v) ? a : b;
    }
};

template <typename T, bool MAX>
__device__ __forceinline__ void arg_rows(int64_t *out, const TensorDesc &od, const T *in, const TensorDesc &id) {
    __shared__ ArgPair<T> shared[1024];
    int kept = id.rank - 1;
    int64_t outN = ts_numel(id, 0, kept), len = id.sizes[kept], step = id.strides[kept];
    ArgPick<T, MAX> pick;
    for (int64_t base = (int64_t)blockIdx.x * blockDim.y; base < outN; base += (int64_t)gridDim.x * blockDim.y) {
        int64_t o = base + threadIdx.y;
        ArgPair<T> acc = {T(0), -1};
        if (o < outN) {
            int64_t at = id.offset + ts_offset_range(id, 0, kept, o);
            for (int64_t r = threadIdx.x; r < len; r += blockDim.x) acc = pick(acc, ArgPair<T>{in[at + r * step], r});
        }
        acc = ts_row_reduce(acc, shared, pick);
        if (o < outN && threadIdx.x == 0) out[ts_offset(od, o)] = acc.i < 0 ? 0 : acc.i;
    }
}

#define DEF_ARG(T, sfx) \
    TS_KERNEL void tessera_argmax_##sfx(int64_t *out, TS_DESC od, const T *in, TS_DESC id) { arg_rows<T, true>(out, od, in, id); } \
    TS_KERNEL void tessera_argmin_##sfx(int64_t *out, TS_DESC od, const T *in, TS_DESC id) { arg_rows<T, false>(out, od, in, id); }
DEF_ARG(float, f32)
DEF_ARG(double, f64)
DEF_ARG(int64_t, i64)

// ---- softmax / log_softmax over the last dim (contiguous rows) -----------------------------------
// Accumulates in T's own precision after subtracting the row max (PyTorch's CUDA kernels accumulate
// float in float as well).
template <typename T, bool LOG>
__device__ __forceinline__ void softmax_rows(T *out, const T *x, int64_t rows, int64_t cols) {
    __shared__ T shared[1024];
    for (int64_t base = (int64_t)blockIdx.x * blockDim.y; base < rows; base += (int64_t)gridDim.x * blockDim.y) {
        int64_t row = base + threadIdx.y;
        bool live = row < rows;
        const T *xr = x + (live ? row : 0) * cols;
        T m = -INFINITY;
        if (live) for (int64_t c = threadIdx.x; c < cols; c += blockDim.x) m = MaxOp()(m, xr[c]);
        m = ts_row_reduce(m, shared, MaxOp());
        T s = 0;
        if (live) for (int64_t c = threadIdx.x; c < cols; c += blockDim.x) s += exp(xr[c] - m);
        s = ts_row_reduce(s, shared, SumOp());
        if (!live) continue;
        T *orow = out + row * cols;
        T logs = log(s);
        for (int64_t c = threadIdx.x; c < cols; c += blockDim.x) orow[c] = LOG ? xr[c] - m - logs : exp(xr[c] - m) / s;
    }
}

// gx = y * (g - sum(g * y)) for softmax; gx = g - exp(y) * sum(g) for log_softmax (y is the output).
template <typename T, bool LOG>
__device__ __forceinline__ void softmax_backward_rows(T *gx, const T *g, const T *y, int64_t rows, int64_t cols) {
    __shared__ T shared[1024];
    for (int64_t base = (int64_t)blockIdx.x * blockDim.y; base < rows; base += (int64_t)gridDim.x * blockDim.y) {
        int64_t row = base + threadIdx.y;
        bool live = row < rows;
        int64_t at = (live ? row : 0) * cols;
        T s = 0;
        if (live) for (int64_t c = threadIdx.x; c < cols; c += blockDim.x) s += LOG ? g[at + c] : g[at + c] * y[at + c];
        s = ts_row_reduce(s, shared, SumOp());
        if (!live) continue;
        for (int64_t c = threadIdx.x; c < cols; c += blockDim.x)
            gx[at + c] = LOG ? g[at + c] - exp(y[at + c]) * s : y[at + c] * (g[at + c] - s);
    }
}

#define DEF_SOFTMAX(T, sfx) \
    TS_KERNEL void tessera_softmax_##sfx(T *out, const T *x, int64_t rows, int64_t cols) { softmax_rows<T, false>(out, x, rows, cols); } \
    TS_KERNEL void tessera_log_softmax_##sfx(T *out, const T *x, int64_t rows, int64_t cols) { softmax_rows<T, true>(out, x, rows, cols); } \
    TS_KERNEL void tessera_softmax_backward_##sfx(T *gx, const T *g, const T *y, int64_t rows, int64_t cols) { softmax_backward_rows<T, false>(gx, g, y, rows, cols); } \
    TS_KERNEL void tessera_log_softmax_backward_##sfx(T *gx, const T *g, const T *y, int64_t rows, int64_t cols) { softmax_backward_rows<T, true>(gx, g, y, rows, cols); }
DEF_SOFTMAX(float, f32)
DEF_SOFTMAX(double, f64)
