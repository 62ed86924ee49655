package dev.tessera.numpy;

import dev.tessera.DType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.ref.Cleaner;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A NumPy-compatible n-dimensional array over a {@link MemorySegment} laid out exactly as the data
 * of a {@code .npy} file: element {@code [0,...,0]} at offset 0, byte strides as NumPy reports
 * them, either byte order. {@link #open} maps a {@code .npy} file without copying, so a Python
 * process that maps the same file ({@code np.load(path, mmap_mode='r+')}) shares the pages: a write
 * on either side is seen by the other.
 *
 * <p>Memory: arrays from {@link #open} and {@link #create} own a shared arena holding the mapping;
 * {@link #close()} unmaps it, after which any access, including through {@link #data()} segments
 * obtained earlier, throws {@link IllegalStateException}. An array dropped without {@code close()}
 * is unmapped once the garbage collector finds it unreachable, so keep the array (not only its
 * {@link #data()} segment) reachable while the memory is used; a tensor from
 * {@code Torch.fromNumpy} does that for you.
 *
 * <p>Mapped files are shared, not owned: if another process truncates the file while it is mapped,
 * touching the lost pages kills the JVM with SIGBUS (as it does NumPy's memmap). Map only files
 * whose size nobody else changes, or read them into memory with {@link #load}. In-memory arrays ({@link #zeros},
 * {@link #load}, ...) are freed by the garbage collector once unreachable; {@code close()} only
 * invalidates the handle. Wrapped arrays ({@link #wrap}) never free anything.
 */
public final class NDArray implements AutoCloseable {
    /** NumPy's {@code mmap_mode}: {@code 'r'}, {@code 'r+'}, {@code 'c'}. */
    public enum Mode { READ_ONLY, READ_WRITE, COPY_ON_WRITE }

    private final MemorySegment data;
    private final DType dtype;
    private final long[] shape;
    private final long[] strides;
    private final boolean little;
    private final boolean fortran;
    private final Arena ownedArena;     // non-null when close() must unmap
    private final Cleaner.Cleanable unmap; // closes ownedArena at close() or once this array is unreachable
    private final MemorySegment mapping; // whole mapped file, for force(); null when not mapped
    private final Object keepAlive;
    private final String source;
    private boolean closed;

    /** Unmaps arrays from {@link #open} that are dropped without {@link #close()}. */
    private static final Cleaner UNMAPPER = Cleaner.create();

    private NDArray(MemorySegment data, DType dtype, long[] shape, long[] strides, boolean little, boolean fortran,
                    Arena ownedArena, MemorySegment mapping, Object keepAlive, String source) {
        this.data = data;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.little = little || dtype.byteSize() == 1;
        this.fortran = fortran;
        this.ownedArena = ownedArena;
        this.unmap = ownedArena == null ? null : UNMAPPER.register(this, ownedArena::close);
        this.mapping = mapping;
        this.keepAlive = keepAlive;
        this.source = source;
    }

    // ---- construction -------------------------------------------------------------------

    /** Like {@code np.empty(shape, dtype)}, but zero-filled. */
    public static NDArray empty(DType dtype, long... shape) {
        long[] s = shape.clone();
        long bytes = byteCount(dtype, s, "empty");
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(bytes, 1), 64).asSlice(0, bytes);
        return new NDArray(seg, dtype, s, contiguousStrides(dtype, s, false), true, false, null, null, null, "<memory>");
    }

    /** {@code np.zeros(shape)}: float64. */
    public static NDArray zeros(long... shape) {
        return empty(DType.FLOAT64, shape);
    }

    /** {@code np.ones(shape)}: float64. */
    public static NDArray ones(long... shape) {
        NDArray a = empty(DType.FLOAT64, shape);
        a.data.elements(ValueLayout.JAVA_DOUBLE).forEach(e -> e.set(ValueLayout.JAVA_DOUBLE, 0, 1.0));
        return a;
    }

    /** {@code np.array(values)}: a 1-D float64 array. */
    public static NDArray of(double... values) {
        NDArray a = empty(DType.FLOAT64, values.length);
        MemorySegment.copy(values, 0, a.data, ValueLayout.JAVA_DOUBLE, 0, values.length);
        return a;
    }

    /**
     * A view over foreign memory, in native byte order (used by {@code Tensor.numpy()}). Offsets are
     * {@code sum(idx[i] * byteStrides[i])}; every reachable element must lie inside {@code data}.
     * {@code keepAlive} is held so the owner of the memory stays reachable as long as this array.
     */
    public static NDArray wrap(MemorySegment data, DType dtype, long[] shape, long[] byteStrides, Object keepAlive) {
        long[] s = shape.clone();
        long[] st = byteStrides.clone();
        if (s.length != st.length) throw new IllegalArgumentException("shape " + Arrays.toString(s) + " and strides " + Arrays.toString(st) + " differ in length");
        long count = byteCount(dtype, s, "wrap") / dtype.byteSize();
        if (count > 0) {
            long max = 0;
            for (int i = 0; i < s.length; i++) {
                if (st[i] < 0) throw new IllegalArgumentException("negative stride " + st[i] + " at dim " + i + " is not supported by wrap");
                max = Math.addExact(max, Math.multiplyExact(st[i], s[i] - 1));
            }
            if (max + dtype.byteSize() > data.byteSize()) {
                throw new IllegalArgumentException("shape " + Arrays.toString(s) + " with strides " + Arrays.toString(st)
                        + " reaches byte " + (max + dtype.byteSize()) + " beyond a segment of " + data.byteSize() + " bytes");
            }
        }
        boolean f = !isContiguous(dtype, s, st, false) && isContiguous(dtype, s, st, true);
        return new NDArray(data, dtype, s, st, java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN, f,
                null, null, keepAlive, "<wrapped memory>");
    }

    /**
     * Maps a {@code .npy} file like {@code np.load(path, mmap_mode=...)}; no data is copied. The
     * mapping is released by {@link #close()} or, failing that, once this array is unreachable; a
     * refused file is unmapped before the exception is thrown. Sharing the file is the point, so
     * it stays mapped: if another process truncates it, reading the lost pages kills the JVM with
     * SIGBUS (as with NumPy's memmap); use {@link #load} for files whose size you do not control.
     */
    public static NDArray open(Path path, Mode mode) {
        String source = path.toString();
        Arena arena = Arena.ofShared();
        try {
            FileChannel ch = openChannel(path, mode);
            MemorySegment file;
            try (ch) {
                long size = ch.size();
                if (size < 16) {
                    // Too small for any valid header; parse a heap copy to get the precise error.
                    ByteBuffer b = ByteBuffer.allocate((int) size);
                    while (b.hasRemaining() && ch.read(b) >= 0) { }
                    Npy.readHeader(MemorySegment.ofArray(b.array()), source);
                }
                FileChannel.MapMode mm = switch (mode) {
                    case READ_ONLY -> FileChannel.MapMode.READ_ONLY;
                    case READ_WRITE -> FileChannel.MapMode.READ_WRITE;
                    case COPY_ON_WRITE -> FileChannel.MapMode.PRIVATE;
                };
                file = ch.map(mm, 0, size, arena);
            }
            Npy.Header h = Npy.readHeader(file, source);
            MemorySegment d = file.asSlice(h.dataOffset(), h.dataBytes());
            return new NDArray(d, h.dtype(), h.shape(), contiguousStrides(h.dtype(), h.shape(), h.fortranOrder()),
                    h.littleEndian(), h.fortranOrder(), arena, file, null, source);
        } catch (AccessDeniedException e) {
            arena.close();
            // A private copy is what 'c' promises; without write access to the file, copy into memory.
            if (mode == Mode.COPY_ON_WRITE) return load(path);
            throw new UncheckedIOException("cannot map " + source + ": access denied", e);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot map " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static FileChannel openChannel(Path path, Mode mode) throws IOException {
        // Java's PRIVATE mapping needs a channel opened for writing even though the file never changes.
        return mode == Mode.READ_ONLY ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Creates a zero-filled {@code .npy} file (sparse where the file system allows) and maps it read-write. */
    public static NDArray create(Path path, DType dtype, long... shape) {
        long bytes = byteCount(dtype, shape, path.toString());
        byte[] header = Npy.header(Npy.descr(dtype, true), false, shape);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(header), 0);
            if (bytes > 0) writeFully(ch, ByteBuffer.wrap(new byte[1]), header.length + bytes - 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path + ": " + e.getMessage(), e);
        }
        return open(path, Mode.READ_WRITE);
    }

    /** Reads a {@code .npy} file into memory, like {@code np.load(path)}. */
    public static NDArray load(Path path) {
        try (NDArray m = open(path, Mode.READ_ONLY)) {
            MemorySegment copy = Arena.ofAuto().allocate(Math.max(m.data.byteSize(), 1), 64).asSlice(0, m.data.byteSize());
            copy.copyFrom(m.data);
            return new NDArray(copy, m.dtype, m.shape, m.strides, m.little, m.fortran, null, null, null, m.source);
        }
    }

    /** Builds an array over an in-memory or mapped {@code .npy} image (used by {@link Npz}). */
    static NDArray fromImage(MemorySegment image, String source, Object keepAlive) {
        Npy.Header h = Npy.readHeader(image, source);
        MemorySegment d = image.asSlice(h.dataOffset(), h.dataBytes());
        return new NDArray(d, h.dtype(), h.shape(), contiguousStrides(h.dtype(), h.shape(), h.fortranOrder()),
                h.littleEndian(), h.fortranOrder(), null, null, keepAlive, source);
    }

    /** Writes this array as {@code np.save} would (C order, or Fortran order when that is how it is laid out). */
    public void save(Path path) {
        checkOpen();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeImage(ch, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes header + data at {@code position}; returns the number of bytes written. */
    long writeImage(FileChannel ch, long position) throws IOException {
        long written = 0;
        for (MemorySegment part : imageParts()) {
            for (long off = 0; off < part.byteSize(); ) {
                long n = Math.min(part.byteSize() - off, 1 << 30);
                writeFully(ch, part.asSlice(off, n).asByteBuffer(), position + written);
                written += n;
                off += n;
            }
        }
        return written;
    }

    /** The {@code .npy} image as {header, data}: data is C order, or Fortran order when laid out so (as np.save). */
    MemorySegment[] imageParts() {
        checkOpen();
        boolean c = isContiguous(dtype, shape, strides, false);
        boolean f = !c && isContiguous(dtype, shape, strides, true);
        byte[] header = Npy.header(descr(), f, shape);
        MemorySegment bytes = c || f ? data.asSlice(0, size() * dtype.byteSize()) : cOrderCopy();
        return new MemorySegment[] {MemorySegment.ofArray(header), bytes};
    }

    private MemorySegment cOrderCopy() {
        int item = dtype.byteSize();
        MemorySegment out = Arena.ofAuto().allocate(Math.max(size() * item, 1)).asSlice(0, size() * item);
        long[] idx = new long[shape.length];
        for (long k = 0; k < size(); k++) {
            MemorySegment.copy(data, offsetOf(idx), out, k * item, item);
            increment(idx);
        }
        return out;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) position += ch.write(b, position);
    }

    // ---- description -------------------------------------------------------------------

    public long[] shape() { return shape.clone(); }

    public DType dtype() { return dtype; }

    /** NumPy's {@code dtype.str}: {@code "<f4"}, {@code "|b1"}, {@code ">i8"}; bfloat16 is {@code "<V2"} (see {@link Npy}). */
    public String descr() { return Npy.descr(dtype, little); }

    /** True when the array was read from a file written with {@code fortran_order: True}, or wraps Fortran-ordered memory. */
    public boolean fortranOrder() { return fortran; }

    /** Byte strides, as {@code ndarray.strides}. */
    public long[] strides() { return strides.clone(); }

    public long size() {
        long n = 1;
        for (long d : shape) n *= d; // validated not to overflow at construction
        return n;
    }

    public int ndim() { return shape.length; }

    public boolean isReadOnly() { return data.isReadOnly(); }

    /** Byte order of multi-byte elements; true for one-byte dtypes. */
    public boolean isLittleEndian() { return little; }

    /** The file this array was read or mapped from, or {@code <memory>} / {@code <wrapped memory>}. */
    public String source() { return source; }

    /** Exactly the data bytes, raw (in the file's byte order); offset 0 is element {@code [0,...,0]}. */
    public MemorySegment data() {
        checkOpen();
        return data;
    }

    // ---- elements ----------------------------------------------------------------------

    public double getDouble(long... idx) {
        return OrderedElements.getDouble(data(), dtype, little, offsetOf(idx));
    }

    public long getLong(long... idx) {
        return OrderedElements.getLong(data(), dtype, little, offsetOf(idx));
    }

    public void setDouble(double v, long... idx) {
        long off = offsetOf(idx);
        checkWritable();
        OrderedElements.setDouble(data, dtype, little, off, v);
    }

    public void setLong(long v, long... idx) {
        long off = offsetOf(idx);
        checkWritable();
        OrderedElements.setLong(data, dtype, little, off, v);
    }

    /** All elements in C (row-major) order, as {@code a.flatten().astype(float)}. */
    public double[] toDoubleArray() {
        checkOpen();
        if (size() > Integer.MAX_VALUE - 8) throw new IllegalStateException("array of " + size() + " elements does not fit a Java array");
        double[] out = new double[(int) size()];
        long[] idx = new long[shape.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = OrderedElements.getDouble(data, dtype, little, offsetOf(idx));
            increment(idx);
        }
        return out;
    }

    /** Flushes a read-write mapping's dirty pages to the file ({@code MemorySegment.force}); a no-op otherwise. */
    public void force() {
        checkOpen();
        if (mapping != null && !mapping.isReadOnly()) mapping.force();
    }

    /** NumPy's {@code str(a)}. */
    @Override
    public String toString() {
        if (closed) return "<closed NDArray " + Npy.shapeRepr(shape) + " " + descr() + ">";
        return ArrayFormat.str(this);
    }

    /** Unmaps an owned mapping; afterwards every access throws {@link IllegalStateException}. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (unmap != null) unmap.clean();
    }

    // ---- internals ---------------------------------------------------------------------

    /** Byte offset of an index; negative indices count from the end, as in NumPy. */
    long offsetOf(long[] idx) {
        checkOpen();
        if (idx.length != shape.length) {
            throw new IllegalArgumentException("expected " + shape.length + " indices for shape " + Npy.shapeRepr(shape) + ", got " + idx.length);
        }
        long off = 0;
        for (int i = 0; i < idx.length; i++) {
            long j = idx[i] < 0 ? idx[i] + shape[i] : idx[i];
            if (j < 0 || j >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + idx[i] + " is out of bounds for axis " + i + " with size " + shape[i]);
            }
            off += j * strides[i];
        }
        return off;
    }

    /** Advances a C-order odometer. */
    void increment(long[] idx) {
        for (int i = idx.length - 1; i >= 0; i--) {
            if (++idx[i] < shape[i]) return;
            idx[i] = 0;
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("NDArray over " + source + " is closed");
    }

    private void checkWritable() {
        if (data.isReadOnly()) {
            throw new UnsupportedOperationException("cannot write: " + source + " is mapped read-only (Mode.READ_ONLY); open it with Mode.READ_WRITE or COPY_ON_WRITE");
        }
    }

    private static long byteCount(DType dtype, long[] shape, String what) {
        if (shape.length > Npy.MAX_DIMS) throw new IllegalArgumentException(what + ": " + shape.length + " dimensions exceed " + Npy.MAX_DIMS);
        long n = dtype.byteSize();
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException(what + ": negative dimension in shape " + Arrays.toString(shape));
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(what + ": shape " + Arrays.toString(shape) + " overflows a 64-bit byte count");
            }
        }
        return n;
    }

    static long[] contiguousStrides(DType dtype, long[] shape, boolean fortranOrder) {
        long[] st = new long[shape.length];
        long s = dtype.byteSize();
        for (int k = 0; k < shape.length; k++) {
            int i = fortranOrder ? k : shape.length - 1 - k;
            st[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return st;
    }

    /** Contiguity as NumPy's flags: dimensions of size 1 may have any stride; empty arrays are contiguous. */
    private static boolean isContiguous(DType dtype, long[] shape, long[] strides, boolean fortranOrder) {
        long s = dtype.byteSize();
        for (int k = 0; k < shape.length; k++) {
            int i = fortranOrder ? k : shape.length - 1 - k;
            if (shape[i] == 0) return true;
            if (shape[i] != 1 && strides[i] != s) return false;
            s *= shape[i];
        }
        return true;
    }
}
