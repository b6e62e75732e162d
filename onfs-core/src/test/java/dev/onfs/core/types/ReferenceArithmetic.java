package dev.onfs.core.types;

/**
 * A second, independent model of the reference's fp8 encoders, following the arithmetic its source
 * describes (float addition of a power of two to round subnormals; a biased add with a
 * ties-to-even correction for normals). Used only to cross-check the production encoders.
 */
final class ReferenceArithmetic {
  private ReferenceArithmetic() {}

  static int e4m3(int bits) {
    int sign = bits & 0x8000_0000;
    int magnitude = bits ^ sign;
    int result;
    if (Integer.compareUnsigned(magnitude, 1087 << 20) >= 0) {
      result = 0x7f;
    } else if (magnitude < (121 << 23)) {
      float shifted = Float.intBitsToFloat(magnitude) + Float.intBitsToFloat(141 << 23);
      result = (Float.floatToRawIntBits(shifted) - (141 << 23)) & 0xff;
    } else {
      int odd = (magnitude >>> 20) & 1;
      result = ((magnitude + (((7 - 127) << 23) + 0x7_ffff) + odd) >>> 20) & 0xff;
    }
    return result | (sign >>> 24);
  }

  static int e5m2(int bits) {
    int sign = bits & 0x8000_0000;
    int magnitude = bits ^ sign;
    int result;
    if (Integer.compareUnsigned(magnitude, 143 << 23) >= 0) {
      result = Integer.compareUnsigned(magnitude, 255 << 23) > 0 ? 0x7f : 0x7c;
    } else if (magnitude < (113 << 23)) {
      float shifted = Float.intBitsToFloat(magnitude) + Float.intBitsToFloat(134 << 23);
      result = (Float.floatToRawIntBits(shifted) - (134 << 23)) & 0xff;
    } else {
      int odd = (magnitude >>> 21) & 1;
      result = ((magnitude + (((15 - 127) << 23) + 0xf_ffff) + odd) >>> 21) & 0xff;
    }
    return result | (sign >>> 24);
  }
}
