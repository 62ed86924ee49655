package example;

import static dev.tessera.Torch.*;

import dev.tessera.Tensor;

/** Uses Tessera from a named module: the API packages are readable, the internals are not exported. */
public class Main {
    public static void main(String[] args) {
        Tensor a = tensor(new float[][] {{1, 2}, {3, 4}});
        System.out.println(a.matmul(a.T()));
        manualSeed(42);
        System.out.println(rand(2, 3));
        Module m = Tensor.class.getModule();
        System.out.println("module: " + m);
        System.out.println("exports dev.tessera.nn: " + m.isExported("dev.tessera.nn"));
        System.out.println("exports dev.tessera.ops: " + m.isExported("dev.tessera.ops"));
    }
}
