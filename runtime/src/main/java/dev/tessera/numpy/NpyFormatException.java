package dev.tessera.numpy;

/**
 * A {@code .npy} or {@code .npz} file that cannot be read: bad magic, unsupported version, a header
 * that is not the expected Python dict literal, an unsupported dtype, or sizes that disagree with
 * the file. The message names the file (or member) and, where it helps, the byte offset.
 */
public final class NpyFormatException extends IllegalArgumentException {
    public NpyFormatException(String source, String problem) {
        super(source + ": " + problem);
    }

    public NpyFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
