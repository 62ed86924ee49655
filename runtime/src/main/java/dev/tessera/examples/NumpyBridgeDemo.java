package dev.tessera.examples;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.numpy.NDArray;
import dev.tessera.numpy.Npy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tutorial's "Bridge with NumPy" across two processes: Java maps a .npy file, a python3
 * process maps the same file with {@code np.load(path, mmap_mode='r+')}, and each side's in-place
 * writes show up on the other with no copy. Prints "t:" for the Java tensor and "n:" for what NumPy
 * prints. Usage: {@code NumpyBridgeDemo [python3]}.
 */
public final class NumpyBridgeDemo {
    private static final String CHILD = """
            import sys, numpy as np
            n = np.load(sys.argv[1], mmap_mode='r+')
            for line in sys.stdin:
                if line.strip() == 'add1':
                    np.add(n, 1, out=n); n.flush()
                elif line.strip() != 'show':
                    break
                print(f"n: {n}", flush=True)
            """;

    public static void main(String[] args) throws Exception {
        String python = args.length > 0 ? args[0] : "python3";
        Path dir = Files.createTempDirectory("tessera-numpy-bridge");
        Path file = dir.resolve("t.npy");
        try (NDArray j = NDArray.create(file, DType.FLOAT32, 5)) {
            Tensor t = Torch.fromNumpy(j);      // the tensor's storage is the mapped file
            t.fill_(1.0);
            j.force();
            Process p = new ProcessBuilder(python, "-c", CHILD, file.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 var out = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8)) {
                System.out.println("shared file: " + file + " (" + j.descr() + ", shape " + Npy.shapeRepr(j.shape()) + ")");
                System.out.println("t: " + t);
                out.println("show");
                System.out.println(in.readLine());

                System.out.println("-- Java adds 1 in place (t.add_(1)), then force()");
                t.add_(1);
                j.force();
                System.out.println("t: " + t);
                out.println("show");
                System.out.println(in.readLine());

                System.out.println("-- NumPy adds 1 in place (np.add(n, 1, out=n))");
                out.println("add1");
                System.out.println(in.readLine());
                System.out.println("t: " + t);
                out.println("quit");
            }
            if (p.waitFor() != 0) throw new IllegalStateException(python + " exited with " + p.exitValue());
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
