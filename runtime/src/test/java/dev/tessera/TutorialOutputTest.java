package dev.tessera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.examples.Tutorial;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's stdout equals what PyTorch 1.13 prints for the same program
 * (scripts/golden/gen_tutorial.py), and the seed document's printed "out:" lines appear in it in order.
 */
class TutorialOutputTest {
    private static final String SEED = "shared/seed/000_9cde6cb49b595ef8.txt";
    /** Prefixes of the lines in the seed's "out:" blocks that are program output (the blocks also hold prose and code). */
    private static final List<String> OUTPUT_PREFIXES = List.of("tensor(", "[", "Ones Tensor", "Random Tensor", "Zeros Tensor",
            "Shape of tensor", "Datatype of tensor", "Device tensor", "t: ", "n: ", "Does `", "tensor.mul(tensor)", "tensor * tensor",
            "tensor.matmul(tensor.T)", "tensor @ tensor.T");

    private static String runTutorial() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            new Tutorial(ps).run();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stdoutEqualsPyTorch() throws IOException {
        Assumptions.assumeFalse(Cuda.isAvailable(), "expected.txt is PyTorch's output without CUDA");
        String expected;
        try (InputStream in = TutorialOutputTest.class.getResourceAsStream("/golden/tutorial/expected.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(expected, runTutorial());
    }

    @Test
    void seedOutputLinesAppearInOrder() throws IOException {
        Path seed = findSeed();
        if (seed == null) {
            System.out.println("[TutorialOutputTest] skipped: seed file " + SEED + " not found above the repository root");
            Assumptions.abort("seed tutorial not present");
        }
        List<String> want = seedOutputLines(Files.readAllLines(seed, StandardCharsets.UTF_8));
        assertTrue(want.size() >= 60, "parsed only " + want.size() + " output lines from the seed");
        List<String> got = runTutorial().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        int pos = 0;
        for (String line : want) {
            if (line.contains("cuda") && !Cuda.isAvailable()) {
                System.out.println("[TutorialOutputTest] not checked without CUDA: " + line);
                continue;
            }
            while (pos < got.size() && !got.get(pos).equals(line)) pos++;
            assertTrue(pos < got.size(), "seed output line not found (in order) in the Java output: " + line);
            pos++;
        }
    }

    static List<String> seedOutputLines(List<String> seedLines) {
        List<String> out = new ArrayList<>();
        boolean inBlock = false;
        for (String raw : seedLines) {
            String line = raw.strip();
            if (line.equals("out:")) { inBlock = true; continue; }
            if (!inBlock || line.isEmpty()) continue;
            if (line.matches("\\d+")) { inBlock = false; continue; }  // the next code cell's line numbers
            for (String p : OUTPUT_PREFIXES) {
                if (line.startsWith(p)) { out.add(line); break; }
            }
        }
        return out;
    }

    /** ../shared/seed relative to the repository root, or to one of its parents (worktrees live one level deeper). */
    private static Path findSeed() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("runtime").resolve("pom.xml"))) dir = dir.getParent();
        for (Path p = dir == null ? null : dir.getParent(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(SEED))) return p.resolve(SEED);
        }
        return null;
    }
}
