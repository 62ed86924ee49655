package dev.tessera.bindings.cuda;

import dev.tessera.bindings.nccl.nccl_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks the status codes the bound libraries return. Every check names the operation and the
 * library's own text for the code, e.g. {@code cudaMalloc(4096 bytes) failed: CUDA runtime error
 * cudaErrorMemoryAllocation (2): out of memory}. Describing an error never throws: when the library's
 * describing function is unavailable the code's bound name (or its number) is used.
 */
public final class CudaErrors {
    private static final Map<Integer, String> RUNTIME_NAMES = constantNames(cuda_runtime_api_h.class, "cuda", "Error", "Success");
    private static final Map<Integer, String> DRIVER_NAMES = constantNames(cuda_h.class, "CUDA_");
    private static final Map<Integer, String> CUBLAS_NAMES = constantNames(cublas_api_h.class, "CUBLAS_STATUS_");
    private static final Map<Integer, String> CURAND_NAMES = constantNames(curand_h.class, "CURAND_STATUS_");
    private static final Map<Integer, String> NCCL_NAMES = constantNames(nccl_h.class, "nccl", "Success", "Error", "Usage",
            "Argument", "InProgress");

    private CudaErrors() {}

    /** Throws {@link CudaException} unless {@code err} is cudaSuccess. */
    public static void checkRuntime(int err, String op) {
        if (err != 0) throw new CudaException("CUDA runtime", err, op + " failed: CUDA runtime error " + runtimeError(err));
    }

    /** Throws {@link CudaException} unless {@code result} is CUDA_SUCCESS. */
    public static void checkDriver(int result, String op) {
        if (result != 0) throw new CudaException("CUDA driver", result, op + " failed: CUDA driver error " + driverError(result));
    }

    /** Throws {@link CudaException} unless {@code status} is CUBLAS_STATUS_SUCCESS. */
    public static void checkCublas(int status, String op) {
        if (status != 0) throw new CudaException("cuBLAS", status, op + " failed: cuBLAS error " + cublasError(status));
    }

    /** Throws {@link CudaException} unless {@code status} is CURAND_STATUS_SUCCESS. */
    public static void checkCurand(int status, String op) {
        if (status != 0) throw new CudaException("cuRAND", status, op + " failed: cuRAND error " + curandError(status));
    }

    /** Throws {@link CudaException} unless {@code result} is ncclSuccess. */
    public static void checkNccl(int result, String op) {
        if (result != 0) throw new CudaException("NCCL", result, op + " failed: NCCL error " + ncclError(result));
    }

    /** "cudaErrorMemoryAllocation (2): out of memory". */
    public static String runtimeError(int err) {
        try {
            return cString(cuda_runtime_api_h.cudaGetErrorName(err)) + " (" + err + "): "
                    + cString(cuda_runtime_api_h.cudaGetErrorString(err));
        } catch (CudaLibraryException unavailable) {
            return RUNTIME_NAMES.getOrDefault(err, "cudaError_t") + " (" + err + ")";
        }
    }

    /** "CUDA_ERROR_OUT_OF_MEMORY (2): out of memory". */
    public static String driverError(int result) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocate(cuda_h.C_POINTER);
            MemorySegment text = a.allocate(cuda_h.C_POINTER);
            if (cuda_h.cuGetErrorName(result, name) != 0 || cuda_h.cuGetErrorString(result, text) != 0) {
                return DRIVER_NAMES.getOrDefault(result, "CUresult") + " (" + result + ")";
            }
            return cString(name.get(cuda_h.C_POINTER, 0)) + " (" + result + "): " + cString(text.get(cuda_h.C_POINTER, 0));
        } catch (CudaLibraryException unavailable) {
            return DRIVER_NAMES.getOrDefault(result, "CUresult") + " (" + result + ")";
        }
    }

    /** "CUBLAS_STATUS_ALLOC_FAILED (3): the resource allocation failed". */
    public static String cublasError(int status) {
        String name = CUBLAS_NAMES.getOrDefault(status, "status") + " (" + status + ")";
        try {
            return name + ": " + cString(cublas_api_h.cublasGetStatusString(status));
        } catch (CudaLibraryException unavailable) {
            return name;
        }
    }

    /** "CURAND_STATUS_LENGTH_NOT_MULTIPLE (105)" (cuRAND has no function that describes its codes). */
    public static String curandError(int status) {
        return CURAND_NAMES.getOrDefault(status, "status") + " (" + status + ")";
    }

    /** "ncclInvalidArgument (4): invalid argument". */
    public static String ncclError(int result) {
        String name = NCCL_NAMES.getOrDefault(result, "result") + " (" + result + ")";
        try {
            return name + ": " + cString(nccl_h.ncclGetErrorString(result));
        } catch (CudaLibraryException unavailable) {
            return name;
        }
    }

    private static String cString(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? "(null)" : p.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** value -> name of the binding class's int constants whose names start with prefix (and contain a marker, if given). */
    private static Map<Integer, String> constantNames(Class<?> header, String prefix, String... markers) {
        Map<Integer, String> names = new HashMap<>();
        for (Method m : header.getDeclaredMethods()) {
            String n = m.getName();
            if (!Modifier.isPublic(m.getModifiers()) || !Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0
                    || m.getReturnType() != int.class || !n.startsWith(prefix)) {
                continue;
            }
            boolean marked = markers.length == 0;
            for (String mk : markers) marked |= n.contains(mk);
            if (!marked) continue;
            try {
                names.putIfAbsent((Integer) m.invoke(null), n);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read constant " + n, e);
            }
        }
        return Map.copyOf(names);
    }
}
