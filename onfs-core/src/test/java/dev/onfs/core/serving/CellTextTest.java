package dev.onfs.core.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.types.DataType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CellTextTest {

  @Test
  void floatScalarsUseGoPercentV() {
    assertThat(render(DataType.FP32, le(4).putFloat(0.1f))).isEqualTo("0.1");
    assertThat(render(DataType.FP32, le(4).putFloat(2e7f))).isEqualTo("2e+07");
    assertThat(render(DataType.FP64, le(8).putDouble(1d / 3))).isEqualTo("0.3333333333333333");
    assertThat(render(DataType.FP64, le(8).putDouble(1e-5))).isEqualTo("1e-05");
    assertThat(render(DataType.FP16, le(2).putShort((short) 0x3C00))).isEqualTo("1");
    assertThat(render(DataType.FP16, le(2).putShort((short) 0x3555))).isEqualTo("0.33325195");
    assertThat(render(DataType.FP16, le(2).putShort((short) 0xFC00))).isEqualTo("-Inf");
    assertThat(render(DataType.FP8E4M3, new byte[] {0x38})).isEqualTo("1");
    assertThat(render(DataType.FP8E4M3, new byte[] {(byte) 0xB4})).isEqualTo("-0.75");
    assertThat(render(DataType.FP8E5M2, new byte[] {0x3C})).isEqualTo("1");
    assertThat(render(DataType.FP8E5M2, new byte[] {0x41})).isEqualTo("2.5");
  }

  @Test
  void integerScalarsAreDecimalWithTheirSignedness() {
    assertThat(render(DataType.INT8, new byte[] {(byte) 0xFF})).isEqualTo("-1");
    assertThat(render(DataType.UINT8, new byte[] {(byte) 0xFF})).isEqualTo("255");
    assertThat(render(DataType.INT16, new byte[] {0x00, (byte) 0x80})).isEqualTo("-32768");
    assertThat(render(DataType.UINT16, new byte[] {0x00, (byte) 0x80})).isEqualTo("32768");
    assertThat(render(DataType.INT32, le(4).putInt(Integer.MIN_VALUE))).isEqualTo("-2147483648");
    assertThat(render(DataType.UINT32, le(4).putInt(-1))).isEqualTo("4294967295");
    assertThat(render(DataType.INT64, le(8).putLong(Long.MIN_VALUE))).isEqualTo("-9223372036854775808");
    assertThat(render(DataType.UINT64, le(8).putLong(-1))).isEqualTo("18446744073709551615");
  }

  @Test
  void stringsAndBools() {
    assertThat(render(DataType.STRING, "héllo".getBytes(StandardCharsets.UTF_8))).isEqualTo("héllo");
    assertThat(render(DataType.STRING, new byte[0])).isEqualTo("");
    assertThat(render(DataType.BOOL, new byte[] {1})).isEqualTo("true");
    assertThat(render(DataType.BOOL, new byte[] {0})).isEqualTo("false");
    assertThat(render(DataType.BOOL_VECTOR, new byte[] {1, 0, 1, 1})).isEqualTo("1:0:1:1");
    assertThat(render(DataType.BOOL_VECTOR, new byte[0])).isEqualTo("");
    assertThat(CellText.render(DataType.STRING_VECTOR, stringVector("hi", "", "abc"), 3)).isEqualTo("hi::abc");
  }

  @Test
  void numericVectorsUsePlainShortestDecimalsJoinedWithColons() {
    assertThat(render(DataType.FP32_VECTOR, le(12).putFloat(1.5f).putFloat(-0.25f).putFloat(1e-7f)))
        .isEqualTo("1.5:-0.25:0.0000001");
    assertThat(render(DataType.FP64_VECTOR, le(16).putDouble(1e21).putDouble(0.1))).isEqualTo("1000000000000000000000:0.1");
    assertThat(render(DataType.FP16_VECTOR, le(4).putShort((short) 0x3C00).putShort((short) 0x3800))).isEqualTo("1:0.5");
    assertThat(render(DataType.FP8E4M3_VECTOR, new byte[] {0x38, 0x40})).isEqualTo("1:2");
    assertThat(render(DataType.FP8E5M2_VECTOR, new byte[] {0x3C, (byte) 0xBC})).isEqualTo("1:-1");
    assertThat(render(DataType.INT8_VECTOR, new byte[] {-1, 127})).isEqualTo("-1:127");
    assertThat(render(DataType.INT16_VECTOR, le(4).putShort((short) -2).putShort((short) 300))).isEqualTo("-2:300");
    assertThat(render(DataType.INT32_VECTOR, le(8).putInt(-7).putInt(70000))).isEqualTo("-7:70000");
    assertThat(render(DataType.INT64_VECTOR, le(8).putLong(-1L << 40))).isEqualTo("-1099511627776");
    assertThat(render(DataType.UINT8_VECTOR, new byte[] {-1, 1})).isEqualTo("255:1");
    assertThat(render(DataType.UINT16_VECTOR, le(4).putShort((short) -1).putShort((short) 2))).isEqualTo("65535:2");
    assertThat(render(DataType.UINT32_VECTOR, le(4).putInt(-1))).isEqualTo("4294967295");
    assertThat(render(DataType.UINT64_VECTOR, le(16).putLong(-1).putLong(5))).isEqualTo("18446744073709551615:5");
    assertThat(render(DataType.FP32_VECTOR, new byte[0])).isEqualTo("");
  }

  @Test
  void everyFp16EncodingRendersAsItsShortestRoundTrippingText() {
    for (int bits = 0; bits < 1 << 16; bits++) {
      float f = dev.onfs.core.types.Float16.toFloat((short) bits);
      if (Float.isNaN(f)) {
        continue;
      }
      byte[] cell = {(byte) bits, (byte) (bits >>> 8)};
      String g = render(DataType.FP16, cell);
      String plain = render(DataType.FP16_VECTOR, cell);
      assertThat(g).isEqualTo(GoFloatFormat.formatG(f));
      assertThat(plain).isEqualTo(GoFloatFormat.formatF(f));
      if (!Float.isInfinite(f)) {
        assertThat(Float.parseFloat(g)).isEqualTo(f);
        assertThat(Float.parseFloat(plain)).isEqualTo(f);
      }
    }
  }

  @Test
  void malformedCellsAreCorruptBlocks() {
    assertThatThrownBy(() -> render(DataType.FP32, new byte[3]))
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining("DataTypeFP32")
        .satisfies(e -> assertThat(((OnfsException) e).code()).isEqualTo(ErrorCode.CORRUPT_BLOCK));
    assertThatThrownBy(() -> render(DataType.FP64_VECTOR, new byte[12])).isInstanceOf(OnfsException.class);
    assertThatThrownBy(() -> CellText.render(DataType.STRING_VECTOR, new byte[] {5, 0, 'a'}, 1))
        .hasMessageContaining("element 0");
  }

  private static String render(DataType type, ByteBuffer buffer) {
    return render(type, buffer.array());
  }

  private static String render(DataType type, byte[] cell) {
    return CellText.render(type, cell, 0);
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  static byte[] stringVector(String... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String v : values) {
      int n = v.getBytes(StandardCharsets.UTF_8).length;
      out.write(n & 0xFF);
      out.write(n >>> 8);
    }
    for (String v : values) {
      out.writeBytes(v.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
