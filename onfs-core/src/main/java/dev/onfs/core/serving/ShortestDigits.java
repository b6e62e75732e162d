package dev.onfs.core.serving;

import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * The shortest decimal that reads back as a given float32 or float64 (the closest such decimal when
 * several have that many digits), computed with exact integer arithmetic: the value and the bounds of
 * the interval that rounds to it are scaled to integers, so every comparison is exact.
 */
final class ShortestDigits {
  private static final BigInteger[] POW10 = new BigInteger[400];

  static {
    POW10[0] = BigInteger.ONE;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1].multiply(BigInteger.TEN);
    }
  }

  private ShortestDigits() {}

  /** Digits d1..dn and decimal-point position dp with |value| = 0.d1..dn x 10^dp. */
  record Result(String digits, int dp) {}

  static Result of(double value, boolean single) {
    double abs = Math.abs(value);
    if (abs == 0) {
      return new Result("", 0);
    }
    long m;
    int e;
    boolean boundary;
    if (single) {
      int bits = Float.floatToRawIntBits((float) abs);
      int exp = (bits >>> 23) & 0xFF;
      int frac = bits & 0x7F_FFFF;
      m = exp == 0 ? frac : frac | 0x80_0000;
      e = (exp == 0 ? 1 : exp) - 150;
      boundary = exp > 1 && frac == 0;
    } else {
      long bits = Double.doubleToRawLongBits(abs);
      int exp = (int) ((bits >>> 52) & 0x7FF);
      long frac = bits & 0xF_FFFF_FFFF_FFFFL;
      m = exp == 0 ? frac : frac | 0x10_0000_0000_0000L;
      e = (exp == 0 ? 1 : exp) - 1075;
      boundary = exp > 1 && frac == 0;
    }
    // value = 4m * 2^(e-2); the interval that rounds to it: (4m - 2 or 4m - 1, 4m + 2) * 2^(e-2),
    // closed when m is even (round half to even).
    BigInteger mid = BigInteger.valueOf(4 * m);
    BigInteger low = BigInteger.valueOf(4 * m - (boundary ? 1 : 2));
    BigInteger high = BigInteger.valueOf(4 * m + 2);
    boolean inclusive = (m & 1) == 0;
    int binaryExp = e - 2;

    // Decimal exponent E with 10^E <= value < 10^(E+1).
    int decimalExp = (int) Math.floor(Math.log10(abs));
    if (compare(BigInteger.ONE, decimalExp, mid, binaryExp) > 0) {
      decimalExp--;
    } else if (compare(BigInteger.ONE, decimalExp + 1, mid, binaryExp) <= 0) {
      decimalExp++;
    }
    int maxDigits = single ? 9 : 17;
    Interval interval = new Interval(mid, low, high, binaryExp, inclusive, decimalExp);
    // Java's toString has at most a digit or so more than the shortest, and whether some p-digit
    // decimal lies in the interval is monotone in p: start there and step down while one does.
    int p = Math.min(maxDigits, javaDigitCount(single ? Float.toString((float) abs) : Double.toString(abs)));
    @Nullable Result best = interval.attempt(p);
    if (best == null) {
      for (p = 1; p <= maxDigits && best == null; p++) {
        best = interval.attempt(p);
      }
      if (best == null) {
        throw new IllegalStateException("no shortest representation for " + value);
      }
      return best;
    }
    while (p > 1) {
      @Nullable Result shorter = interval.attempt(p - 1);
      if (shorter == null) {
        break;
      }
      best = shorter;
      p--;
    }
    return best;
  }

  private record Interval(
      BigInteger mid, BigInteger low, BigInteger high, int binaryExp, boolean inclusive, int decimalExp) {

    /** The closest p-digit decimal inside the interval, or null when there is none. */
    @Nullable Result attempt(int p) {
      int q = decimalExp - p + 1;
      // value / 10^q = num / den exactly.
      BigInteger num = mid.shiftLeft(Math.max(binaryExp, 0)).multiply(POW10[Math.max(-q, 0)]);
      BigInteger den = POW10[Math.max(q, 0)].shiftLeft(Math.max(-binaryExp, 0));
      BigInteger[] qr = num.divideAndRemainder(den);
      BigInteger down = qr[0];
      BigInteger up = qr[1].signum() == 0 ? down : down.add(BigInteger.ONE);
      boolean downOk = down.signum() > 0 && inside(down, q, low, high, binaryExp, inclusive);
      boolean upOk = inside(up, q, low, high, binaryExp, inclusive);
      BigInteger pick;
      if (downOk && upOk && !up.equals(down)) {
        // Closest to the value; on an exact tie the even one.
        int cmp = qr[1].shiftLeft(1).compareTo(den);
        pick = cmp < 0 ? down : cmp > 0 ? up : (down.testBit(0) ? up : down);
      } else if (downOk) {
        pick = down;
      } else if (upOk) {
        pick = up;
      } else {
        return null;
      }
      String digits = pick.toString();
      int exponent = q + digits.length();
      int end = digits.length();
      while (end > 1 && digits.charAt(end - 1) == '0') {
        end--;
      }
      return new Result(digits.substring(0, end), exponent);
    }
  }

  /** Significant digits in Java's {@code toString} of a positive finite value ("1.25E-5" has 3). */
  static int javaDigitCount(String s) {
    int end = s.indexOf('E');
    if (end < 0) {
      end = s.length();
    }
    int first = -1;
    int last = -1;
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c >= '1' && c <= '9') {
        if (first < 0) {
          first = i;
        }
        last = i;
      }
    }
    if (first < 0) {
      return 1;
    }
    int count = 0;
    for (int i = first; i <= last; i++) {
      if (s.charAt(i) != '.') {
        count++;
      }
    }
    return count;
  }

  /** Whether c * 10^q lies in the interval (low, high) * 2^binaryExp (closed when inclusive). */
  private static boolean inside(BigInteger c, int q, BigInteger low, BigInteger high, int binaryExp, boolean inclusive) {
    int lo = compare(c, q, low, binaryExp);
    int hi = compare(c, q, high, binaryExp);
    return inclusive ? lo >= 0 && hi <= 0 : lo > 0 && hi < 0;
  }

  /** Sign of (c * 10^q) - (x * 2^b). */
  private static int compare(BigInteger c, int q, BigInteger x, int b) {
    BigInteger left = c.multiply(POW10[Math.max(q, 0)]).shiftLeft(Math.max(-b, 0));
    BigInteger right = x.multiply(POW10[Math.max(-q, 0)]).shiftLeft(Math.max(b, 0));
    return left.compareTo(right);
  }
}
