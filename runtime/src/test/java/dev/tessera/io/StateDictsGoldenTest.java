package dev.tessera.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by real PyTorch 1.13 (scripts/golden/gen_state_dicts.py) read back exactly. */
class StateDictsGoldenTest {
    @TempDir Path dir;

    @Test
    void modelStateDictMatchesTorch() {
        Map<String, Tensor> sd = StateDicts.load(Fixtures.path("model.pth"));
        List<Fixtures.Expected> expected = Fixtures.expectations("model.txt");
        assertEquals(expected.stream().map(Fixtures.Expected::key).toList(), List.copyOf(sd.keySet()), "file order");
        Fixtures.check(expected, sd, true);
        assertEquals(DType.INT64, sd.get("1.num_batches_tracked").dtype());
        assertEquals(0, sd.get("1.num_batches_tracked").dim());
    }

    @Test
    void mixedDtypesViewsAndSharedStorage() {
        Map<String, Tensor> sd = StateDicts.loadPth(Fixtures.path("mixed.pth"));
        List<Fixtures.Expected> expected = Fixtures.expectations("mixed.txt");
        // 'epoch' (an int) and 'nested' (a dict) are not top-level tensors: skipped.
        assertEquals(expected.stream().map(Fixtures.Expected::key).toList(), List.copyOf(sd.keySet()));
        Fixtures.check(expected, sd, true);
    }

    @Test
    void sharedStorageStaysSharedAndTheFileIsNotWritten() throws IOException {
        Path copy = dir.resolve("mixed.pth");
        Files.copy(Fixtures.path("mixed.pth"), copy);
        byte[] before = Files.readAllBytes(copy);
        Map<String, Tensor> sd = StateDicts.load(copy);
        sd.get("base").mul_(2);
        assertEquals(List.of(8.0, 10.0, 12.0, 14.0), boxed(sd.get("row").toDoubleArray()));
        assertEquals(List.of(4.0, 12.0, 20.0), boxed(sd.get("col").toDoubleArray()));
        assertEquals(2.0, sd.get("transposed").toDoubleArray()[3]); // transposed[1][0] = base[0][1]
        // The mapping is copy-on-write: the file and a fresh load still hold the saved values.
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(copy)));
        assertEquals(4.0, StateDicts.load(copy).get("row").toDoubleArray()[0]);
    }

    @Test
    void handWrittenSafetensorsMatchTorchValues() {
        Map<String, Tensor> sd = StateDicts.load(Fixtures.path("mixed.safetensors"));
        Fixtures.check(Fixtures.expectations("mixed_safetensors.txt"), sd, false);
        // Header order (the reference writer's: dtype descending, then name) is the map's order.
        assertEquals(List.of("i64", "scalar_long", "f64"), List.copyOf(sd.keySet()).subList(0, 3));
        for (Tensor t : sd.values()) assertTrue(t.isContiguous());
    }

    @Test
    void formatIsDetectedByContentNotName() throws IOException {
        Path st = Files.copy(Fixtures.path("mixed.safetensors"), dir.resolve("weights.bin"));
        Path pth = Files.copy(Fixtures.path("model.pth"), dir.resolve("model.safetensors"));
        assertEquals(Fixtures.expectations("mixed_safetensors.txt").size(), StateDicts.load(st).size());
        Fixtures.check(Fixtures.expectations("model.txt"), StateDicts.load(pth), true);
    }

    @Test
    void legacyPickleFormatIsRefusedWithAdvice() {
        var e = assertThrows(StateDictFormatException.class, () -> StateDicts.load(Fixtures.path("legacy.pth")));
        assertTrue(e.getMessage().contains("legacy .pth format not supported; re-save with torch.save(..., _use_new_zipfile_serialization=True)"), e.getMessage());
        assertTrue(e.getMessage().contains("legacy.pth"), e.getMessage());
    }

    @Test
    void maliciousGlobalsAreRefusedBeforeAnythingRuns() {
        var os = assertThrows(StateDictFormatException.class, () -> StateDicts.load(Fixtures.path("evil_os_system.pth")));
        assertTrue(os.getMessage().contains("forbidden pickle global 'os.system'"), os.getMessage());
        assertTrue(os.getMessage().contains("evil_os_system.pth!archive/data.pkl"), os.getMessage());
        assertTrue(os.getMessage().contains("(at offset 2)"), os.getMessage());
        var eval = assertThrows(StateDictFormatException.class, () -> StateDicts.loadPth(Fixtures.path("evil_builtins_eval.pth")));
        assertTrue(eval.getMessage().contains("forbidden pickle global 'builtins.eval'"), eval.getMessage());
    }

    @Test
    void safetensorsLoaderRefusesPthAndViceVersa() {
        assertThrows(StateDictFormatException.class, () -> StateDicts.loadSafetensors(Fixtures.path("model.pth")));
        var e = assertThrows(StateDictFormatException.class, () -> StateDicts.loadPth(Fixtures.path("mixed.safetensors")));
        assertTrue(e.getMessage().contains("not a torch.save zip archive"), e.getMessage());
    }

    @Test
    void missingFileIsAnIoError() {
        var e = assertThrows(java.io.UncheckedIOException.class, () -> StateDicts.load(dir.resolve("absent.pth")));
        assertTrue(e.getMessage().contains("absent.pth"), e.getMessage());
        assertThrows(java.io.UncheckedIOException.class, () -> StateDicts.loadSafetensors(dir.resolve("absent.safetensors")));
    }

    private static List<Double> boxed(double[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }
}
