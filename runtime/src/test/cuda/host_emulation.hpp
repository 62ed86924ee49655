// Compiles Tessera's CUDA kernels as host C++ (g++ -std=c++20 -include host_emulation.hpp
// tessera_kernels.cu) so their semantics can be tested on machines without a GPU: every kernel
// becomes an extern "C" host function that one OS thread per CUDA thread calls, with threadIdx
// thread-local, blockIdx/blockDim/gridDim set per block (blocks run one after another),
// __shared__ arrays static (shared by the block's threads) and __syncthreads a barrier.
// Used by CudaKernelsOnHostTest only; it says nothing about timing or the GPU's own math library.
#pragma once
#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <memory>
using namespace std;  // unqualified exp(float) etc. resolve to the float overloads, as in CUDA

struct ts_dim3 { unsigned x = 0, y = 0, z = 0; };
thread_local ts_dim3 threadIdx;
ts_dim3 blockIdx, blockDim, gridDim;
static std::unique_ptr<std::barrier<>> ts_block_barrier;

static inline void __syncthreads() { ts_block_barrier->arrive_and_wait(); }

extern "C" void tessera_emu_begin_block(unsigned bx, unsigned gx, unsigned bdx, unsigned bdy) {
    blockIdx = {bx, 0, 0};
    gridDim = {gx, 1, 1};
    blockDim = {bdx, bdy, 1};
    ts_block_barrier = std::make_unique<std::barrier<>>((ptrdiff_t)bdx * bdy);
}
extern "C" void tessera_emu_thread(unsigned tx, unsigned ty) { threadIdx = {tx, ty, 0}; }
// A thread that returned from the kernel no longer takes part in the block's barriers.
extern "C" void tessera_emu_end_thread() { ts_block_barrier->arrive_and_drop(); }

template <typename T> static inline T atomicAdd(T *p, T v) { return std::atomic_ref<T>(*p).fetch_add(v); }
static inline int32_t atomicExch(int32_t *p, int32_t v) { return std::atomic_ref<int32_t>(*p).exchange(v); }
static inline float rsqrt(float x) { return 1.0f / std::sqrt(x); }
static inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }

#define __global__
#define __device__
#define __forceinline__ inline
#define __noinline__ __attribute__((noinline))
#define __shared__ static
#define __grid_constant__
#define __CUDACC__ 1
