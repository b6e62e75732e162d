package dev.onfs.core.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GoFloatFormatTest {

  @Test
  void float32PercentVMatchesGo() {
    assertThat(GoFloatFormat.formatG(0f)).isEqualTo("0");
    assertThat(GoFloatFormat.formatG(-0f)).isEqualTo("-0");
    assertThat(GoFloatFormat.formatG(1f)).isEqualTo("1");
    assertThat(GoFloatFormat.formatG(0.1f)).isEqualTo("0.1");
    assertThat(GoFloatFormat.formatG(0.3f)).isEqualTo("0.3");
    assertThat(GoFloatFormat.formatG(-2.5f)).isEqualTo("-2.5");
    assertThat(GoFloatFormat.formatG((float) Math.PI)).isEqualTo("3.1415927");
    assertThat(GoFloatFormat.formatG(123456f)).isEqualTo("123456");
    assertThat(GoFloatFormat.formatG(999999f)).isEqualTo("999999");
    assertThat(GoFloatFormat.formatG(1e6f)).isEqualTo("1e+06");
    assertThat(GoFloatFormat.formatG(1234567f)).isEqualTo("1.234567e+06");
    assertThat(GoFloatFormat.formatG(16777216f)).isEqualTo("1.6777216e+07");
    assertThat(GoFloatFormat.formatG(0.0001f)).isEqualTo("0.0001");
    assertThat(GoFloatFormat.formatG(0.00001f)).isEqualTo("1e-05");
    assertThat(GoFloatFormat.formatG(1.5e-10f)).isEqualTo("1.5e-10");
    assertThat(GoFloatFormat.formatG(Float.MIN_VALUE)).isEqualTo("1e-45");
    assertThat(GoFloatFormat.formatG(Float.MAX_VALUE)).isEqualTo("3.4028235e+38");
    assertThat(GoFloatFormat.formatG(0.333251953125f)).isEqualTo("0.33325195");
    assertThat(GoFloatFormat.formatG(Float.NaN)).isEqualTo("NaN");
    assertThat(GoFloatFormat.formatG(Float.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(GoFloatFormat.formatG(Float.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void float64PercentVMatchesGo() {
    assertThat(GoFloatFormat.formatG(0d)).isEqualTo("0");
    assertThat(GoFloatFormat.formatG(0.1d)).isEqualTo("0.1");
    assertThat(GoFloatFormat.formatG(1d / 3)).isEqualTo("0.3333333333333333");
    assertThat(GoFloatFormat.formatG(100000d)).isEqualTo("100000");
    assertThat(GoFloatFormat.formatG(1e21)).isEqualTo("1e+21");
    assertThat(GoFloatFormat.formatG(1e100)).isEqualTo("1e+100");
    assertThat(GoFloatFormat.formatG(2.82879384806159E17)).isEqualTo("2.82879384806159e+17");
    assertThat(GoFloatFormat.formatG(Double.MIN_VALUE)).isEqualTo("5e-324");
    assertThat(GoFloatFormat.formatG(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    assertThat(GoFloatFormat.formatG(-123.456)).isEqualTo("-123.456");
    assertThat(GoFloatFormat.formatG((double) 0.1f)).isEqualTo("0.10000000149011612");
    assertThat(GoFloatFormat.formatG(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void plainFormatNeverUsesAnExponent() {
    assertThat(GoFloatFormat.formatF(1e-7f)).isEqualTo("0.0000001");
    assertThat(GoFloatFormat.formatF(1e20f)).isEqualTo("100000000000000000000");
    assertThat(GoFloatFormat.formatF(1e6f)).isEqualTo("1000000");
    assertThat(GoFloatFormat.formatF(-0f)).isEqualTo("-0");
    assertThat(GoFloatFormat.formatF(0.5f)).isEqualTo("0.5");
    assertThat(GoFloatFormat.formatF(12.25f)).isEqualTo("12.25");
    assertThat(GoFloatFormat.formatF(1e21)).isEqualTo("1000000000000000000000");
    assertThat(GoFloatFormat.formatF(1.5e-8)).isEqualTo("0.000000015");
    assertThat(GoFloatFormat.formatF(Float.NaN)).isEqualTo("NaN");
    assertThat(GoFloatFormat.formatF(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
  }

  @Test
  void shortestDigitsRoundTripAndAreNoLongerThanJavas() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 4_000; i++) {
      float f = Float.intBitsToFloat(random.nextInt());
      if (Float.isNaN(f) || Float.isInfinite(f)) {
        continue;
      }
      String plain = GoFloatFormat.formatF(f);
      assertThat(Float.parseFloat(plain)).as("round trip of %s", f).isEqualTo(f);
      String g = GoFloatFormat.formatG(f);
      assertThat(Float.parseFloat(g)).isEqualTo(f);
      assertThat(significantDigits(g)).isLessThanOrEqualTo(significantDigits(Float.toString(f)));
      double d = Double.longBitsToDouble(random.nextLong());
      if (!Double.isNaN(d) && !Double.isInfinite(d)) {
        String dg = GoFloatFormat.formatG(d);
        assertThat(Double.parseDouble(dg)).isEqualTo(d);
        assertThat(significantDigits(dg)).isLessThanOrEqualTo(significantDigits(Double.toString(d)));
      }
    }
  }

  @Test
  void exactIntegerSearchAgreesWithTheBigDecimalSearch() {
    SplittableRandom random = new SplittableRandom(7);
    List<Float> floats = new ArrayList<>(List.of(Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 1f, 0.1f,
        Math.nextDown(Float.MIN_NORMAL), 1e-45f, 3e-45f, 8.589973e9f, 2.3509886e-38f));
    for (int i = 0; i < 126; i++) {
      floats.add(Math.scalb(1f, i - 149 + 23)); // powers of two: asymmetric intervals
    }
    for (int i = 0; i < 3000; i++) {
      floats.add(Float.intBitsToFloat(random.nextInt() & 0x7FFF_FFFF));
      floats.add((float) random.nextDouble());
    }
    for (float f : floats) {
      if (!Float.isNaN(f) && !Float.isInfinite(f) && f != 0) {
        assertThat(GoFloatFormat.fastDigits(f, true)).as("float %s", f).isEqualTo(GoFloatFormat.referenceDigits(f, true));
      }
    }
    List<Double> doubles = new ArrayList<>(List.of(Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 0.1, 1e23,
        2.82879384806159E17, 5e-324, 9007199254740993.0));
    for (int i = 0; i < 2000; i++) {
      doubles.add(Double.longBitsToDouble(random.nextLong() & Long.MAX_VALUE));
      doubles.add(random.nextDouble());
      doubles.add(Math.scalb(1.0, random.nextInt(2098) - 1074));
    }
    for (double d : doubles) {
      if (!Double.isNaN(d) && !Double.isInfinite(d) && d != 0) {
        assertThat(GoFloatFormat.fastDigits(d, false)).as("double %s", d).isEqualTo(GoFloatFormat.referenceDigits(d, false));
      }
    }
  }

  private static int significantDigits(String s) {
    String mantissa = s.toLowerCase().split("e")[0].replace("-", "").replace(".", "");
    mantissa = mantissa.replaceFirst("^0+", "");
    mantissa = mantissa.replaceFirst("0+$", "");
    return Math.max(mantissa.length(), 1);
  }
}
