package dev.tessera.ops.cpu;

import dev.tessera.ops.ref.RefBackend;

/**
 * The CPU backend: SIMD and multithreaded kernels for the common cases (contiguous float32 and
 * float64, GEMM), the reference backend for everything else.
 */
public final class CpuBackend extends RefBackend {
}
