package dev.onfs.core.serving;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/**
 * The shortest decimal that reads back as a given float32 or float64, and the closest to it when
 * several have that many digits (ties to an even last digit): what Go's {@code strconv.FormatFloat}
 * prints with precision -1.
 *
 * <p>Computed the way R. Giulietti's "Schubfach" paper describes: the value and the two ends of the
 * interval that rounds to it are multiplied by one 126-bit approximation of a power of ten, rounded
 * to odd so that every comparison with a decimal candidate stays exact, and at most two candidates
 * (the shortest, and one digit longer) are checked. No big-number arithmetic on the hot path; the
 * powers of ten are built once, exactly, with {@link BigInteger}.
 */
final class ShortestDigits {
  /** Smallest and largest decimal exponent k the algorithm asks 10^-k of, for float64 (float32 is within). */
  private static final int K_MIN = -325;
  private static final int K_MAX = 292;
  private static final long MASK_63 = (1L << 63) - 1;

  /** g(k) = floor(10^-k x 2^(125 - floor(log2(10^-k)))) + 1, split as g1 x 2^63 + g0. */
  private static final long[] G1 = new long[K_MAX - K_MIN + 1];
  private static final long[] G0 = new long[K_MAX - K_MIN + 1];

  static {
    for (int k = K_MIN; k <= K_MAX; k++) {
      int shift = 125 - floorLog2Pow10(-k);
      BigInteger g;
      if (k <= 0) {
        BigInteger pow = BigInteger.TEN.pow(-k);
        g = shift >= 0 ? pow.shiftLeft(shift) : pow.shiftRight(-shift);
      } else {
        g = BigInteger.ONE.shiftLeft(shift).divide(BigInteger.TEN.pow(k));
      }
      g = g.add(BigInteger.ONE);
      G1[k - K_MIN] = g.shiftRight(63).longValueExact();
      G0[k - K_MIN] = g.longValue() & MASK_63;
    }
  }

  private ShortestDigits() {}

