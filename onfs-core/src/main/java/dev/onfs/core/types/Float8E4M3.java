package dev.onfs.core.types;

/**
 * Exact conversions between {@code float} and the 8-bit E4M3 float (1 sign, 4 exponent bits with bias
 * 7, 3 mantissa bits; the "FN" variant without infinities), bit for bit as the reference stores
 * FP8E4M3 features.
 *
 * <p>Encoding rounds to nearest, ties to even, on the format's grid. The largest finite value is 448
 * ({@code 0x7e}); a magnitude of 480 or more, an infinity and a NaN all become {@code 0x7f} with the
 * input's sign, which decodes as NaN. Magnitudes between 464 and 480 round up to that same encoding
 * (NaN), since the reference treats it as the grid point after 448. Values below 2^-10 become a
 * signed zero.
 *
 * <p>Decoding: {@code 0x7f} and {@code 0xff} are NaN (returned as {@link Float#NaN}, sign dropped);
 * every other encoding is exact, {@code 0x80} being negative zero.
 */
public final class Float8E4M3 {
  /** Magnitude bits of 480.0f: the first value that saturates to the NaN encoding. */
  private static final int SATURATION_BITS = 0x43f0_0000;
  /** Magnitude bits of 2^-6, the smallest normal E4M3 value. */
  private static final int MIN_NORMAL_BITS = 0x3c80_0000;

  private static final float[] DECODED = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      DECODED[i] = decode(i);
    }
  }

  private Float8E4M3() {}

  /** Encodes {@code value} as E4M3 bits. */
  public static byte fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 24) & 0x80;
    int magnitude = bits & 0x7fff_ffff;
    if (magnitude >= SATURATION_BITS) {
      return (byte) (sign | 0x7f);
    }
    if (magnitude < MIN_NORMAL_BITS) {
      // Subnormal grid: multiples of 2^-9. Scaling by a power of two is exact; rint ties to even.
      return (byte) (sign | (int) Math.rint(Float.intBitsToFloat(magnitude) * 512f));
    }
    int rebased = magnitude - ((127 - 7) << 23);
    return (byte) (sign | Float16.roundShiftRight(rebased, 20));
  }

  /** Decodes E4M3 bits. */
  public static float toFloat(byte encoded) {
    return DECODED[encoded & 0xff];
  }

  private static float decode(int encoded) {
    if ((encoded & 0x7f) == 0x7f) {
      return Float.NaN;
    }
    int exponent = (encoded >>> 3) & 0xf;
    int mantissa = encoded & 0x7;
    float magnitude =
        exponent == 0
            ? mantissa * 0x1p-9f
            : Float.intBitsToFloat(((exponent - 7 + 127) << 23) | (mantissa << 20));
    return (encoded & 0x80) == 0 ? magnitude : -magnitude;
  }
}
