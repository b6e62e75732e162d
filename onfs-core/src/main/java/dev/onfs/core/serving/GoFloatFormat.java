package dev.onfs.core.serving;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/**
 * Renders floats exactly as the reference's Go runtime does: {@code fmt.Sprintf("%v", x)} (which is
 * {@code strconv.FormatFloat(x, 'g', -1, bits)}) for scalars, and {@code strconv.FormatFloat(x, 'f', -1,
 * bits)} for vector elements. Both use the shortest decimal that parses back to the same float of that
 * width; Java 17's {@code Float.toString} is not always shortest, so the digits are computed here.
 */
final class GoFloatFormat {
  private GoFloatFormat() {}

  /** {@code %v} of a Go {@code float32}. */
  static String formatG(float value) {
    String special = special(value);
    return special != null ? special : formatG(shortest(value, true, value), Float.floatToRawIntBits(value) < 0);
  }

  /** {@code %v} of a Go {@code float64}. */
  static String formatG(double value) {
    String special = special(value);
    return special != null ? special : formatG(shortest(value, false, 0f), Double.doubleToRawLongBits(value) < 0);
  }

  /** {@code strconv.FormatFloat(x, 'f', -1, 32)}. */
  static String formatF(float value) {
    String special = special(value);
    return special != null ? special : formatF(shortest(value, true, value), Float.floatToRawIntBits(value) < 0);
  }

  /** {@code strconv.FormatFloat(x, 'f', -1, 64)}. */
  static String formatF(double value) {
    String special = special(value);
    return special != null ? special : formatF(shortest(value, false, 0f), Double.doubleToRawLongBits(value) < 0);
  }

  private static String special(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    return null;
  }

  /** Shortest digits and decimal-point position of |value|: value = 0.d1d2...dn x 10^dp. */
  private record Digits(String digits, int dp) {}

  private static Digits shortest(double value, boolean single, float asFloat) {
    ShortestDigits.Result r = ShortestDigits.of(single ? asFloat : value, single);
    return new Digits(r.digits(), r.dp());
  }

  /** The same digits by a slow, obviously correct search (BigDecimal rounding and parsing); for tests. */
  static String referenceDigits(double value, boolean single) {
    Digits d = shortestReference(value, single, (float) value);
    return d.digits + "e" + d.dp;
  }

  static String fastDigits(double value, boolean single) {
    ShortestDigits.Result r = ShortestDigits.of(value, single);
    return r.digits() + "e" + r.dp();
  }

  private static Digits shortestReference(double value, boolean single, float asFloat) {
    if (value == 0) {
      return new Digits("", 0);
    }
    BigDecimal exact = new BigDecimal(Math.abs(value));
    int maxDigits = single ? 9 : 17;
    // Java's own digits round-trip and are at most a digit or so longer than the shortest. Whether some
    // p-digit decimal round-trips is monotone in p, so step down from Java's count while it still does.
    int start = Math.min(maxDigits, ShortestDigits.javaDigitCount(single ? Float.toString(Math.abs(asFloat)) : Double.toString(Math.abs(value))));
    while (start > 1 && candidate(exact, start - 1, value, single, asFloat) != null) {
      start--;
    }
    for (int precision = start; precision <= maxDigits; precision++) {
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
      boolean downOk = roundTrips(down, value, single, asFloat);
      boolean upOk = roundTrips(up, value, single, asFloat);
      BigDecimal pick;
      if (downOk && upOk) {
        int cmp = exact.subtract(down).compareTo(up.subtract(exact));
        pick = cmp < 0 ? down : cmp > 0 ? up : exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      } else if (downOk) {
        pick = down;
      } else if (upOk) {
        pick = up;
      } else {
        continue;
      }
      return digitsOf(pick);
    }
    return digitsOf(exact.round(new MathContext(maxDigits, RoundingMode.HALF_EVEN)));
  }

  private static @Nullable BigDecimal candidate(
      BigDecimal exact, int precision, double value, boolean single, float asFloat) {
    BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
    if (roundTrips(down, value, single, asFloat)) {
      return down;
    }
    BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
    return roundTrips(up, value, single, asFloat) ? up : null;
  }

  private static boolean roundTrips(BigDecimal candidate, double value, boolean single, float asFloat) {
    if (candidate.signum() == 0) {
      return false;
    }
    if (single) {
      return candidate.floatValue() == Math.abs(asFloat);
    }
    return candidate.doubleValue() == Math.abs(value);
  }

  private static Digits digitsOf(BigDecimal decimal) {
    BigDecimal stripped = decimal.stripTrailingZeros();
    String digits = stripped.unscaledValue().toString();
    return new Digits(digits, digits.length() - stripped.scale());
  }

  private static String formatG(Digits d, boolean negative) {
    int exp = d.digits.isEmpty() ? -1 : d.dp - 1;
    if (exp < -4 || exp >= 6) {
      return formatE(d, negative);
    }
    return formatF(d, negative);
  }

  private static String formatE(Digits d, boolean negative) {
    StringBuilder sb = new StringBuilder(24);
    if (negative) {
      sb.append('-');
    }
    sb.append(d.digits.charAt(0));
    if (d.digits.length() > 1) {
      sb.append('.').append(d.digits, 1, d.digits.length());
    }
    int exp = d.dp - 1;
    sb.append('e').append(exp < 0 ? '-' : '+');
    int abs = Math.abs(exp);
    if (abs < 10) {
      sb.append('0');
    }
    return sb.append(abs).toString();
  }

  private static String formatF(Digits d, boolean negative) {
    StringBuilder sb = new StringBuilder(24);
    if (negative) {
      sb.append('-');
    }
    String digits = d.digits;
    int n = digits.length();
    if (d.dp > 0) {
      for (int i = 0; i < d.dp; i++) {
        sb.append(i < n ? digits.charAt(i) : '0');
      }
    } else {
      sb.append('0');
    }
    int fraction = Math.max(n - d.dp, 0);
    if (fraction > 0) {
      sb.append('.');
      for (int i = 1; i <= fraction; i++) {
        int j = d.dp + i - 1;
        sb.append(j >= 0 && j < n ? digits.charAt(j) : '0');
      }
    }
    return sb.toString();
  }
}
