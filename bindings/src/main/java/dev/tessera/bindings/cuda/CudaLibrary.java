package dev.tessera.bindings.cuda;

import java.util.List;

/**
 * The NVIDIA shared libraries Tessera binds: the file names (sonames) accepted for each, the
 * sub-directories of a Python site-packages directory where NVIDIA's CUDA wheels put them, and the
 * libraries that must be loaded first.
 */
public enum CudaLibrary {
    /** The driver API; installed with the NVIDIA driver, never by a toolkit or a wheel. */
    DRIVER("libcuda", "the CUDA driver", List.of("libcuda.so.1", "libcuda.so"), List.of(), List.of()),
    /** The runtime API. CUDA 13 wheels put every library in nvidia/cu13/lib, CUDA 12 wheels one folder each. */
    RUNTIME("libcudart", "the CUDA runtime", List.of("libcudart.so.13", "libcudart.so.12", "libcudart.so"),
            List.of("nvidia/cu13/lib", "nvidia/cuda_runtime/lib"), List.of()),
    CUBLAS_LT("libcublasLt", "cuBLASLt", List.of("libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so"),
            List.of("nvidia/cu13/lib", "nvidia/cublas/lib"), List.of()),
    /** libcublas needs libcublasLt of the same release: loading Lt first by path makes the loader reuse it. */
    CUBLAS("libcublas", "cuBLAS", List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so"),
            List.of("nvidia/cu13/lib", "nvidia/cublas/lib"), List.of(CUBLAS_LT)),
    CURAND("libcurand", "cuRAND", List.of("libcurand.so.10", "libcurand.so"),
            List.of("nvidia/cu13/lib", "nvidia/curand/lib"), List.of()),
    NCCL("libnccl", "NCCL", List.of("libnccl.so.2", "libnccl.so"), List.of("nvidia/nccl/lib", "nvidia/cu13/lib"), List.of());

    private final String baseName;
    private final String description;
    private final List<String> fileNames;
    private final List<String> wheelDirs;
    private final List<CudaLibrary> loadFirst;

    CudaLibrary(String baseName, String description, List<String> fileNames, List<String> wheelDirs, List<CudaLibrary> loadFirst) {
        this.baseName = baseName;
        this.description = description;
        this.fileNames = fileNames;
        this.wheelDirs = wheelDirs;
        this.loadFirst = loadFirst;
    }

    /** "libcublas". */
    public String baseName() { return baseName; }

    /** "cuBLAS", for messages. */
    public String description() { return description; }

    /** Accepted file names, preferred first (the newest soname the bindings were checked against). */
    public List<String> fileNames() { return fileNames; }

    /** Directories relative to a site-packages directory where NVIDIA's Python wheels install it. */
    public List<String> wheelDirs() { return wheelDirs; }

    /** Libraries to load (by absolute path) before this one. */
    public List<CudaLibrary> loadFirst() { return loadFirst; }
}
