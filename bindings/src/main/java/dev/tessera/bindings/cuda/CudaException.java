package dev.tessera.bindings.cuda;

/** A CUDA, cuBLAS, cuRAND or NCCL call returned an error; the message names the call and the library's text. */
public class CudaException extends RuntimeException {
    private final String library;
    private final int code;

    public CudaException(String library, int code, String message) {
        super(message);
        this.library = library;
        this.code = code;
    }

    /** "CUDA runtime", "CUDA driver", "cuBLAS", "cuRAND" or "NCCL". */
    public String library() { return library; }

    /** The status code the call returned. */
    public int code() { return code; }
}
