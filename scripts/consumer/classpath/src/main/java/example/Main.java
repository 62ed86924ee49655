package example;

import static dev.tessera.Torch.*;

import dev.tessera.Tensor;

/** Uses Tessera as a library: prints what PyTorch prints for the same lines. */
public class Main {
    public static void main(String[] args) {
        Tensor a = tensor(new float[][] {{1, 2}, {3, 4}});
        System.out.println(a.matmul(a.T()));
        manualSeed(42);
        System.out.println(rand(2, 3));
        System.out.println("named module: " + Tensor.class.getModule().isNamed());
    }
}
