package dev.tessera.ops.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * Builds {@code cuLaunchKernel}'s kernelParams array for one launch: every argument is written
 * into host memory from {@code alloc} (its own slot, with the parameter's layout), and the returned
 * segment holds one pointer per parameter. Arguments are checked against {@link KernelAbi}, so a
 * wrong count or type is an exception naming the kernel and the parameter, never a garbled launch.
 */
public final class KernelArgs {
    private KernelArgs() {}

    /**
     * Arguments in C order: PTR a {@code long} device address, I32 an {@code int}, I64 a {@code long},
     * F64 a {@code double}, struct parameters a {@link MemorySegment} of the struct's size (see
     * {@link #tensorDesc}).
     */
    public static MemorySegment pack(SegmentAllocator alloc, KernelAbi.Kernel kernel, Object... args) {
        var params = kernel.params();
        if (args.length != params.size()) {
            throw new IllegalArgumentException(kernel.name() + " takes " + params.size() + " arguments, got " + args.length);
        }
        MemorySegment array = alloc.allocate(ValueLayout.ADDRESS, args.length);
        for (int i = 0; i < args.length; i++) {
            KernelAbi.Param p = params.get(i);
            MemorySegment slot = alloc.allocate(p.layout());
            Object a = args[i];
            switch (p) {
                case PTR, I64 -> slot.set(ValueLayout.JAVA_LONG, 0, as(kernel, i, a, Long.class));
                case I32 -> slot.set(ValueLayout.JAVA_INT, 0, as(kernel, i, a, Integer.class));
                case F64 -> slot.set(ValueLayout.JAVA_DOUBLE, 0, as(kernel, i, a, Double.class));
                case DESC, CONV, POOL, INDEX -> {
                    MemorySegment s = as(kernel, i, a, MemorySegment.class);
                    if (s.byteSize() != p.layout().byteSize()) {
                        throw new IllegalArgumentException(kernel.name() + " argument " + i + ": " + p.layout().name().orElse(p.name())
                                + " must be " + p.layout().byteSize() + " bytes, got " + s.byteSize());
                    }
                    slot.copyFrom(s);
                }
            }
            array.setAtIndex(ValueLayout.ADDRESS, i, slot);
        }
        return array;
    }

    private static <T> T as(KernelAbi.Kernel k, int i, Object a, Class<T> type) {
        if (!type.isInstance(a)) {
            throw new IllegalArgumentException(k.name() + " argument " + i + " (" + k.params().get(i) + ") must be a "
                    + type.getSimpleName() + ", got " + (a == null ? "null" : a.getClass().getSimpleName()));
        }
        return type.cast(a);
    }

    /** A TensorDesc for sizes/strides (in elements) and an element offset; rank above 8 is rejected. */
    public static MemorySegment tensorDesc(SegmentAllocator alloc, long[] sizes, long[] strides, long offset) {
        if (sizes.length != strides.length) {
            throw new IllegalArgumentException("TensorDesc: " + sizes.length + " sizes but " + strides.length + " strides");
        }
        if (sizes.length > KernelAbi.MAX_RANK) {
            throw new IllegalArgumentException("CUDA kernels take tensors of rank <= " + KernelAbi.MAX_RANK + ", got rank " + sizes.length
                    + " (shape " + java.util.Arrays.toString(sizes) + ")");
        }
        MemorySegment d = alloc.allocate(KernelAbi.TENSOR_DESC);
        d.fill((byte) 0); // unused dims and the reserved word are 0 (not every allocator zeroes)
        for (int i = 0; i < sizes.length; i++) {
            d.setAtIndex(ValueLayout.JAVA_LONG, i, sizes[i]);
            d.setAtIndex(ValueLayout.JAVA_LONG, KernelAbi.MAX_RANK + i, strides[i]);
        }
        d.set(ValueLayout.JAVA_LONG, 128, offset);
        d.set(ValueLayout.JAVA_INT, 136, sizes.length);
        return d;
    }

    /** A struct of int64 fields (Conv2dGeom, Pool2dGeom) in declaration order. */
    public static MemorySegment longs(SegmentAllocator alloc, java.lang.foreign.StructLayout layout, long... values) {
        if (values.length * 8L != layout.byteSize()) {
            throw new IllegalArgumentException(layout.name().orElse("struct") + " has " + layout.byteSize() / 8 + " int64 fields, got " + values.length);
        }
        MemorySegment s = alloc.allocate(layout);
        for (int i = 0; i < values.length; i++) s.setAtIndex(ValueLayout.JAVA_LONG, i, values[i]);
        return s;
    }
}