  /**
   * The slow, exact answer, for the few values (small subnormals) where the interval is wide enough to
   * hold several short decimals: for 1, 2, ... digits, the decimals just below and above the value that
   * read back, the closer (the even one on a tie) once there is one.
   */
  static Decimal exactShortest(double value, boolean single) {
    BigDecimal exact = new BigDecimal(value);
    for (int digits = 1; ; digits++) {
      BigDecimal down = exact.round(new MathContext(digits, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(digits, RoundingMode.CEILING));
      boolean downIn = readsBack(down, value, single);
      boolean upIn = readsBack(up, value, single);
      if (downIn || upIn) {
        BigDecimal pick;
        if (downIn && upIn) {
          int cmp = exact.subtract(down).compareTo(up.subtract(exact));
          pick = cmp < 0 || cmp == 0 && !down.unscaledValue().testBit(0) ? down : up;
        } else {
          pick = downIn ? down : up;
        }
        return pack(pick.unscaledValue().longValueExact(), -pick.scale());
      }
    }
  }

  private static boolean readsBack(BigDecimal decimal, double value, boolean single) {
    return decimal.signum() != 0 && (single ? decimal.floatValue() == (float) value : decimal.doubleValue() == value);
  }

  /** Shortest decimal of a finite, non-negative float64. */
  static Decimal ofDouble(double v) {
    long bits = Double.doubleToRawLongBits(v);
    int biasedExp = (int) (bits >>> 52) & 0x7FF;
    long fraction = bits & ((1L << 52) - 1);
    if (biasedExp == 0) {
      if (fraction == 0) {
        return pack(0, 0);
      }
      return orExact(toDecimal(-1074, fraction, false), v, false);
    }
    long c = fraction | (1L << 52);
    int q = biasedExp - 1075;
    Long integer = smallInteger(c, q, 53);
    if (integer != null) {
      return pack(integer, 0);
    }
    return orExact(toDecimal(q, c, fraction == 0 && biasedExp > 1), v, false);
  }

  /** As {@link #ofDouble}, for a finite, non-negative float32 and its own (wider) rounding interval. */
  static Decimal ofFloat(float v) {
    int bits = Float.floatToRawIntBits(v);
    int biasedExp = (bits >>> 23) & 0xFF;
    long fraction = bits & ((1 << 23) - 1);
    if (biasedExp == 0) {
      if (fraction == 0) {
        return pack(0, 0);
      }
      return orExact(toDecimal(-149, fraction, false), v, true);
    }
    long c = fraction | (1L << 23);
    int q = biasedExp - 150;
    Long integer = smallInteger(c, q, 24);
    if (integer != null) {
      return pack(integer, 0);
    }
    return orExact(toDecimal(q, c, fraction == 0 && biasedExp > 1), v, true);
  }

  private static Decimal orExact(@Nullable Decimal fast, double value, boolean single) {
    return fast != null ? fast : exactShortest(value, single);
  }

  /**
   * c x 2^q when it is an integer below 2^precision: then its rounding interval is narrower than 1 and
   * holds no other integer, so the integer itself is the shortest decimal.
   */
  private static @Nullable Long smallInteger(long c, int q, int precision) {
    int mq = -q;
    if (mq > 0 && mq < precision) {
      long f = c >> mq;
      if (f << mq == c) {
        return f;
      }
    }
    return null;
  }

  /**
   * The shortest decimal in the rounding interval of c x 2^q. {@code lowerBoundary}: c is a power of
   * two above the smallest exponent, so the interval is narrower below (half the spacing) than above.
   * Null when more than one shorter decimal may lie in the interval (see {@link #exactShortest}).
   */
  private static @Nullable Decimal toDecimal(int q, long c, boolean lowerBoundary) {
    long out = c & 1;
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (lowerBoundary) {
      cbl = cb - 1;
      k = floorLog10ThreeQuartersPow2(q);
    } else {
      cbl = cb - 2;
      k = floorLog10Pow2(q);
    }
    int h = q + floorLog2Pow10(-k) + 2;
    long g1 = G1[k - K_MIN];
    long g0 = G0[k - K_MIN];
    long vb = roundToOdd(g1, g0, cb << h);
    long vbl = roundToOdd(g1, g0, cbl << h);
    long vbr = roundToOdd(g1, g0, cbr << h);

    long s = vb >> 2;
    if (s < 100) {
      // Only the smallest subnormals get here, where the interval may hold several decimals shorter
      // than s; the paper then prefers two digits, Go the fewest.
      return null;
    }
    // A candidate one digit shorter: s rounded down or up to a multiple of ten.
    long sp10 = s / 10 * 10;
    long tp10 = sp10 + 10;
    boolean upIn = vbl + out <= sp10 << 2;
    boolean wpIn = (tp10 << 2) + out <= vbr;
    if (upIn != wpIn) {
      return pack(upIn ? sp10 : tp10, k);
    }
    if (upIn) {
      return null; // both: the interval is wider than the paper's bound allows outside tiny subnormals
    }
    long t = s + 1;
    boolean uIn = vbl + out <= s << 2;
    boolean wIn = (t << 2) + out <= vbr;
    if (uIn != wIn) {
      return pack(uIn ? s : t, k);
    }
    // Both in: the closer, the even one on a tie.
    long cmp = vb - ((s + t) << 1);
    return pack(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k);
  }

  /** (g x cp) / 2^127, rounded to odd: the low bit says whether anything was cut off. */
  private static long roundToOdd(long g1, long g0, long cp) {
    long x1 = Math.multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = Math.multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | ((z & MASK_63) + MASK_63) >>> 63;
  }

  /** significand x 10^exponent, the significand without trailing zeros (at most 17 digits). */
  record Decimal(long significand, int exponent) {}

  private static Decimal pack(long significand, int exponent) {
    if (significand != 0) {
      while (significand % 10 == 0) {
        significand /= 10;
        exponent++;
      }
    }
    return new Decimal(significand, exponent);
  }

  // floor(e x log10(2)), floor(e x log10(3/4 x 2)) and floor(e x log2(10)) by fixed-point
  // multiplication; ShortestDigitsTest checks each against exact arithmetic over the range used.

  static int floorLog10Pow2(int e) {
    return (int) ((e * 661_971_961_083L) >> 41);
  }

  static int floorLog10ThreeQuartersPow2(int e) {
    return (int) ((e * 661_971_961_083L - 274_743_187_321L) >> 41);
  }

  static int floorLog2Pow10(int e) {
    return (int) ((e * 913_124_641_741L) >> 38);
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
}
