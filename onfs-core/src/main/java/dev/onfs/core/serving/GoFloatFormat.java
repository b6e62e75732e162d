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
    return special != null ? special : render(ShortestDigits.ofFloat(Math.abs(value)), Float.floatToRawIntBits(value) < 0, true);
  }

  /** {@code %v} of a Go {@code float64}. */
  static String formatG(double value) {
    String special = special(value);
    return special != null ? special : render(ShortestDigits.ofDouble(Math.abs(value)), Double.doubleToRawLongBits(value) < 0, true);
  }

  /** {@code strconv.FormatFloat(x, 'f', -1, 32)}. */
  static String formatF(float value) {
    String special = special(value);
    return special != null ? special : render(ShortestDigits.ofFloat(Math.abs(value)), Float.floatToRawIntBits(value) < 0, false);
  }

  /** {@code strconv.FormatFloat(x, 'f', -1, 64)}. */
  static String formatF(double value) {
    String special = special(value);
    return special != null ? special : render(ShortestDigits.ofDouble(Math.abs(value)), Double.doubleToRawLongBits(value) < 0, false);
  }

  private static @Nullable String special(double value) {
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

  /** The same digits by a slow, obviously correct search (BigDecimal rounding and parsing); for tests. */
  static String referenceDigits(double value, boolean single) {
    Digits d = shortestReference(value, single, (float) value);
    return d.digits + "e" + d.dp;
  }

  /** The digits {@link #render} writes, as {@link #referenceDigits} gives them; for tests. */
  static String fastDigits(double value, boolean single) {
    ShortestDigits.Decimal d = single ? ShortestDigits.ofFloat((float) Math.abs(value)) : ShortestDigits.ofDouble(Math.abs(value));
    if (d.significand() == 0) {
      return "e0";
    }
    String digits = Long.toString(d.significand());
    return digits + "e" + (digits.length() + d.exponent());
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

  /**
   * Sign, digits and exponent of {@code d} ({@code 'g'}: exponent form below 1e-4 and from 1e6 on, as
   * Go's shortest {@code %g}), written into one builder: no string per digit run.
   */
  private static String render(ShortestDigits.Decimal d, boolean negative, boolean g) {
    long significand = d.significand();
    char[] digits = new char[20];
    int n = 0;
    if (significand != 0) {
      n = 1;
      for (long rest = significand; rest >= 10; rest /= 10) {
        n++;
      }
      for (int i = n - 1; i >= 0; i--) {
        digits[i] = (char) ('0' + significand % 10);
        significand /= 10;
      }
    }
    int dp = n == 0 ? 0 : n + d.exponent();
    StringBuilder sb = new StringBuilder(24);
    if (negative) {
      sb.append('-');
    }
    int exp = n == 0 ? -1 : dp - 1;
    if (g && (exp < -4 || exp >= 6)) {
      sb.append(digits[0]);
      if (n > 1) {
        sb.append('.').append(digits, 1, n - 1);
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int abs = Math.abs(exp);
      if (abs < 10) {
        sb.append('0');
      }
      return sb.append(abs).toString();
    }
    if (dp > 0) {
      sb.append(digits, 0, Math.min(dp, n));
      for (int i = n; i < dp; i++) {
        sb.append('0');
      }
    } else {
      sb.append('0');
    }
    if (n > dp) {
      sb.append('.');
      for (int i = dp; i < 0; i++) {
        sb.append('0');
      }
      sb.append(digits, Math.max(dp, 0), n - Math.max(dp, 0));
    }
    return sb.toString();
  }
}
