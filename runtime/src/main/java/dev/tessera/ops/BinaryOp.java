package dev.tessera.ops;

/**
 * Elementwise binary operations with their scalar definitions. {@link #apply} computes in double
 * (exact for float32/float16 inputs, whose products and sums double holds without double
 * rounding); {@link #applyLong} computes integer and bool inputs exactly.
 */
public enum BinaryOp {
    ADD { public double apply(double a, double b) { return a + b; } public long applyLong(long a, long b) { return a + b; } },
    SUB { public double apply(double a, double b) { return a - b; } public long applyLong(long a, long b) { return a - b; } },
    MUL { public double apply(double a, double b) { return a * b; } public long applyLong(long a, long b) { return a * b; } },
    /** True division: integer inputs are promoted to float before the kernel. */
    DIV { public double apply(double a, double b) { return a / b; } },
    POW {
        public double apply(double a, double b) { return Math.pow(a, b); }
        public long applyLong(long a, long b) {
            if (b < 0) {
                if (a == 1) return 1;
                if (a == -1) return (b & 1) == 0 ? 1 : -1;
                throw new IllegalArgumentException("Integers to negative integer powers are not allowed.");
            }
            long r = 1, base = a;
            while (b > 0) {
                if ((b & 1) == 1) r *= base;
                base *= base;
                b >>= 1;
            }
            return r;
        }
    },
    /** torch.maximum: NaN propagates. */
    MAXIMUM {
        public double apply(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b); }
        public long applyLong(long a, long b) { return Math.max(a, b); }
    },
    MINIMUM {
        public double apply(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b); }
        public long applyLong(long a, long b) { return Math.min(a, b); }
    },
    /** Python-style modulo: the result has the divisor's sign. */
    REMAINDER {
        public double apply(double a, double b) {
            double r = a % b;
            return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
        }
        public long applyLong(long a, long b) {
            if (b == 0) throw new ArithmeticException("ZeroDivisionError");
            return Math.floorMod(a, b);
        }
    },
    FLOOR_DIVIDE {
        public double apply(double a, double b) { return Math.floor(a / b); }
        public long applyLong(long a, long b) {
            if (b == 0) throw new ArithmeticException("ZeroDivisionError");
            return Math.floorDiv(a, b);
        }
    },
    EQ(true) { public double apply(double a, double b) { return a == b ? 1 : 0; } public long applyLong(long a, long b) { return a == b ? 1 : 0; } },
    NE(true) { public double apply(double a, double b) { return a != b ? 1 : 0; } public long applyLong(long a, long b) { return a != b ? 1 : 0; } },
    LT(true) { public double apply(double a, double b) { return a < b ? 1 : 0; } public long applyLong(long a, long b) { return a < b ? 1 : 0; } },
    LE(true) { public double apply(double a, double b) { return a <= b ? 1 : 0; } public long applyLong(long a, long b) { return a <= b ? 1 : 0; } },
    GT(true) { public double apply(double a, double b) { return a > b ? 1 : 0; } public long applyLong(long a, long b) { return a > b ? 1 : 0; } },
    GE(true) { public double apply(double a, double b) { return a >= b ? 1 : 0; } public long applyLong(long a, long b) { return a >= b ? 1 : 0; } },
    LOGICAL_AND(true) {
        public double apply(double a, double b) { return a != 0 && b != 0 ? 1 : 0; }
        public long applyLong(long a, long b) { return a != 0 && b != 0 ? 1 : 0; }
    },
    LOGICAL_OR(true) {
        public double apply(double a, double b) { return a != 0 || b != 0 ? 1 : 0; }
        public long applyLong(long a, long b) { return a != 0 || b != 0 ? 1 : 0; }
    };

    private final boolean boolResult;

    BinaryOp() { this(false); }

    BinaryOp(boolean boolResult) { this.boolResult = boolResult; }

    /** Comparisons and logical ops produce bool tensors. */
    public boolean boolResult() { return boolResult; }

    public abstract double apply(double a, double b);

    public long applyLong(long a, long b) {
        throw new UnsupportedOperationException(name() + " has no integer form");
    }
}
