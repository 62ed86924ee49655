package dev.tessera.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code '{:.Nf}'} and {@code '{:.Ne}'} for doubles. Python rounds the exact binary
 * value half-to-even (David Gay's dtoa), whereas {@link String#format} rounds half-up, so both
 * go through {@link BigDecimal} built from the exact double.
 */
final class PythonFloatFormat {
    private PythonFloatFormat() {}

    /** {@code format(v, '.{precision}f')}: keeps the sign of negative zero and of values rounding to zero. */
    static String fixed(double v, int precision) {
        String special = special(v);
        if (special != null) return special;
        String digits = new BigDecimal(Math.abs(v)).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return signOf(v) + digits;
    }

    /** {@code format(v, '.{precision}e')}: mantissa d.ddd, exponent signed with at least two digits. */
    static String scientific(double v, int precision) {
        String special = special(v);
        if (special != null) return special;
        String digits;
        int exponent;
        if (v == 0.0) {
            digits = "0";
            exponent = 0;
        } else {
            BigDecimal rounded = new BigDecimal(Math.abs(v)).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
            digits = rounded.unscaledValue().toString();
            exponent = digits.length() - 1 - rounded.scale();
        }
        StringBuilder sb = new StringBuilder(signOf(v)).append(digits.charAt(0));
        if (precision > 0) {
            sb.append('.').append(digits, 1, digits.length());
            sb.append("0".repeat(precision + 1 - digits.length()));
        }
        sb.append(exponent < 0 ? "e-" : "e+");
        int absExp = Math.abs(exponent);
        if (absExp < 10) sb.append('0');
        return sb.append(absExp).toString();
    }

    private static String special(double v) {
        if (Double.isNaN(v)) return "nan";
        if (v == Double.POSITIVE_INFINITY) return "inf";
        if (v == Double.NEGATIVE_INFINITY) return "-inf";
        return null;
    }

    private static String signOf(double v) {
        return Double.doubleToRawLongBits(v) < 0 ? "-" : "";
    }
}
