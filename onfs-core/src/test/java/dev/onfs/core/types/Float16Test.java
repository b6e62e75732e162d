package dev.onfs.core.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Float16Test {
  private static final MinifloatOracle ORACLE =
      new MinifloatOracle(0x7c00, 65536.0, code -> Float16.toFloat((short) code));

  @Test
  void knownValues() {
    assertThat(Float16.fromFloat(1f)).isEqualTo((short) 0x3c00);
    assertThat(Float16.fromFloat(-2f)).isEqualTo((short) 0xc000);
    assertThat(Float16.fromFloat(65504f)).isEqualTo((short) 0x7bff);
    assertThat(Float16.fromFloat(65519.996f)).isEqualTo((short) 0x7bff);
    assertThat(Float16.fromFloat(65520f)).as("overflow threshold ties to infinity").isEqualTo((short) 0x7c00);
    assertThat(Float16.fromFloat(0x1p-14f)).isEqualTo((short) 0x0400);
    assertThat(Float16.fromFloat(0x1p-24f)).isEqualTo((short) 0x0001);
    assertThat(Float16.fromFloat(0x1p-25f)).as("half of min subnormal ties to zero").isEqualTo((short) 0);
    assertThat(Float16.fromFloat(Math.nextUp(0x1p-25f))).isEqualTo((short) 1);
    assertThat(Float16.fromFloat(3 * 0x1p-25f)).as("1.5 units ties to 2").isEqualTo((short) 2);
    assertThat(Float16.fromFloat(0.33325195f)).isEqualTo((short) 0x3555);
    assertThat(Float16.fromFloat(1f / 3)).isEqualTo((short) 0x3555);
    assertThat(Float16.fromFloat(-0f)).isEqualTo((short) 0x8000);
    assertThat(Float16.fromFloat(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7c00);
    assertThat(Float16.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xfc00);
    assertThat(Float16.fromFloat(Float.NaN)).isEqualTo((short) 0x7e00);
    assertThat(Float16.fromFloat(Float.intBitsToFloat(0xffc0_0000))).isEqualTo((short) 0xfe00);
    // A signalling NaN keeps its top payload bits and gains the quiet bit.
    assertThat(Float16.fromFloat(Float.intBitsToFloat(0x7f80_2000))).isEqualTo((short) 0x7e01);
    assertThat(Float16.fromFloat(Float.MIN_VALUE)).isEqualTo((short) 0);
    assertThat(Float16.fromFloat(Float.MAX_VALUE)).isEqualTo((short) 0x7c00);

    assertThat(Float16.toFloat((short) 0x3c00)).isEqualTo(1f);
    assertThat(Float16.toFloat((short) 0x7bff)).isEqualTo(65504f);
    assertThat(Float16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    assertThat(Float16.toFloat((short) 0x03ff)).isEqualTo(1023 * 0x1p-24f);
    assertThat(Float16.toFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(Float.floatToRawIntBits(Float16.toFloat((short) 0x8000))).isEqualTo(0x8000_0000);
    assertThat(Float.floatToRawIntBits(Float16.toFloat((short) 0x7c01))).isEqualTo(0x7fc0_2000);
    assertThat(Float.floatToRawIntBits(Float16.toFloat((short) 0xfe00))).isEqualTo(0xffc0_0000);
  }

  @Test
  void decodesEveryEncodingExactly() {
    for (int code = 0; code < 0x10000; code++) {
      float value = Float16.toFloat((short) code);
      int exponent = (code >> 10) & 0x1f;
      int mantissa = code & 0x3ff;
      boolean negative = (code & 0x8000) != 0;
      if (exponent == 0x1f) {
        assertThat(Float.isNaN(value)).isEqualTo(mantissa != 0);
        continue;
      }
      double expected =
          exponent == 0 ? mantissa * 0x1p-24 : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
      assertThat((double) Math.abs(value)).as("code 0x%04x", code).isEqualTo(expected);
      assertThat(Math.copySign(1f, value)).isEqualTo(negative ? -1f : 1f);
    }
  }

  @Test
  void exhaustiveRoundTrip() {
    for (int code = 0; code < 0x10000; code++) {
      short again = Float16.fromFloat(Float16.toFloat((short) code));
      boolean nan = (code & 0x7c00) == 0x7c00 && (code & 0x3ff) != 0;
      // Every encoding survives except that a signalling NaN comes back quiet.
      int expected = nan ? code | 0x200 : code;
      assertThat(again & 0xffff).as("code 0x%04x", code).isEqualTo(expected);
    }
  }

  @Test
  void roundsToNearestEvenAtEveryGridPointAndMidpoint() {
    double[] grid = ORACLE.grid();
    for (int i = 0; i < grid.length; i++) {
      float value = (float) grid[i];
      float mid = i + 1 < grid.length ? (float) ((grid[i] + grid[i + 1]) / 2) : value * 2;
      for (float probe :
          new float[] {value, Math.nextUp(value), Math.nextDown(value), mid, Math.nextUp(mid),
            Math.nextDown(mid)}) {
        check(probe);
        check(-probe);
      }
    }
    SplittableRandom random = new SplittableRandom(7L);
    for (int i = 0; i < 1_000_000; i++) {
      int bits = random.nextInt();
      if (i % 2 == 0) {
        bits = (bits & 0x807f_ffff) | (random.nextInt(95, 145) << 23);
      }
      check(Float.intBitsToFloat(bits));
    }
  }

  private static void check(float value) {
    int bits = Float.floatToRawIntBits(value);
    int actual = Float16.fromFloat(value) & 0xffff;
    int expected;
    if (Float.isNaN(value)) {
      expected = 0x7e00 | ((bits & 0x7f_ffff) >>> 13);
    } else {
      expected = ORACLE.encodeMagnitude(Math.abs((double) value));
    }
    expected |= (bits >>> 16) & 0x8000;
    assertThat(actual).as("encoding of %s (0x%08x)", value, bits).isEqualTo(expected);
  }
}
