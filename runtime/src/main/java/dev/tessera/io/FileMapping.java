package dev.tessera.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The whole of a file for the readers, either copied into memory (the default, as {@code torch.load}
 * reads) or mapped (the opt-in, as {@code torch.load(..., mmap=True)}); tensors are then views of
 * the copy or of the mapping. Both live, through an automatic arena, as long as any slice of them.
 */
final class FileMapping {
    private FileMapping() {}

    /** Reads the file into off-heap memory: later changes to the file cannot reach the tensors. */
    static MemorySegment read(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) return MemorySegment.ofArray(new byte[0]);
            MemorySegment copy = Arena.ofAuto().allocate(size, 64);
            for (long off = 0; off < size; ) {
                ByteBuffer b = copy.asSlice(off, Math.min(size - off, 1 << 30)).asByteBuffer();
                while (b.hasRemaining()) {
                    int n = ch.read(b, off + b.position());
                    if (n < 0) throw new IOException("file shrank to " + (off + b.position()) + " bytes while being read (was " + size + ")");
                }
                off += b.capacity();
            }
            return copy;
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot read " + path + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Maps {@code path} copy-on-write, so loaded tensors can be modified in place without touching the
     * file. Java allows copy-on-write mappings only through a writable channel, so a file that cannot be
     * opened for writing is mapped read-only and in-place writes to its tensors fail: clone() them first.
     * The mapping lives as long as any slice of it. Truncating the file while it is mapped makes
     * reads of the lost pages fault (SIGBUS), which is why mapping is opt-in for files users load.
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

    static MemorySegment load(Path path, boolean mmap) {
        return mmap ? map(path) : read(path);
    }
}
