package dev.onfs.core.types;

/**
 * Exact conversions between {@code float} and IEEE 754 binary16 ("half precision"), bit for bit as
 * the reference stores FP16 features.
 *
 * <p>Encoding rounds to nearest, ties to even; finite values too large for a half become infinity;
 * values below half the smallest subnormal become a signed zero; a NaN stays a NaN with its quiet bit
 * set and the top ten payload bits kept. Decoding is exact; a NaN comes back with its quiet bit set.
 */
public final class Float16 {
  private Float16() {}

  /** Encodes {@code value} as half-precision bits. */
  public static short fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7f_ffff;
    if (exponent == 0xff) {
      int nan = mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13);
      return (short) (sign | 0x7c00 | nan);
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExponent <= 0) {
      // Result is a half subnormal (or zero): units of 2^-24, so shift the full significand down.
      if (halfExponent < -10) {
        return (short) sign;
      }
      return (short) (sign | roundShiftRight(mantissa | 0x80_0000, 14 - halfExponent));
    }
    // A carry out of the mantissa correctly bumps the exponent (up to infinity).
    int rounded = roundShiftRight((halfExponent << 23) | mantissa, 13);
    return (short) (sign | rounded);
  }

  /** Decodes half-precision bits; exact for every encoding. */
  public static float toFloat(short half) {
    int sign = (half & 0x8000) << 16;
    int exponent = (half >>> 10) & 0x1f;
    if (exponent != 0 && exponent != 0x1f) {
      // Normal: rebias the exponent from 15 to 127 (adds 112 << 23) and widen the mantissa.
      return Float.intBitsToFloat(sign | (((half & 0x7fff) << 13) + (112 << 23)));
    }
    int mantissa = half & 0x3ff;
    if (exponent == 0x1f) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign | 0x7f80_0000);
      }
      return Float.intBitsToFloat(sign | 0x7fc0_0000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Subnormal: mantissa * 2^-24, exact in float.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** {@code value >>> shift} rounded to nearest, ties to even; {@code 1 <= shift <= 24}, no overflow. */
  static int roundShiftRight(int value, int shift) {
    // Adding half minus one, plus the kept lowest bit, then truncating rounds half to even without a
    // data-dependent branch.
    return (value + (1 << (shift - 1)) - 1 + ((value >>> shift) & 1)) >>> shift;
  }
}
