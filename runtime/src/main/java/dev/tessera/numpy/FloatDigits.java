package dev.tessera.numpy;

import dev.tessera.DType;
import dev.tessera.tensor.Elements;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Decimal digits of binary floats as NumPy's Dragon4 produces them: the shortest decimal that lies
 * strictly inside the value's rounding interval in its own type (so float32 values print with
 * float32's shortest digits), optionally cut off at a number of digits with round-half-even on the
 * exact binary value. Works on BigDecimal: slow, but printing is not a hot path.
 */
final class FloatDigits {
    private FloatDigits() {}

    /** Shortest unique digits of a finite {@code |v|} in dtype {@code t}; zero gives 0. */
    static BigDecimal shortest(double v, DType t) {
        double a = Math.abs(v);
        if (a == 0) return BigDecimal.ZERO;
        double prev = neighbour(a, t, false);
        double next = neighbour(a, t, true);
        BigDecimal exact = new BigDecimal(a);
        BigDecimal two = BigDecimal.valueOf(2);
        BigDecimal low = exact.add(new BigDecimal(prev)).divide(two);
        // above the largest finite value the spacing below continues (in decimal: a + (a - prev)
        // overflows to infinity for float64, which BigDecimal refuses)
        BigDecimal high = Double.isInfinite(next)
                ? exact.add(exact.subtract(new BigDecimal(prev)).divide(two))
                : exact.add(new BigDecimal(next)).divide(two);
        for (int p = 1; p <= 20; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            int lastDigitExp = r.precision() - r.scale() - p; // power of ten of the p-th digit
            BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(lastDigitExp);
            BigDecimal best = null;
            for (BigDecimal c : new BigDecimal[] {r, r.subtract(unit), r.add(unit)}) {
                if (c.compareTo(low) > 0 && c.compareTo(high) < 0
                        && (best == null || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                    best = c;
                }
            }
            if (best != null) return strip(best);
        }
        return strip(exact);
    }

    /** Positional digits with at most {@code precision} fractional digits (NumPy: unique=True, precision=p). */
    static BigDecimal positional(double v, DType t, int precision) {
        BigDecimal d = shortest(v, t);
        if (d.scale() > precision) d = strip(new BigDecimal(Math.abs(v)).setScale(precision, RoundingMode.HALF_EVEN));
        return d;
    }

    /** Scientific digits with at most {@code precision} digits after the first. */
    static BigDecimal scientific(double v, DType t, int precision) {
        BigDecimal d = shortest(v, t);
        if (d.stripTrailingZeros().precision() > precision + 1) {
            d = strip(new BigDecimal(Math.abs(v)).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN)));
        }
        return d;
    }

    /**
     * Scientific parts with exactly {@code fracDigits} digits after the first: NumPy's min_digits
     * continues past the shortest digits with the exact value's digits, rounding the last one.
     */
    static String[] scientificPadded(double v, DType t, int maxPrecision, int fracDigits) {
        String[] p = sciParts(scientific(v, t, maxPrecision));
        if (p[1].length() >= fracDigits || v == 0) {
            p[1] = p[1] + "0".repeat(Math.max(0, fracDigits - p[1].length()));
            return p;
        }
        BigDecimal r = new BigDecimal(Math.abs(v)).round(new MathContext(fracDigits + 1, RoundingMode.HALF_EVEN));
        String u = r.unscaledValue().toString();
        u = u.length() > fracDigits + 1 ? u.substring(0, fracDigits + 1) : u + "0".repeat(fracDigits + 1 - u.length());
        int exp = r.precision() - r.scale() - 1;
        return new String[] {u.substring(0, 1), u.substring(1), Integer.toString(exp)};
    }

    /** Splits non-negative digits into {@code [integer part, fraction part]} of the plain notation. */
    static String[] plainParts(BigDecimal d) {
        String s = d.toPlainString();
        int dot = s.indexOf('.');
        return dot < 0 ? new String[] {s, ""} : new String[] {s.substring(0, dot), s.substring(dot + 1)};
    }

    /** {@code [first digit, following digits, decimal exponent]} of non-negative digits. */
    static String[] sciParts(BigDecimal d) {
        if (d.signum() == 0) return new String[] {"0", "", "0"};
        d = d.stripTrailingZeros();
        String u = d.unscaledValue().toString();
        int exp = u.length() - d.scale() - 1;
        return new String[] {u.substring(0, 1), u.substring(1), Integer.toString(exp)};
    }

    /** The exponent as NumPy writes it: sign, then at least {@code digits} digits. */
    static String exponent(int exp, int digits) {
        String n = Integer.toString(Math.abs(exp));
        return (exp < 0 ? "-" : "+") + "0".repeat(Math.max(0, digits - n.length())) + n;
    }

    private static BigDecimal strip(BigDecimal d) {
        d = d.stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    /** The adjacent representable magnitude of a positive value of dtype t. */
    private static double neighbour(double a, DType t, boolean up) {
        switch (t) {
            case FLOAT32: {
                float f = (float) a;
                return up ? Math.nextUp(f) : Math.nextDown(f);
            }
            case FLOAT16: {
                short bits = Float.floatToFloat16((float) a);
                return Float.float16ToFloat((short) (bits + (up ? 1 : -1)));
            }
            case BFLOAT16: {
                short bits = (short) (Float.floatToRawIntBits((float) a) >>> 16);
                return Elements.bfloat16ToFloat((short) (bits + (up ? 1 : -1)));
            }
            default:
                return up ? Math.nextUp(a) : Math.nextDown(a);
        }
    }
}
