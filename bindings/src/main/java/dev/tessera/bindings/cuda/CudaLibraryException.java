package dev.tessera.bindings.cuda;

/**
 * A CUDA library or one of its symbols is not available on this machine. Unsupported (rather than
 * illegal state) because nothing the caller does in this process changes it.
 */
public class CudaLibraryException extends UnsupportedOperationException {
    public CudaLibraryException(String message) { super(message); }

    public CudaLibraryException(String message, Throwable cause) { super(message, cause); }
}
