package dev.tessera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The kernel warm-up runs its whole graph without error and leaves a seeded program's random stream alone. */
class KernelWarmupTest {
    @Test
    void warmupDrawsNoRandomNumbers() {
        Torch.manualSeed(3);
        float[] first = Torch.rand(4).toFloatArray();
        float[] expected = Torch.rand(4).toFloatArray();
        Torch.manualSeed(3);
        assertArrayEquals(first, Torch.rand(4).toFloatArray());
        KernelWarmup.runNow();
        assertArrayEquals(expected, Torch.rand(4).toFloatArray(), "the warm-up consumed numbers from the default generator");
    }
}
