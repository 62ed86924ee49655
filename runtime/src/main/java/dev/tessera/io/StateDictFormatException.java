package dev.tessera.io;

/**
 * A state-dict file that cannot be read: a wrong or unsupported format, a forbidden pickle global,
 * or sizes and offsets that disagree with the file. The message names the file, the problem and,
 * where one applies, the byte offset (within the file, or within the pickle for {@code .pth}).
 */
public final class StateDictFormatException extends IllegalArgumentException {
    public StateDictFormatException(String source, String problem) {
        super(source + ": " + problem);
    }

    public StateDictFormatException(String source, long offset, String problem) {
        super(source + ": " + problem + " (at offset " + offset + ")");
    }

    public StateDictFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
