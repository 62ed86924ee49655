package dev.tessera.ops.cuda;

import dev.tessera.DType;
import dev.tessera.ops.BinaryOp;
import dev.tessera.ops.ReduceOp;
import dev.tessera.ops.UnaryOp;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The launch ABI of Tessera's CUDA kernels (runtime/src/main/cuda/tessera_kernels.cuh), mirrored
 * for the Java launcher: the by-value structs' layouts and every kernel's name and parameter list,
 * so the backend can build {@code cuLaunchKernel}'s kernelParams array. CudaKernelsFatbinTest reads
 * each kernel's parameter offsets and sizes back out of the committed fatbin and compares them with
 * this table, for every architecture it holds; the header's comments give the semantics.
 */
public final class KernelAbi {
    private KernelAbi() {}

    /** The fatbin on the classpath (one module: load it once with cuModuleLoadData). */
    public static final String FATBIN_RESOURCE = "/dev/tessera/ops/cuda/tessera_kernels.fatbin";

    public static final int MAX_RANK = 8;

    /** Values a kernel writes to its {@code int32_t *err} word. */
    public static final int ERR_INDEX = 1, ERR_ZERO_DIV = 2;

    /** {@code TensorDesc}: sizes and strides in elements, offset in elements, rank <= 8 (144 bytes). */
    public static final StructLayout TENSOR_DESC = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(MAX_RANK, ValueLayout.JAVA_LONG).withName("sizes"),
            MemoryLayout.sequenceLayout(MAX_RANK, ValueLayout.JAVA_LONG).withName("strides"),
            ValueLayout.JAVA_LONG.withName("offset"),
            ValueLayout.JAVA_INT.withName("rank"),
            ValueLayout.JAVA_INT.withName("reserved")).withName("TensorDesc");

    /** {@code Conv2dGeom}: n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, groups (all int64). */
    public static final StructLayout CONV2D_GEOM = longs("Conv2dGeom",
            "n", "c", "h", "w", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "oh", "ow", "groups");

    /** {@code Pool2dGeom}: planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw (all int64). */
    public static final StructLayout POOL2D_GEOM = longs("Pool2dGeom",
            "planes", "h", "w", "oh", "ow", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw");

    /** {@code IndexSpec}: int64 dimSize[4], int64 stride[4], int32 count, int32 reserved. */
    public static final StructLayout INDEX_SPEC = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_LONG).withName("dimSize"),
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_LONG).withName("stride"),
            ValueLayout.JAVA_INT.withName("count"),
            ValueLayout.JAVA_INT.withName("reserved")).withName("IndexSpec");

    private static StructLayout longs(String name, String... fields) {
        MemoryLayout[] m = new MemoryLayout[fields.length];
        for (int i = 0; i < fields.length; i++) m[i] = ValueLayout.JAVA_LONG.withName(fields[i]);
        return MemoryLayout.structLayout(m).withName(name);
    }

    /** One kernel parameter's kind; {@link #layout()} is its by-value layout. */
    public enum Param {
        /** A device pointer (8 bytes); may be 0 where the header says NULL is allowed. */
        PTR(ValueLayout.JAVA_LONG),
        I32(ValueLayout.JAVA_INT),
        I64(ValueLayout.JAVA_LONG),
        F64(ValueLayout.JAVA_DOUBLE),
        DESC(TENSOR_DESC),
        CONV(CONV2D_GEOM),
        POOL(POOL2D_GEOM),
        INDEX(INDEX_SPEC);

        private final MemoryLayout layout;

        Param(MemoryLayout layout) { this.layout = layout; }

        public MemoryLayout layout() { return layout; }
    }

    /** How a kernel must be launched (see the header): any grid, or rows reduced along threadIdx.x. */
    public enum Launch { GRID_STRIDE, ROWS }

    /** A kernel: its exported name, launch kind and parameters in C order. */
    public record Kernel(String name, Launch launch, List<Param> params) {
        public Kernel {
            params = List.copyOf(params);
        }

        /** Byte offset of each parameter in the kernel's parameter buffer (natural C alignment). */
        public long[] offsets() {
            long[] out = new long[params.size()];
            long at = 0;
            for (int i = 0; i < out.length; i++) {
                long align = params.get(i).layout().byteAlignment();
                at = (at + align - 1) / align * align;
                out[i] = at;
                at += params.get(i).layout().byteSize();
            }
            return out;
        }

        /** Total parameter bytes, as the fatbin records it. */
        public long paramBytes() {
            if (params.isEmpty()) return 0;
            long[] o = offsets();
            return o[o.length - 1] + params.getLast().layout().byteSize();
        }
    }

    /** Every kernel of the fatbin, by name. */
    public static Map<String, Kernel> kernels() { return KERNELS; }

    /** The kernel of that name; an unknown name is a clear error rather than a failed launch. */
    public static Kernel kernel(String name) {
        Kernel k = KERNELS.get(name);
        if (k == null) throw new IllegalArgumentException("no CUDA kernel named " + name + " in " + FATBIN_RESOURCE);
        return k;
    }

    /** The dtype suffix of kernel names (f32, f64, i64, i32, u8, b8); dtypes without kernels are rejected. */
    public static String suffix(DType t) {
        return switch (t) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT64 -> "i64";
            case INT32 -> "i32";
            case UINT8 -> "u8";
            case BOOL -> "b8";
            default -> throw new IllegalArgumentException("CUDA kernels do not support dtype " + t);
        };
    }

    public static String unary(UnaryOp op, DType t) { return "tessera_unary_" + op.opName() + "_" + suffix(t); }

    public static String binary(BinaryOp op, DType t) { return "tessera_binary_" + lower(op) + "_" + suffix(t); }

    public static String reduce(ReduceOp op, DType t) { return "tessera_reduce_" + lower(op) + "_" + suffix(t); }

    public static String cast(DType from, DType to) { return "tessera_cast_" + suffix(from) + "_" + suffix(to); }

    /** family is e.g. "fill", "where", "gather", "softmax", "im2col": tessera_&lt;family&gt;_&lt;dtype&gt;. */
    public static String of(String family, DType t) { return "tessera_" + family + "_" + suffix(t); }

    private static String lower(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT); }

    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};
    private static final DType[] FLOATS_I64 = {DType.FLOAT32, DType.FLOAT64, DType.INT64};
    private static final DType[] INDEXED = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL};
    private static final DType[] CASTS = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32, DType.UINT8, DType.BOOL};

    private static final Map<String, Kernel> KERNELS = build(); // after the dtype lists it reads

    private static Map<String, Kernel> build() {
        Map<String, Kernel> m = new LinkedHashMap<>();
        Param P = Param.PTR, D = Param.DESC, L = Param.I64, I = Param.I32;
        for (DType t : FLOATS_I64) {
            for (UnaryOp op : UnaryOp.values()) {
                if (t.isFloatingPoint() || op.keepsIntegers()) add(m, unary(op, t), Launch.GRID_STRIDE, P, D, P, D, L);
            }
            for (BinaryOp op : BinaryOp.values()) {
                if (t.isFloatingPoint() || op != BinaryOp.DIV) add(m, binary(op, t), Launch.GRID_STRIDE, P, D, P, D, P, D, L, P);
            }
            for (ReduceOp op : ReduceOp.values()) add(m, reduce(op, t), Launch.ROWS, P, D, P, D, I);
            add(m, of("argmax", t), Launch.ROWS, P, D, P, D);
            add(m, of("argmin", t), Launch.ROWS, P, D, P, D);
        }
        for (DType from : CASTS) for (DType to : CASTS) add(m, cast(from, to), Launch.GRID_STRIDE, P, D, P, D, L);
        for (DType t : CASTS) add(m, of("fill", t), Launch.GRID_STRIDE, P, D, L, t.isFloatingPoint() ? Param.F64 : L);
        for (DType t : INDEXED) {
            add(m, of("where", t), Launch.GRID_STRIDE, P, D, P, D, P, D, P, D, L);
            add(m, of("gather", t), Launch.GRID_STRIDE, P, D, P, D, P, D, L, L, L, P);
            add(m, of("scatter", t), Launch.GRID_STRIDE, P, D, P, D, P, D, L, L, L, I, P);
            add(m, of("take", t), Launch.GRID_STRIDE, P, D, P, P, L);
            add(m, of("put", t), Launch.GRID_STRIDE, P, P, P, D, L, I);
        }
        add(m, "tessera_index_offsets", Launch.GRID_STRIDE, P, D, P, D, P, D, P, D, P, D, Param.INDEX, L, P);
        for (DType t : FLOATS) {
            for (String f : new String[]{"softmax", "log_softmax"}) {
                add(m, of(f, t), Launch.ROWS, P, P, L, L);
                add(m, of(f + "_backward", t), Launch.ROWS, P, P, P, L, L);
            }
            add(m, of("im2col", t), Launch.GRID_STRIDE, P, P, Param.CONV, L, L);
            add(m, of("col2im", t), Launch.GRID_STRIDE, P, P, Param.CONV, L, L);
            add(m, of("max_pool2d", t), Launch.GRID_STRIDE, P, P, P, Param.POOL);
            add(m, of("max_pool2d_backward", t), Launch.GRID_STRIDE, P, P, P, L, L, L);
            add(m, of("adaptive_avg_pool2d", t), Launch.GRID_STRIDE, P, P, L, L, L, L, L);
            add(m, of("adaptive_avg_pool2d_backward", t), Launch.GRID_STRIDE, P, P, L, L, L, L, L);
            add(m, of("batch_norm_stats", t), Launch.ROWS, P, P, P, P, P, L, L, L, Param.F64, Param.F64);
            add(m, of("batch_norm_transform", t), Launch.GRID_STRIDE, P, P, P, P, P, P, L, L, L);
            add(m, of("batch_norm_backward_reduce", t), Launch.ROWS, P, P, P, P, P, P, L, L, L);
            add(m, of("batch_norm_backward_input", t), Launch.GRID_STRIDE, P, P, P, P, P, P, P, P, L, L, L, I);
        }
        return Collections.unmodifiableMap(m);
    }

    private static void add(Map<String, Kernel> m, String name, Launch launch, Param... params) {
        if (m.put(name, new Kernel(name, launch, new ArrayList<>(List.of(params)))) != null) {
            throw new IllegalStateException("duplicate kernel " + name);
        }
    }
}
