package dev.tessera.ops;

/** Reductions over a set of dimensions. Mean, var and std are composed from these. */
public enum ReduceOp {
    SUM(0.0), PROD(1.0), MAX(Double.NEGATIVE_INFINITY), MIN(Double.POSITIVE_INFINITY);

    private final double identity;

    ReduceOp(double identity) { this.identity = identity; }

    /** The starting value; MAX and MIN of an empty set are errors rather than this value. */
    public double identity() { return identity; }
}
