package dev.tessera.ops;

import dev.tessera.DType;
import dev.tessera.Tensor;

/**
 * PyTorch's result-type rules (c10 ResultTypeState): tensors with dimensions outrank 0-d tensors,
 * which outrank wrapped Python numbers, unless a lower-ranked operand is of a higher category
 * (bool < integral < floating). A wrapped float counts as the default float dtype.
 */
public final class TypePromotion {
    private TypePromotion() {}

    public static DType resultType(Tensor... operands) {
        DType dimResult = null, zeroResult = null, wrappedResult = null;
        for (Tensor t : operands) {
            if (t.isWrappedNumber()) {
                DType current = t.dtype().isFloatingPoint() ? DType.defaultFloat() : t.dtype();
                wrappedResult = promoteSkipNull(wrappedResult, current);
            } else if (t.dim() == 0) {
                zeroResult = promoteSkipNull(zeroResult, t.dtype());
            } else {
                dimResult = promoteSkipNull(dimResult, t.dtype());
            }
        }
        return combine(dimResult, combine(zeroResult, wrappedResult));
    }

    private static DType promoteSkipNull(DType a, DType b) {
        if (a == null) return b;
        if (b == null) return a;
        return DType.promote(a, b);
    }

    private static DType combine(DType higher, DType lower) {
        if (higher == null) return lower;
        if (higher.isFloatingPoint()) return higher;
        if (higher == DType.BOOL || (lower != null && lower.isFloatingPoint())) return promoteSkipNull(higher, lower);
        return higher;
    }

    /** torch.can_cast: no cast from a higher category to a lower one. */
    public static boolean canCast(DType from, DType to) {
        return from.kind().ordinal() <= to.kind().ordinal();
    }

    /** Type that unary float functions (exp, sqrt, ...) compute in: integers and bool go to the default float. */
    public static DType floatingResult(DType t) {
        return t.isFloatingPoint() ? t : DType.defaultFloat();
    }
}
