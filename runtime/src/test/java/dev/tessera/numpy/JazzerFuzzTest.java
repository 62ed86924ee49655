package dev.tessera.numpy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tessera.Torch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Coverage-guided fuzz targets (Jazzer) for the NumPy readers: the {@code .npy} header and body,
 * and {@code .npz} archives. {@code mvn test} replays the committed inputs under
 * {@code src/test/resources/dev/tessera/numpy/JazzerFuzzTestInputs/<method>/} (regression mode);
 * {@code scripts/fuzz} runs a campaign per target. An input passes when it loads and reads in full
 * (as an NDArray and, when the byte order allows, as a tensor) or is refused with an
 * {@link NpyFormatException}; anything else is a finding.
 */
class JazzerFuzzTest {
    @FuzzTest(maxDuration = "24h")
    void npy(byte[] input) {
        try (Arena arena = Arena.ofConfined()) {
            read(NDArray.fromImage(copy(input, arena), "fuzz.npy", null));
        } catch (NpyFormatException e) {
            requireMessage(e);
        }
    }

    /** Deflated members may inflate to 16 MiB in all, so a campaign stays fast. */
    @FuzzTest(maxDuration = "24h")
    void npz(byte[] input) {
        try (Arena arena = Arena.ofConfined()) {
            for (NDArray a : Npz.load(copy(input, arena), "fuzz.npz", 1 << 24).values()) read(a);
        } catch (NpyFormatException e) {
            requireMessage(e);
        }
    }

    private static void read(NDArray a) {
        if (a.size() > 1 << 16) return;
        a.toDoubleArray();
        if (a.isLittleEndian() || a.dtype().byteSize() == 1) Torch.fromNumpy(a).toDoubleArray();
    }

    private static MemorySegment copy(byte[] input, Arena arena) {
        MemorySegment s = arena.allocate(Math.max(input.length, 1), 64).asSlice(0, input.length);
        s.copyFrom(MemorySegment.ofArray(input));
        return s;
    }

    private static void requireMessage(RuntimeException e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) throw new AssertionError("format exception without a message", e);
    }
}
