package dev.tessera.ops.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernels of a SASS cubin (an ELF64 image) with their parameter layouts, read from the
 * {@code .nv.info.<kernel>} sections: each EIATTR_KPARAM_INFO record gives a parameter's ordinal,
 * offset and size. This is what the driver itself uses to lay out cuLaunchKernel's arguments, so
 * comparing it with {@link KernelAbi} checks the Java mirror against the compiled code.
 */
public final class CubinKernels {
    /** A parameter as compiled: byte offset and size. */
    public record CompiledParam(int ordinal, int offset, int size) {}

    private static final int EIFMT_SVAL = 4;
    private static final int EIATTR_KPARAM_INFO = 0x17;

    private CubinKernels() {}

    /** Kernel name to its parameters in ordinal order. */
    public static Map<String, List<CompiledParam>> read(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || b.getInt(0) != 0x464C457F || elf[4] != 2) {
            throw new IllegalArgumentException("not an ELF64 cubin");
        }
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3A)), shnum = Short.toUnsignedInt(b.getShort(0x3C));
        int shstrndx = Short.toUnsignedInt(b.getShort(0x3E));
        int strtab = Math.toIntExact(b.getLong(Math.toIntExact(shoff + (long) shstrndx * shentsize) + 0x18));
        Map<String, List<CompiledParam>> out = new TreeMap<>();
        for (int i = 0; i < shnum; i++) {
            int h = Math.toIntExact(shoff + (long) i * shentsize);
            String name = cString(elf, strtab + b.getInt(h));
            int off = Math.toIntExact(b.getLong(h + 0x18)), size = Math.toIntExact(b.getLong(h + 0x20));
            if (name.startsWith(".text.")) out.putIfAbsent(name.substring(6), new ArrayList<>());
            if (name.startsWith(".nv.info.")) out.put(name.substring(9), params(b, off, size));
        }
        // device functions have .text sections too but no .nv.info: keep kernels only
        out.values().removeIf(List::isEmpty);
        for (var e : out.entrySet()) e.getValue().sort(java.util.Comparator.comparingInt(CompiledParam::ordinal));
        return out;
    }

    private static List<CompiledParam> params(ByteBuffer b, int off, int size) {
        List<CompiledParam> out = new ArrayList<>();
        int p = off, end = off + size;
        while (p + 4 <= end) {
            int format = b.get(p) & 0xFF, attr = b.get(p + 1) & 0xFF;
            if (format != EIFMT_SVAL) { p += 4; continue; } // EIFMT_NVAL/BVAL/HVAL: 2-byte value inline
            int len = Short.toUnsignedInt(b.getShort(p + 2));
            if (attr == EIATTR_KPARAM_INFO && len >= 12) {
                int ordinal = Short.toUnsignedInt(b.getShort(p + 8));
                int offset = Short.toUnsignedInt(b.getShort(p + 10));
                int packed = b.getInt(p + 12);
                out.add(new CompiledParam(ordinal, offset, (packed >>> 18) & 0x3FFF));
            }
            p += 4 + len;
        }
        return out;
    }

    private static String cString(byte[] a, int at) {
        int e = at;
        while (a[e] != 0) e++;
        return new String(a, at, e - at, StandardCharsets.US_ASCII);
    }
}
