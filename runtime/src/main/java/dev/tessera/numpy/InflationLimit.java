package dev.tessera.numpy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * How many bytes the deflated members of one zip file ({@code .npz}, {@code .pth}) may inflate to,
 * in total, and the inflater that enforces it. A deflate stream can expand about 1,000-fold, so
 * a small archive can honestly declare gigabytes of zeros; the cap turns that into an exception
 * naming the file, member and sizes instead of an {@code OutOfMemoryError}.
 *
 * <p>The default is half of what the process may allocate off-heap (the direct-memory limit,
 * {@code -XX:MaxDirectMemorySize}, which defaults to the heap limit {@code -Xmx}), since inflated
 * members live off-heap. Set the system property {@value #PROPERTY} to a byte count (suffixes
 * {@code k}, {@code m}, {@code g} allowed) to change it, e.g. {@code -Dtessera.maxInflatedBytes=8g}.
 */
public final class InflationLimit {
    /** The system property that overrides the default cap. */
    public static final String PROPERTY = "tessera.maxInflatedBytes";

    /** How a caller's format reports a bad member (NpyFormatException, StateDictFormatException). */
    public interface Failure {
        RuntimeException of(String problem, Throwable cause);
    }

    private static final long MAX_RATIO = 1032;

    private final long cap;
    private long used;

    private InflationLimit(long cap) {
        if (cap < 0) throw new IllegalArgumentException("negative inflation cap " + cap);
        this.cap = cap;
    }

    /** A budget of {@link #bytes()} for one file. */
    public static InflationLimit forFile() { return new InflationLimit(bytes()); }

    /** A budget of {@code cap} bytes for one file. */
    public static InflationLimit of(long cap) { return new InflationLimit(cap); }

    /** The cap in force now: {@value #PROPERTY} if set, otherwise half the direct-memory limit. */
    public static long bytes() {
        String v = System.getProperty(PROPERTY);
        if (v != null && !v.isBlank()) return parse(v.trim());
        return Math.max(1L << 26, directMemoryLimit() / 2);
    }

    private static long parse(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        try {
            long n = Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1));
            if (n < 0) throw new NumberFormatException("negative");
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("system property " + PROPERTY + "='" + v + "' is not a byte count (e.g. 512m, 8g)", e);
        }
    }

    private static long directMemoryLimit() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            long direct = Long.parseLong(bean.getVMOption("MaxDirectMemorySize").getValue());
            if (direct > 0) return direct;
        } catch (RuntimeException | LinkageError e) {
            // Not HotSpot, or no management module: the heap limit is the JDK's default anyway.
        }
        return Runtime.getRuntime().maxMemory();
    }

    public long cap() { return cap; }

    /**
     * Inflates one raw-deflate member into off-heap memory of exactly its declared size, after
     * checking that size against what is left of the budget; the declared size is not trusted:
     * inflation stops there and output beyond it is refused, as is a CRC mismatch.
     */
    public MemorySegment inflate(MemorySegment compressed, long declared, long crc, String member, Failure fail) {
        // Deflate cannot expand more than 1032-fold, so a larger claim is a lie: refuse it before
        // allocating (and zero-filling) memory for it.
        if (declared < 0 || declared > MAX_RATIO * compressed.byteSize() + 1024) {
            throw fail.of("member declares " + declared + " bytes inflated from " + compressed.byteSize()
                    + " compressed bytes, more than deflate can produce (at most " + MAX_RATIO + ":1)", null);
        }
        if (declared > cap - used) {
            throw fail.of("member declares " + declared + " bytes inflated (" + compressed.byteSize() + " compressed), over the cap of "
                    + cap + " bytes for one file" + (used > 0 ? " (" + used + " already inflated)" : "")
                    + "; raise it with -D" + PROPERTY + "=<bytes> if the file is trusted", null);
        }
        used += declared;
        MemorySegment out = Arena.ofAuto().allocate(Math.max(declared, 1), 64).asSlice(0, declared);
        Inflater inflater = new Inflater(true);
        long total = 0, fed = 0;
        try {
            byte[] probe = new byte[1];
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    if (fed == compressed.byteSize()) throw fail.of("truncated deflate stream after " + total + " of " + declared + " bytes", null);
                    long n = Math.min(compressed.byteSize() - fed, 1 << 20);
                    inflater.setInput(compressed.asSlice(fed, n).asByteBuffer());
                    fed += n;
                }
                if (inflater.needsDictionary()) throw fail.of("deflate stream needs a preset dictionary", null);
                if (total == declared) {
                    if (inflater.inflate(probe) > 0) throw fail.of("inflates to more than its declared size " + declared, null);
                } else {
                    total += inflater.inflate(out.asSlice(total, Math.min(declared - total, 1 << 30)).asByteBuffer());
                }
            }
        } catch (DataFormatException e) {
            throw fail.of("corrupt deflate stream: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        if (total != declared) throw fail.of("inflated to " + total + " bytes, declared " + declared, null);
        CRC32 check = new CRC32();
        for (long off = 0; off < declared; off += 1 << 30) check.update(out.asSlice(off, Math.min(declared - off, 1 << 30)).asByteBuffer());
        if (check.getValue() != crc) throw fail.of("CRC mismatch", null);
        return out;
    }
}
