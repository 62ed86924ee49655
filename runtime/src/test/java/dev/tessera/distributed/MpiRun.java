package dev.tessera.distributed;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Starts a test main class on N ranks through mpirun (loopback, shared memory) with a hard timeout. */
final class MpiRun {
    record Result(int exitCode, String output, long millis, boolean timedOut) {}

    private MpiRun() {}

    /** Skips the calling test, printing why, when mpirun is not installed. */
    static String mpirunOrSkip() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "mpirun");
            if (Files.isExecutable(p)) return p.toString();
        }
        System.out.println("SKIP: mpirun not found on PATH (apt-get install openmpi-bin libopenmpi-dev; scripts/test does this)");
        Assumptions.abort("mpirun not found on PATH");
        return null;
    }

    static Result run(int ranks, int timeoutSeconds, Class<?> main, String... args) throws IOException, InterruptedException {
        String mpirun = mpirunOrSkip();
        List<String> cmd = new ArrayList<>(List.of(mpirun, "-np", String.valueOf(ranks), "--oversubscribe", "--bind-to", "none",
                "--mca", "btl", "self,vader", "-x", "TESSERA_NUM_THREADS=1",
                // the malloc settings scripts/launch gives ranks (Open MPI's large-message scratch
                // buffers are otherwise faulted in afresh on every call)
                "-x", "GLIBC_TUNABLES=glibc.malloc.hugetlb=1", "-x", "MALLOC_TOP_PAD_=268435456"));
        if ("root".equals(System.getProperty("user.name"))) cmd.add("--allow-run-as-root");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-XX:+UseSerialGC",
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", cp,
                main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        // drain output on another thread so a chatty child cannot block on a full pipe
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // process killed
            }
        });
        reader.start();
        boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(10_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String text = out.toString().lines().filter(l -> !l.startsWith("WARNING: ")).reduce("", (a, b) -> a + b + "\n");
        System.out.println("[mpirun " + main.getSimpleName() + " " + String.join(" ", args) + ": exit " + (finished ? p.exitValue() : "timeout")
                + " in " + ms + " ms]\n" + text);
        return new Result(finished ? p.exitValue() : -1, text, ms, !finished);
    }
}
