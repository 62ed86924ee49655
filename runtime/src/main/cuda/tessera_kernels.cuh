// Tessera's CUDA kernels: the launch ABI (mirrored in dev.tessera.ops.cuda.KernelAbi; a test keeps
// the two in step by reading the parameter layouts back out of the built fatbin).
//
// Conventions shared by every kernel
// ----------------------------------
// * Names are extern "C": tessera_<family>_<op>_<dtype>, dtype one of
//     f32 (float), f64 (double), i64 (int64_t), i32 (int32_t), u8 (uint8_t), b8 (bool as one byte 0/1).
// * Pointer parameters are the base device pointer of a storage (8 bytes each). Where a TensorDesc
//   accompanies a pointer, the element at logical index (i0..ir-1) lives at
//   ptr[desc.offset + sum_d i_d * desc.strides[d]]; strides and offsets count elements, not bytes,
//   and may be 0 (broadcast) or negative. Kernels without a TensorDesc take contiguous memory and
//   the pointer already points at the first element (the host adds offset * element size).
// * TensorDesc is passed BY VALUE (144 bytes, 8-byte aligned, layout below); rank <= 8, a rank-0
//   desc is one element. Operands of an elementwise kernel carry the OUTPUT's sizes (broadcasting is
//   resolved on the host: stride 0 on broadcast dims), so n = numel(out).
// * Scalars: int64_t (8 bytes), int32_t (4), double (8). Parameter order is the C signature's.
// * Elementwise kernels (unary, binary, cast, fill, where, index_*, gather, scatter, im2col, col2im,
//   pooling, bn transform/backward_input) are grid-stride loops with 64-bit indices: any grid and
//   block size is correct; use 256 threads and min(ceil(n/256), 32 * SM count) blocks.
// * Row kernels (reduce, argmax/argmin, softmax, bn_stats, bn_backward_reduce) reduce along
//   threadIdx.x: blockDim.x must be a power of two <= 1024 (the lanes cooperating on one output);
//   blockDim.y * blockDim.x <= 1024 outputs-per-block lanes; blocks stride over outputs with
//   gridDim.x. Suggested: blockDim.x = min(1024, nextPow2(reduced length)), blockDim.y =
//   max(1, 256 / blockDim.x). No dynamic shared memory.
// * Errors a kernel can detect (an index out of range, integer division by zero) are reported by
//   writing a nonzero code with atomicExch to the int32_t *err parameter (may be NULL when the
//   caller knows it cannot happen); the host reads it after the launch and throws. Codes:
//   1 = index out of range, 2 = integer division by zero.
#pragma once
#include <stdint.h>

#define TESSERA_MAX_RANK 8

struct TensorDesc {
    int64_t sizes[TESSERA_MAX_RANK];    // bytes 0..63
    int64_t strides[TESSERA_MAX_RANK];  // bytes 64..127, in elements
    int64_t offset;                     // bytes 128..135, in elements
    int32_t rank;                       // bytes 136..139
    int32_t reserved;                   // bytes 140..143 (zero)
};
static_assert(sizeof(TensorDesc) == 144, "TensorDesc layout is part of the ABI");

// 2-D convolution geometry for im2col/col2im (NCHW, contiguous input from x's pointer).
// Columns are [groups, Cg*kh*kw, nb*L] = [C*kh*kw, nb*L] row-major, L = oh*ow: row
// c*kh*kw + i*kw + j, column b*L + oy*ow + ox, for images n0 .. n0+nb-1 (the layout of
// autograd/functions/Convolution.java; a group's rows are contiguous since c = g*Cg + cg).
struct Conv2dGeom {
    int64_t n, c, h, w;        // input batch, channels, height, width
    int64_t kh, kw;            // kernel
    int64_t sh, sw, ph, pw, dh, dw;  // stride, padding, dilation
    int64_t oh, ow;            // output height, width
    int64_t groups;            // informational: the row layout does not depend on it
};
static_assert(sizeof(Conv2dGeom) == 120, "Conv2dGeom layout is part of the ABI");

