package dev.tessera.ops;

/**
 * Elementwise unary operations with their scalar definitions. The reference backend evaluates
 * {@link #apply(double)} in double and rounds to the output dtype; integer-preserving ops
 * ({@link #keepsIntegers()}) also have an exact {@link #applyLong(long)}.
 */
public enum UnaryOp {
    NEG(true) { public double apply(double x) { return -x; } public long applyLong(long x) { return -x; } },
    ABS(true) { public double apply(double x) { return Math.abs(x); } public long applyLong(long x) { return Math.abs(x); } },
    RELU(true) {
        public double apply(double x) { return Double.isNaN(x) ? x : (x > 0 ? x : 0.0); }
        public long applyLong(long x) { return Math.max(x, 0); }
    },
    SIGN(true) {
        public double apply(double x) { return Double.isNaN(x) ? x : Math.signum(x) + 0.0; }
        public long applyLong(long x) { return Long.signum(x); }
    },
    FLOOR(true) { public double apply(double x) { return Math.floor(x); } public long applyLong(long x) { return x; } },
    CEIL(true) { public double apply(double x) { return Math.ceil(x); } public long applyLong(long x) { return x; } },
    TRUNC(true) { public double apply(double x) { return x < 0 ? Math.ceil(x) : Math.floor(x); } public long applyLong(long x) { return x; } },
    /** Round half to even, as torch.round. */
    ROUND(true) { public double apply(double x) { return Math.rint(x); } public long applyLong(long x) { return x; } },
    SQUARE(true) { public double apply(double x) { return x * x; } public long applyLong(long x) { return x * x; } },
    EXP(false) { public double apply(double x) { return Math.exp(x); } },
    EXPM1(false) { public double apply(double x) { return Math.expm1(x); } },
    LOG(false) { public double apply(double x) { return Math.log(x); } },
    LOG1P(false) { public double apply(double x) { return Math.log1p(x); } },
    LOG2(false) { public double apply(double x) { return Math.log(x) / Math.log(2); } },
    LOG10(false) { public double apply(double x) { return Math.log10(x); } },
    SQRT(false) { public double apply(double x) { return Math.sqrt(x); } },
    RSQRT(false) { public double apply(double x) { return 1.0 / Math.sqrt(x); } },
    RECIPROCAL(false) { public double apply(double x) { return 1.0 / x; } },
    SIN(false) { public double apply(double x) { return Math.sin(x); } },
    COS(false) { public double apply(double x) { return Math.cos(x); } },
    TAN(false) { public double apply(double x) { return Math.tan(x); } },
    TANH(false) { public double apply(double x) { return Math.tanh(x); } },
    SIGMOID(false) { public double apply(double x) { return 1.0 / (1.0 + Math.exp(-x)); } },
    /** x * sigmoid(x). */
    SILU(false) { public double apply(double x) { return x / (1.0 + Math.exp(-x)); } },
    ERF(false) { public double apply(double x) { return Erf.erf(x); } },
    /** Exact (erf-based) GELU, torch's default approximation='none'. */
    GELU(false) { public double apply(double x) { return 0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0))); } };

    private final boolean keepsIntegers;

    UnaryOp(boolean keepsIntegers) { this.keepsIntegers = keepsIntegers; }

    /** True when an integer input gives an integer output (neg, abs, ...); false for ops that promote to float. */
    public boolean keepsIntegers() { return keepsIntegers; }

    public abstract double apply(double x);

    public long applyLong(long x) {
        throw new UnsupportedOperationException(name() + " has no integer form");
    }

    /** The PyTorch-facing op name, e.g. "exp". */
    public String opName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
