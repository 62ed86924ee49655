// Indexing: gather (index_select, gather), scatter (index_put / index_add / scatter / scatter_add
// along one dim, with accumulate), and advanced indexing through element offsets.
// Out-of-range indices report TESSERA_ERR_INDEX through err and the element is skipped.
#include "tessera_kernels.cuh"

// Wraps a negative index once (PyTorch's rule); -1 when out of range.
static __device__ __forceinline__ int64_t ts_wrap(int64_t v, int64_t size) {
    if (v < 0) v += size;
    return v < 0 || v >= size ? -1 : v;
}

// dst op= v: plain store, or an atomic add (bool: logical or, as PyTorch's bool accumulate).
template <typename T> __device__ __forceinline__ void ts_accumulate(T *p, T v) { atomicAdd(p, v); }
template <> __device__ __forceinline__ void ts_accumulate<int64_t>(int64_t *p, int64_t v) {
    atomicAdd((unsigned long long *)p, (unsigned long long)v);  // two's complement: same bits as a signed add
}
template <> __device__ __forceinline__ void ts_accumulate<bool>(bool *p, bool v) { if (v) *p = true; }

// out[i] = src[src.offset(i) + idx[x.offset(i)] * srcDimStride], i over out's shape.
// gather: sd has out's sizes with stride 0 on dim, xd is the index tensor's desc (out's shape).
// index_select: the same with xd's strides all 0 except dim (the 1-D index's stride).
#define DEF_GATHER(T, sfx) \
    TS_KERNEL void tessera_gather_##sfx(T *out, TS_DESC od, const T *src, TS_DESC sd, const int64_t *idx, TS_DESC xd, \
                                        int64_t srcDimSize, int64_t srcDimStride, int64_t n, int32_t *err) { \
        TS_GRID_LOOP(i, n) { \
            int64_t k = ts_wrap(idx[ts_offset(xd, i)], srcDimSize); \
            if (k < 0) { ts_report(err, TESSERA_ERR_INDEX); continue; } \
            out[ts_offset(od, i)] = src[ts_offset(sd, i) + k * srcDimStride]; } }

// dst[dst.offset(i) + idx[x.offset(i)] * dstDimStride] (= or +=) src[src.offset(i)], i over src's
// shape (dd has src's sizes with stride 0 on dim). Covers index_put/index_copy/index_add along a
// dim, scatter and scatter_add (the backward of gather and index_select). With accumulate=0 and
// duplicate indices, which write lands is unspecified (as PyTorch on CUDA).
#define DEF_SCATTER(T, sfx) \
    TS_KERNEL void tessera_scatter_##sfx(T *dst, TS_DESC dd, const T *src, TS_DESC sd, const int64_t *idx, TS_DESC xd, \
                                         int64_t dstDimSize, int64_t dstDimStride, int64_t n, int32_t accumulate, int32_t *err) { \
        TS_GRID_LOOP(i, n) { \
            int64_t k = ts_wrap(idx[ts_offset(xd, i)], dstDimSize); \
            if (k < 0) { ts_report(err, TESSERA_ERR_INDEX); continue; } \
            T *p = dst + ts_offset(dd, i) + k * dstDimStride; T v = src[ts_offset(sd, i)]; \
            if (accumulate) ts_accumulate(p, v); else *p = v; } }

// Advanced indexing (x[i0, i1, ...] with up to 4 int64 index tensors, broadcast together): the
// element offset of each result element into the source storage. base has the result's sizes and
// the source's strides on the dims kept as slices (0 on the indexed result dims); index tensor k
// has a desc with the result's sizes (stride 0 where it broadcasts) and indexes a source dim of
// spec.dimSize[k] elements at stride spec.stride[k].
TS_KERNEL void tessera_index_offsets(int64_t *offsets, TS_DESC base, const int64_t *i0, TS_DESC d0, const int64_t *i1, TS_DESC d1,
                                     const int64_t *i2, TS_DESC d2, const int64_t *i3, TS_DESC d3,
                                     const __grid_constant__ IndexSpec spec, int64_t n, int32_t *err) {
    TS_GRID_LOOP(i, n) {
        int64_t off = ts_offset(base, i);
        const int64_t *ix[4] = {i0, i1, i2, i3};
        const TensorDesc *dx[4] = {&d0, &d1, &d2, &d3};
        bool ok = true;
#pragma unroll 1
        for (int k = 0; k < spec.count; k++) {
            int64_t v = ts_wrap(ix[k][ts_offset(*dx[k], i)], spec.dimSize[k]);
            if (v < 0) { ok = false; break; }
            off += v * spec.stride[k];
        }
        if (!ok) { ts_report(err, TESSERA_ERR_INDEX); off = -1; }
        offsets[i] = off;
    }
}

// out[out.offset(i)] = src[offsets[i]] (x[indices]); offsets from tessera_index_offsets.
#define DEF_TAKE(T, sfx) \
    TS_KERNEL void tessera_take_##sfx(T *out, TS_DESC od, const T *src, const int64_t *offsets, int64_t n) { \
        TS_GRID_LOOP(i, n) { int64_t o = offsets[i]; if (o >= 0) out[ts_offset(od, i)] = src[o]; } }

// dst[offsets[i]] (= or +=) src[src.offset(i)] (x[indices] = v, index_put_ with accumulate).
#define DEF_PUT(T, sfx) \
    TS_KERNEL void tessera_put_##sfx(T *dst, const int64_t *offsets, const T *src, TS_DESC sd, int64_t n, int32_t accumulate) { \
        TS_GRID_LOOP(i, n) { int64_t o = offsets[i]; if (o < 0) continue; T v = src[ts_offset(sd, i)]; \
            if (accumulate) ts_accumulate(dst + o, v); else dst[o] = v; } }

#define DEF_INDEX_ALL(T, sfx) DEF_GATHER(T, sfx) DEF_SCATTER(T, sfx) DEF_TAKE(T, sfx) DEF_PUT(T, sfx)
DEF_INDEX_ALL(float, f32)
DEF_INDEX_ALL(double, f64)
DEF_INDEX_ALL(int64_t, i64)
DEF_INDEX_ALL(bool, b8)
