package dev.onfs.core.types;

/**
 * Exact conversions between {@code float} and the 8-bit E5M2 float (1 sign, 5 exponent bits with bias
 * 15, 2 mantissa bits; IEEE-like with infinities and NaNs), bit for bit as the reference stores
 * FP8E5M2 features.
 *
 * <p>Encoding rounds to nearest, ties to even. The largest finite value is 57344 ({@code 0x7b});
 * magnitudes of 61440 or more round to infinity ({@code 0x7c} with the input's sign); a NaN becomes
 * {@code 0x7f} with the input's sign. Values below 2^-17 become a signed zero.
 *
 * <p>Decoding is exact; exponent 31 with a zero mantissa is an infinity, with a non-zero mantissa NaN
 * (returned as {@link Float#NaN}, sign dropped).
 */
public final class Float8E5M2 {
  /** Magnitude bits of 65536.0f (2^16): everything at or above becomes infinity or NaN. */
  private static final int OVERFLOW_BITS = 0x4780_0000;
  /** Magnitude bits of 2^-14, the smallest normal E5M2 value. */
  private static final int MIN_NORMAL_BITS = 0x3880_0000;

  private static final float[] DECODED = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      DECODED[i] = decode(i);
    }
  }

  private Float8E5M2() {}

  /** Encodes {@code value} as E5M2 bits. */
  public static byte fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 24) & 0x80;
    int magnitude = bits & 0x7fff_ffff;
    if (magnitude >= OVERFLOW_BITS) {
      return (byte) (sign | (magnitude > 0x7f80_0000 ? 0x7f : 0x7c));
    }
    if (magnitude < MIN_NORMAL_BITS) {
      // Subnormal grid: multiples of 2^-16. Scaling by a power of two is exact; rint ties to even.
      return (byte) (sign | (int) Math.rint(Float.intBitsToFloat(magnitude) * 65536f));
    }
    int rebased = magnitude - ((127 - 15) << 23);
    return (byte) (sign | Float16.roundShiftRight(rebased, 21));
  }

  /** Decodes E5M2 bits. */
  public static float toFloat(byte encoded) {
    return DECODED[encoded & 0xff];
  }

  private static float decode(int encoded) {
    int exponent = (encoded >>> 2) & 0x1f;
    int mantissa = encoded & 0x3;
    boolean negative = (encoded & 0x80) != 0;
    if (exponent == 0x1f) {
      if (mantissa != 0) {
        return Float.NaN;
      }
      return negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    }
    float magnitude =
        exponent == 0
            ? mantissa * 0x1p-16f
            : Float.intBitsToFloat(((exponent - 15 + 127) << 23) | (mantissa << 21));
    return negative ? -magnitude : magnitude;
  }
}
