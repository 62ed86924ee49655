package dev.tessera;

/**
 * Element types, named and sized as PyTorch's. {@code toString()} prints {@code torch.float32} etc.
 * The ordinal order is not meaningful; promotion follows {@link #promote(DType, DType)}.
 */
public enum DType {
    FLOAT32("float32", 4, Kind.FLOATING),
    FLOAT64("float64", 8, Kind.FLOATING),
    FLOAT16("float16", 2, Kind.FLOATING),
    BFLOAT16("bfloat16", 2, Kind.FLOATING),
    INT64("int64", 8, Kind.INTEGRAL),
    INT32("int32", 4, Kind.INTEGRAL),
    INT16("int16", 2, Kind.INTEGRAL),
    INT8("int8", 1, Kind.INTEGRAL),
    UINT8("uint8", 1, Kind.INTEGRAL),
    BOOL("bool", 1, Kind.BOOL);

    /** Category used by PyTorch's result-type rules: {@code bool < integral < floating}. */
    public enum Kind { BOOL, INTEGRAL, FLOATING }

    private final String pythonName;
    private final int byteSize;
    private final Kind kind;

    DType(String pythonName, int byteSize, Kind kind) {
        this.pythonName = pythonName;
        this.byteSize = byteSize;
        this.kind = kind;
    }

    /** Bytes per element. */
    public int byteSize() { return byteSize; }

    /** The name without the {@code torch.} prefix, e.g. {@code float32}. */
    public String pythonName() { return pythonName; }

    public Kind kind() { return kind; }

    public boolean isFloatingPoint() { return kind == Kind.FLOATING; }

    /** True for integer types, excluding bool (as {@code torch.is_floating_point}'s complement minus bool). */
    public boolean isIntegral() { return kind == Kind.INTEGRAL; }

    public boolean isBool() { return kind == Kind.BOOL; }

    /** The dtype PyTorch uses for Python floats and float tensors created without a dtype. */
    public static DType defaultFloat() { return FLOAT32; }

    @Override
    public String toString() { return "torch." + pythonName; }

    /**
     * PyTorch's {@code torch.promote_types}: the smallest type both operands convert to without
     * losing their category. Mirrors c10's promoteTypes table.
     */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a == BOOL) return b;
        if (b == BOOL) return a;
        if (a.isFloatingPoint() || b.isFloatingPoint()) {
            if (!a.isFloatingPoint()) return b;
            if (!b.isFloatingPoint()) return a;
            // float16 and bfloat16 have no common 16-bit type.
            if (a.byteSize == 2 && b.byteSize == 2) return FLOAT32;
            return a.byteSize >= b.byteSize ? a : b;
        }
        // both integral
        if (a == UINT8 || b == UINT8) {
            DType other = a == UINT8 ? b : a;
            return other == INT8 ? INT16 : other;
        }
        return a.byteSize >= b.byteSize ? a : b;
    }

    /** Looks a dtype up by its Python name ({@code "float32"}, {@code "torch.float32"}, {@code "float"}, ...). */
    public static DType fromName(String name) {
        String n = name.startsWith("torch.") ? name.substring(6) : name;
        switch (n) {
            case "float": return FLOAT32;
            case "double": return FLOAT64;
            case "half": return FLOAT16;
            case "long": return INT64;
            case "int": return INT32;
            case "short": return INT16;
            default:
        }
        for (DType d : values()) if (d.pythonName.equals(n)) return d;
        throw new IllegalArgumentException("unknown dtype '" + name + "'");
    }
}
