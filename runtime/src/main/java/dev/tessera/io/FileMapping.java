package dev.tessera.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Maps whole files for the readers; tensors then are views of the mapping, so nothing is copied. */
final class FileMapping {
    private FileMapping() {}

    /**
     * Maps {@code path} copy-on-write, so loaded tensors can be modified in place without touching the
     * file. Java allows copy-on-write mappings only through a writable channel, so a file that cannot be
     * opened for writing is mapped read-only and in-place writes to its tensors fail: clone() them first.
     * The mapping lives as long as any slice of it.
     */
    static MemorySegment map(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.size() == 0 ? MemorySegment.ofArray(new byte[0]) : ch.map(FileChannel.MapMode.PRIVATE, 0, ch.size(), Arena.ofAuto());
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot read " + path + ": no such file", e);
        } catch (IOException e) {
            // Not writable (permissions, a read-only file system): a read-only mapping will do.
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                return ch.size() == 0 ? MemorySegment.ofArray(new byte[0]) : ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
            } catch (IOException e2) {
                throw new UncheckedIOException("cannot map " + path + ": " + e2.getMessage(), e2);
            }
        }
    }
}
