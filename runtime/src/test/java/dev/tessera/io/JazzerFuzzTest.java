package dev.tessera.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tessera.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * Coverage-guided fuzz targets (Jazzer) for the state-dict readers. {@code mvn test} replays the
 * committed inputs under {@code src/test/resources/dev/tessera/io/JazzerFuzzTestInputs/<method>/}
 * (regression mode); {@code scripts/fuzz} runs a campaign per target with {@code JAZZER_FUZZ=1}.
 * A target passes an input when it loads, every small tensor reads in full, or the reader refuses
 * it with its format exception; anything else (an out-of-bounds access, an overflow, an
 * OutOfMemoryError, a hang) is a finding. Inputs are parsed in memory, not through files, so a
 * campaign runs at millions of executions.
 */
class JazzerFuzzTest {
    /** A stored torch.save archive whose storages the pickle target's inputs may name. */
    private static final MemorySegment MODEL = MemorySegment.ofArray(Fixtures.bytes("model.pth"));

    @FuzzTest(maxDuration = "24h")
    void pth(byte[] input) {
        try (Arena arena = Arena.ofConfined()) {
            read(PthReader.load(copy(input, arena), "fuzz.pth"));
        } catch (StateDictFormatException e) {
            requireMessage(e);
        }
    }

    /** The unpickler alone, over the storages of a real archive (the pth target rarely keeps a zip valid). */
    @FuzzTest(maxDuration = "24h")
    void pickle(byte[] input) {
        try (Arena arena = Arena.ofConfined()) {
            read(PthReader.loadWithPickle(MODEL, "model.pth", "model/", copy(input, arena)));
        } catch (StateDictFormatException e) {
            requireMessage(e);
        }
    }

    @FuzzTest(maxDuration = "24h")
    void safetensors(byte[] input) {
        try (Arena arena = Arena.ofConfined()) {
            read(Safetensors.load(copy(input, arena), "fuzz.safetensors"));
        } catch (StateDictFormatException e) {
            requireMessage(e);
        }
    }

    /** Off-heap and 64-byte aligned, like the copies and mappings the readers normally get. */
    static MemorySegment copy(byte[] input, Arena arena) {
        MemorySegment s = arena.allocate(Math.max(input.length, 1), 64).asSlice(0, input.length);
        s.copyFrom(MemorySegment.ofArray(input));
        return s;
    }

    /** Reads every element of tensors small enough to read (stride-0 views can be huge). */
    private static void read(Map<String, Tensor> sd) {
        for (Tensor t : sd.values()) {
            if (t.numel() <= 1 << 16) t.detach().toDoubleArray();
        }
    }

    static void requireMessage(RuntimeException e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) throw new AssertionError("format exception without a message", e);
    }

}