// max_pool2d geometry over `planes` contiguous [h, w] planes.
struct Pool2dGeom {
    int64_t planes, h, w, oh, ow;
    int64_t kh, kw, sh, sw, ph, pw, dh, dw;
};
static_assert(sizeof(Pool2dGeom) == 104, "Pool2dGeom layout is part of the ABI");

// Advanced-indexing offsets: up to 4 index tensors, each indexing one dim of the source.
struct IndexSpec {
    int64_t dimSize[4];  // size of the indexed source dim (negative indices wrap once, as PyTorch)
    int64_t stride[4];   // element stride of that dim in the source
    int32_t count;       // number of index tensors used, 1..4
    int32_t reserved;
};
static_assert(sizeof(IndexSpec) == 72, "IndexSpec layout is part of the ABI");

#define TESSERA_ERR_INDEX 1
#define TESSERA_ERR_ZERO_DIV 2

#ifdef __CUDACC__
#define TS_KERNEL extern "C" __global__
// Descriptors are __grid_constant__ so device functions read them in place in the parameter bank
// (no per-thread copy to local memory); same by-value ABI for the launcher.
#define TS_DESC const __grid_constant__ TensorDesc

// Grid-stride loop over [0, n) with 64-bit indices.
// (not unrolled: unrolling multiplies code size for a loop that is memory-bound anyway)
#define TS_GRID_LOOP(i, n) \
    _Pragma("unroll 1") for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (int64_t)gridDim.x * blockDim.x)

// Element offset of logical linear index i (row-major over d.sizes) in d's storage.
// Not inlined (the build compiles with -rdc so ptxas keeps it a call): the 64-bit division loop is
// large, and one out-of-line copy per module keeps the
// fatbin small (hundreds of kernels x 7 architectures); rank 1 (contiguous or 1-D) stays inline.
static __device__ __noinline__ int64_t ts_offset_nd(const TensorDesc &d, int64_t i) {
    int64_t off = d.offset;
#pragma unroll 1
    for (int k = d.rank - 1; k >= 0; k--) {
        int64_t s = d.sizes[k];
        int64_t q = i / s;
        off += (i - q * s) * d.strides[k];
        i = q;
    }
    return off;
}

static __device__ __forceinline__ int64_t ts_offset(const TensorDesc &d, int64_t i) {
    return d.rank == 1 ? d.offset + i * d.strides[0] : ts_offset_nd(d, i);
}

// Sum over dims [lo, hi) of d of the element offsets of linear index i within those dims (no
// d.offset): reductions split a desc into kept dims (the output slot) and reduced dims.
static __device__ __noinline__ int64_t ts_offset_range(const TensorDesc &d, int lo, int hi, int64_t i) {
    if (hi - lo == 1) return i * d.strides[lo];
    int64_t off = 0;
#pragma unroll 1
    for (int k = hi - 1; k >= lo; k--) {
        int64_t s = d.sizes[k];
        int64_t q = i / s;
        off += (i - q * s) * d.strides[k];
        i = q;
    }
    return off;
}

static __device__ __forceinline__ int64_t ts_numel(const TensorDesc &d, int lo, int hi) {
    int64_t n = 1;
    for (int k = lo; k < hi; k++) n *= d.sizes[k];
    return n;
}

static __device__ __forceinline__ void ts_report(int32_t *err, int32_t code) {
    if (err) atomicExch(err, code);
}

// Block-wide reduction along threadIdx.x (blockDim.x a power of two); every x-lane of row
// threadIdx.y gets the result. `shared` holds blockDim.x * blockDim.y values.
template <typename A, typename F>
__device__ __forceinline__ A ts_row_reduce(A v, A *shared, F combine) {
    int lane = threadIdx.x, row = threadIdx.y * blockDim.x;
    shared[row + lane] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (lane < s) shared[row + lane] = combine(shared[row + lane], shared[row + lane + s]);
        __syncthreads();
    }
    A r = shared[row];
    __syncthreads();
    return r;
}
#endif
