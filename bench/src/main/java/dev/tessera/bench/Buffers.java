package dev.tessera.bench;

import dev.tessera.Tensor;
import dev.tessera.Torch;

/** Benchmark inputs: float32 tensors with values uniform in [-1, 1), reproducible by seed. */
final class Buffers {
    private Buffers() {}

    static Tensor randomF32(long seed, long... shape) {
        Torch.manualSeed(seed);
        return Torch.rand(shape).mul_(2).sub_(1);
    }
}
