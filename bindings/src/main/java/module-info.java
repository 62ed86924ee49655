/**
 * Tessera's FFM bindings to native libraries: the CUDA runtime, cuBLAS and cuRAND
 * ({@code dev.tessera.bindings.cuda}). Calls into native code, so run with
 * {@code --enable-native-access=dev.tessera.bindings,dev.tessera.runtime} on the module path.
 */
module dev.tessera.bindings {
    exports dev.tessera.bindings.cuda;
    exports dev.tessera.bindings.mpi;
    exports dev.tessera.bindings.nccl;
}
