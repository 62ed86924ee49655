package dev.tessera.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Maps whole files for the readers; tensors then are views of the mapping, so nothing is copied. */
final class FileMapping {
    private FileMapping() {}

    /**
     * Maps {@code path} copy-on-write, so loaded tensors can be modified in place without touching the
     * file (read-only when the file is not writable). The mapping lives as long as any slice of it.
     */
    static MemorySegment map(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.size() == 0 ? MemorySegment.ofArray(new byte[0]) : ch.map(FileChannel.MapMode.PRIVATE, 0, ch.size(), Arena.ofAuto());
        } catch (AccessDeniedException e) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                return ch.size() == 0 ? MemorySegment.ofArray(new byte[0]) : ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
            } catch (IOException e2) {
                throw new UncheckedIOException("cannot map " + path + ": " + e2.getMessage(), e2);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + path + ": " + e.getMessage(), e);
        }
    }
}
