package dev.onfs.core.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class Float8Test {
  private static final MinifloatOracle E4M3 =
      new MinifloatOracle(0x7f, 480.0, code -> Float8E4M3.toFloat((byte) code));
  private static final MinifloatOracle E5M2 =
      new MinifloatOracle(0x7c, 65536.0, code -> Float8E5M2.toFloat((byte) code));

  // ---- E4M3: facts from the reference's own tests ----

  @Test
  void e4m3DecodesTheReferenceTable() {
    // Spot values from the reference's table of all 256 encodings, plus its rule for the rest.
    assertThat(Float8E4M3.toFloat((byte) 0)).isEqualTo(0f);
    assertThat(Float8E4M3.toFloat((byte) 1)).isEqualTo(0.001953125f);
    assertThat(Float8E4M3.toFloat((byte) 7)).isEqualTo(0.013671875f);
    assertThat(Float8E4M3.toFloat((byte) 8)).isEqualTo(0.015625f);
    assertThat(Float8E4M3.toFloat((byte) 17)).isEqualTo(0.03515625f);
    assertThat(Float8E4M3.toFloat((byte) 56)).isEqualTo(1f);
    assertThat(Float8E4M3.toFloat((byte) 89)).isEqualTo(18f);
    assertThat(Float8E4M3.toFloat((byte) 121)).isEqualTo(288f);
    assertThat(Float8E4M3.toFloat((byte) 126)).isEqualTo(448f);
    assertThat(Float8E4M3.toFloat((byte) 127)).isNaN();
    assertThat(Float.floatToRawIntBits(Float8E4M3.toFloat((byte) 128))).isEqualTo(0x8000_0000);
    assertThat(Float8E4M3.toFloat((byte) 129)).isEqualTo(-0.001953125f);
    assertThat(Float8E4M3.toFloat((byte) 184)).isEqualTo(-1f);
    assertThat(Float8E4M3.toFloat((byte) 254)).isEqualTo(-448f);
    assertThat(Float8E4M3.toFloat((byte) 255)).isNaN();
    for (int code = 0; code < 256; code++) {
      float value = Float8E4M3.toFloat((byte) code);
      if ((code & 0x7f) == 0x7f) {
        assertThat(Float.floatToRawIntBits(value)).isEqualTo(Float.floatToRawIntBits(Float.NaN));
        continue;
      }
      int exponent = (code >> 3) & 0xf;
      int mantissa = code & 7;
      double expected =
          exponent == 0 ? mantissa / 512.0 : (1 + mantissa / 8.0) * Math.pow(2, exponent - 7);
      assertThat((double) Math.abs(value)).as("code %d", code).isEqualTo(expected);
      assertThat(Math.copySign(1f, value)).isEqualTo((code & 0x80) == 0 ? 1f : -1f);
    }
  }

  @Test
  void e4m3EncodesTheReferenceCases() {
    assertThat(Float8E4M3.fromFloat(0.0039537125f)).isEqualTo((byte) 2);
    assertThat(Float8E4M3.fromFloat(448f)).isEqualTo((byte) 126);
    assertThat(Float8E4M3.fromFloat(0.015625f)).isEqualTo((byte) 8);
    assertThat(Float8E4M3.fromFloat(5000f)).isEqualTo((byte) 127);
    assertThat(Float8E4M3.fromFloat(0f)).isEqualTo((byte) 0);
    assertThat(Float8E4M3.fromFloat(0.013671875f)).isEqualTo((byte) 7);
    assertThat(Float8E4M3.fromFloat(0.001953125f)).isEqualTo((byte) 1);
    assertThat(Float8E4M3.fromFloat(0.0001953125f)).isEqualTo((byte) 0);
    assertThat(Float8E4M3.fromFloat(Float.POSITIVE_INFINITY)).isEqualTo((byte) 0x7f);
    assertThat(Float8E4M3.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((byte) 0xff);
    assertThat(Float8E4M3.fromFloat(1f)).isEqualTo((byte) 0x38);
    assertThat(Float8E4M3.fromFloat(-1f)).isEqualTo((byte) 0xb8);
  }

  @Test
  void e4m3Boundaries() {
    assertThat(Float8E4M3.fromFloat(464f)).as("tie to even below saturation").isEqualTo((byte) 0x7e);
    assertThat(Float8E4M3.fromFloat(Math.nextUp(464f))).isEqualTo((byte) 0x7f);
    assertThat(Float8E4M3.fromFloat(Math.nextDown(480f))).isEqualTo((byte) 0x7f);
    assertThat(Float8E4M3.fromFloat(480f)).isEqualTo((byte) 0x7f);
    assertThat(Float8E4M3.fromFloat(-480f)).isEqualTo((byte) 0xff);
    assertThat(Float8E4M3.fromFloat(Float.NaN)).isEqualTo((byte) 0x7f);
    assertThat(Float8E4M3.fromFloat(Float.intBitsToFloat(0xffc0_0000))).isEqualTo((byte) 0xff);
    assertThat(Float8E4M3.fromFloat(-0f)).isEqualTo((byte) 0x80);
    assertThat(Float8E4M3.fromFloat(0x1p-10f)).as("half of min subnormal ties to zero").isEqualTo((byte) 0);
    assertThat(Float8E4M3.fromFloat(Math.nextUp(0x1p-10f))).isEqualTo((byte) 1);
    assertThat(Float8E4M3.fromFloat(3 * 0x1p-10f)).as("1.5 units ties to 2").isEqualTo((byte) 2);
    assertThat(Float8E4M3.fromFloat(Math.nextDown(0x1p-6f))).isEqualTo((byte) 8);
    assertThat(Float8E4M3.fromFloat(Float.MIN_VALUE)).isEqualTo((byte) 0);
    assertThat(Float8E4M3.fromFloat(1.0625f)).as("tie between 1 and 1.125").isEqualTo((byte) 0x38);
    assertThat(Float8E4M3.fromFloat(1.1875f)).as("tie between 1.125 and 1.25").isEqualTo((byte) 0x3a);
  }

  @Test
  void e4m3ExhaustiveRoundTrip() {
    for (int code = 0; code < 256; code++) {
      byte encoded = (byte) code;
      byte again = Float8E4M3.fromFloat(Float8E4M3.toFloat(encoded));
      int expected = (code & 0x7f) == 0x7f ? 0x7f : code; // NaN decodes unsigned
      assertThat(again & 0xff).as("code %d", code).isEqualTo(expected);
    }
  }

  @Test
  void e4m3MatchesTheOracleAndTheReferenceArithmetic() {
    checkAgainst(Float8E4M3::fromFloat, E4M3, 0x7f, ReferenceArithmetic::e4m3);
  }

  // ---- E5M2 ----

  @Test
  void e5m2DecodesEveryEncoding() {
    assertThat(Float8E5M2.toFloat((byte) 0x3c)).isEqualTo(1f);
    assertThat(Float8E5M2.toFloat((byte) 0x7b)).isEqualTo(57344f);
    assertThat(Float8E5M2.toFloat((byte) 0x01)).isEqualTo(0x1p-16f);
    assertThat(Float8E5M2.toFloat((byte) 0x04)).isEqualTo(0x1p-14f);
    assertThat(Float8E5M2.toFloat((byte) 0x7c)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Float8E5M2.toFloat((byte) 0xfc)).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(Float8E5M2.toFloat((byte) 0x7d)).isNaN();
    assertThat(Float8E5M2.toFloat((byte) 0xff)).isNaN();
    assertThat(Float.floatToRawIntBits(Float8E5M2.toFloat((byte) 0x80))).isEqualTo(0x8000_0000);
    for (int code = 0; code < 256; code++) {
      float value = Float8E5M2.toFloat((byte) code);
      int exponent = (code >> 2) & 0x1f;
      int mantissa = code & 3;
      if (exponent == 0x1f) {
        continue;
      }
      double expected =
          exponent == 0 ? mantissa / 65536.0 : (1 + mantissa / 4.0) * Math.pow(2, exponent - 15);
      assertThat((double) Math.abs(value)).as("code %d", code).isEqualTo(expected);
      assertThat(Math.copySign(1f, value)).isEqualTo((code & 0x80) == 0 ? 1f : -1f);
    }
  }

  @Test
  void e5m2Boundaries() {
    assertThat(Float8E5M2.fromFloat(57344f)).isEqualTo((byte) 0x7b);
    assertThat(Float8E5M2.fromFloat(Math.nextDown(61440f))).isEqualTo((byte) 0x7b);
    assertThat(Float8E5M2.fromFloat(61440f)).as("tie rounds to even = infinity").isEqualTo((byte) 0x7c);
    assertThat(Float8E5M2.fromFloat(65536f)).isEqualTo((byte) 0x7c);
    assertThat(Float8E5M2.fromFloat(-1e30f)).isEqualTo((byte) 0xfc);
    assertThat(Float8E5M2.fromFloat(Float.POSITIVE_INFINITY)).isEqualTo((byte) 0x7c);
    assertThat(Float8E5M2.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((byte) 0xfc);
    assertThat(Float8E5M2.fromFloat(Float.NaN)).isEqualTo((byte) 0x7f);
    assertThat(Float8E5M2.fromFloat(Float.intBitsToFloat(0xffc0_0000))).isEqualTo((byte) 0xff);
    assertThat(Float8E5M2.fromFloat(-0f)).isEqualTo((byte) 0x80);
    assertThat(Float8E5M2.fromFloat(0x1p-17f)).isEqualTo((byte) 0);
    assertThat(Float8E5M2.fromFloat(Math.nextUp(0x1p-17f))).isEqualTo((byte) 1);
    assertThat(Float8E5M2.fromFloat(3.0517578125e-05f)).isEqualTo((byte) 0x02);
    assertThat(Float8E5M2.fromFloat((float) Math.PI)).isEqualTo((byte) 0x42);
    assertThat(Float8E5M2.fromFloat(-2.25879f)).isEqualTo((byte) 0xc1);
  }

  @Test
  void e5m2ExhaustiveRoundTrip() {
    for (int code = 0; code < 256; code++) {
      byte again = Float8E5M2.fromFloat(Float8E5M2.toFloat((byte) code));
      boolean nan = (code & 0x7c) == 0x7c && (code & 3) != 0;
      assertThat(again & 0xff).as("code %d", code).isEqualTo(nan ? 0x7f : code);
    }
  }

  @Test
  void e5m2MatchesTheOracleAndTheReferenceArithmetic() {
    checkAgainst(Float8E5M2::fromFloat, E5M2, 0x7f, ReferenceArithmetic::e5m2);
  }

  interface Encoder {
    byte encode(float value);
  }

  /** Checks grid points, midpoints, their float neighbours and a million seeded random floats. */
  private static void checkAgainst(
      Encoder encoder, MinifloatOracle oracle, int nanCode, IntUnaryOperator model) {
    double[] grid = oracle.grid();
    for (int i = 0; i < grid.length; i++) {
      float value = (float) grid[i];
      float mid = i + 1 < grid.length ? (float) ((grid[i] + grid[i + 1]) / 2) : value * 2;
      float[] probes = {
        value, Math.nextUp(value), Math.nextDown(value), mid, Math.nextUp(mid), Math.nextDown(mid)
      };
      for (float probe : probes) {
        check(encoder, oracle, nanCode, model, probe);
        check(encoder, oracle, nanCode, model, -probe);
      }
    }
    float[] specials = {
      Float.NaN, Float.POSITIVE_INFINITY, Float.MAX_VALUE, Float.MIN_VALUE, Float.MIN_NORMAL, 0f
    };
    for (float special : specials) {
      check(encoder, oracle, nanCode, model, special);
      check(encoder, oracle, nanCode, model, -special);
    }
    SplittableRandom random = new SplittableRandom(20240611L);
    for (int i = 0; i < 1_000_000; i++) {
      int bits = random.nextInt();
      if (i % 2 == 0) {
        // Concentrate half the samples on the format's exponent range.
        bits = (bits & 0x807f_ffff) | (random.nextInt(100, 150) << 23);
      }
      check(encoder, oracle, nanCode, model, Float.intBitsToFloat(bits));
    }
  }

  private static void check(
      Encoder encoder, MinifloatOracle oracle, int nanCode, IntUnaryOperator model, float value) {
    int actual = encoder.encode(value) & 0xff;
    int bits = Float.floatToRawIntBits(value);
    int expected;
    if (Float.isNaN(value)) {
      expected = nanCode;
    } else {
      expected = oracle.encodeMagnitude(Math.abs((double) value));
    }
    expected |= (bits >>> 24) & 0x80;
    assertThat(actual).as("encoding of %s (0x%08x)", value, bits).isEqualTo(expected);
    assertThat(actual).as("reference arithmetic for %s (0x%08x)", value, bits)
        .isEqualTo(model.applyAsInt(bits));
  }
}
