/**
 * Tessera, a PyTorch-style tensor runtime: the public packages of the API contract
 * ({@code ../shared/spec/API.md}). Everything else (ops and kernels, tensor internals, memory,
 * autograd internals, the random generator, examples) is implementation and not exported.
 *
 * <p>On the module path: {@code requires dev.tessera.runtime;} and run with
 * {@code --enable-native-access=dev.tessera.runtime,dev.tessera.bindings} (off-heap memory and
 * mmap go through FFM). On the class path this descriptor is ignored and every package is
 * visible, as before; there the flags are
 * {@code --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED}.
 */
module dev.tessera.runtime {
    requires transitive dev.tessera.bindings;
    requires jdk.incubator.vector;
    requires jdk.management; // LargeBlocks reads -XX:MaxDirectMemorySize through HotSpotDiagnosticMXBean

    exports dev.tessera;
    exports dev.tessera.numpy;
    exports dev.tessera.nn;
    exports dev.tessera.optim;
    exports dev.tessera.io;
    exports dev.tessera.vision;
    exports dev.tessera.distributed;
    exports dev.tessera.nn.parallel;

    // devices other than the CPU register their kernels as providers (ops.Backends)
    uses dev.tessera.ops.BackendProvider;
    provides dev.tessera.ops.BackendProvider with dev.tessera.ops.cuda.CudaBackendProvider;
}
