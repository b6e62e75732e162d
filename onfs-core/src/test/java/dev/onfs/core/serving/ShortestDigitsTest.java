package dev.onfs.core.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

class ShortestDigitsTest {
  private static final MathContext WIDE = new MathContext(60, RoundingMode.FLOOR);
  private static final BigDecimal LOG10_2 = new BigDecimal("0.30102999566398119521373889472449302676818988146210854131");
  private static final BigDecimal LOG10_3_4 = new BigDecimal("-0.12493873660829995313244988619387000168217030813493359");
  private static final BigDecimal LOG2_10 = new BigDecimal("3.32192809488736234787031942948939017586483139302458061205");

  @Test
  void fixedPointLogarithmsAreExactFloorsOverTheRangeUsed() {
    for (int e = -1200; e <= 1200; e++) {
      BigDecimal big = BigDecimal.valueOf(e);
      assertThat(ShortestDigits.floorLog10Pow2(e)).as("floor(%d log10 2)", e).isEqualTo(floor(big.multiply(LOG10_2)));
      assertThat(ShortestDigits.floorLog10ThreeQuartersPow2(e)).as("floor(%d log10 2 + log10 3/4)", e)
          .isEqualTo(floor(big.multiply(LOG10_2).add(LOG10_3_4)));
    }
    for (int e = -400; e <= 400; e++) {
      assertThat(ShortestDigits.floorLog2Pow10(e)).as("floor(%d log2 10)", e)
          .isEqualTo(floor(BigDecimal.valueOf(e).multiply(LOG2_10)));
    }
  }

  @Test
  void theSlowExactSearchAndTheFastOneAgreeOnRandomValues() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    for (int i = 0; i < 20_000; i++) {
      double d = Math.abs(Double.longBitsToDouble(random.nextLong()));
      if (Double.isFinite(d) && d != 0) {
        assertThat(ShortestDigits.ofDouble(d)).as("%s", d).isEqualTo(ShortestDigits.exactShortest(d, false));
      }
      float f = Math.abs(Float.intBitsToFloat(random.nextInt()));
      if (Float.isFinite(f) && f != 0) {
        assertThat(ShortestDigits.ofFloat(f)).as("%s", f).isEqualTo(ShortestDigits.exactShortest(f, true));
      }
    }
  }

  @Test
  void smallSubnormalsGetTheFewestDigitsLikeGo() {
    assertThat(ShortestDigits.ofDouble(Double.MIN_VALUE)).isEqualTo(new ShortestDigits.Decimal(5, -324));
    assertThat(ShortestDigits.ofDouble(Double.longBitsToDouble(10))).isEqualTo(new ShortestDigits.Decimal(5, -323));
    assertThat(ShortestDigits.ofDouble(Double.longBitsToDouble(20))).isEqualTo(new ShortestDigits.Decimal(1, -322));
    assertThat(ShortestDigits.ofFloat(Float.MIN_VALUE)).isEqualTo(new ShortestDigits.Decimal(1, -45));
  }

  private static int floor(BigDecimal x) {
    return x.round(WIDE).setScale(0, RoundingMode.FLOOR).intValueExact();
  }
}
