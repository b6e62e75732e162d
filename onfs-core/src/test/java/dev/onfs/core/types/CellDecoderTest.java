package dev.onfs.core.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CellDecoderTest {
  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void floatingPointScalars() {
    assertThat(CellDecoder.toFloat(le(4).putFloat(1.25f).array(), DataType.FP32)).isEqualTo(1.25f);
    assertThat(CellDecoder.toDouble(le(8).putDouble(-2.5e300).array(), DataType.FP64)).isEqualTo(-2.5e300);
    assertThat(CellDecoder.toFloat(le(2).putShort(Float16.fromFloat(0.333f)).array(), DataType.FP16))
        .isEqualTo(Float16.toFloat(Float16.fromFloat(0.333f)));
    assertThat(CellDecoder.toFloat(new byte[] {Float8E4M3.fromFloat(1.5f)}, DataType.FP8E4M3)).isEqualTo(1.5f);
    assertThat(CellDecoder.toFloat(new byte[] {Float8E5M2.fromFloat(-3f)}, DataType.FP8E5M2)).isEqualTo(-3f);
    assertThat(CellDecoder.decode(le(2).putShort(Float16.fromFloat(2f)).array(), DataType.FP16)).isEqualTo(2f);
  }

  @Test
  void integerScalarsAreSignOrZeroExtended() {
    assertThat(CellDecoder.toLong(new byte[] {(byte) 0xff}, DataType.INT8)).isEqualTo(-1);
    assertThat(CellDecoder.toLong(new byte[] {(byte) 0xff}, DataType.UINT8)).isEqualTo(255);
    assertThat(CellDecoder.toLong(le(2).putShort((short) -2).array(), DataType.INT16)).isEqualTo(-2);
    assertThat(CellDecoder.toLong(le(2).putShort((short) -2).array(), DataType.UINT16)).isEqualTo(65534);
    assertThat(CellDecoder.toLong(le(4).putInt(-3).array(), DataType.INT32)).isEqualTo(-3);
    assertThat(CellDecoder.toLong(le(4).putInt(-3).array(), DataType.UINT32)).isEqualTo(4294967293L);
    assertThat(CellDecoder.toLong(le(8).putLong(Long.MIN_VALUE).array(), DataType.INT64)).isEqualTo(Long.MIN_VALUE);
    assertThat(Long.toUnsignedString(CellDecoder.toLong(le(8).putLong(-1).array(), DataType.UINT64)))
        .isEqualTo("18446744073709551615");
  }

  @Test
  void boolAndString() {
    assertThat(CellDecoder.toBoolean(new byte[] {1}, DataType.BOOL)).isTrue();
    assertThat(CellDecoder.decode(new byte[] {0}, DataType.BOOL)).isEqualTo(false);
    assertThat(CellDecoder.toText("मुंबई".getBytes(StandardCharsets.UTF_8), DataType.STRING)).isEqualTo("मुंबई");
  }

  @Test
  void vectors() {
    byte[] fp16 = le(4).putShort(Float16.fromFloat(0.5f)).putShort(Float16.fromFloat(-1f)).array();
    assertThat(CellDecoder.toFloatArray(fp16, DataType.FP16_VECTOR)).containsExactly(0.5f, -1f);
    byte[] fp8 = {Float8E4M3.fromFloat(2f), Float8E4M3.fromFloat(0.25f)};
    assertThat(CellDecoder.toFloatArray(fp8, DataType.FP8E4M3_VECTOR)).containsExactly(2f, 0.25f);
    assertThat(CellDecoder.toDoubleArray(le(16).putDouble(1).putDouble(2).array(), DataType.FP64_VECTOR))
        .containsExactly(1, 2);
    assertThat(CellDecoder.toLongArray(le(8).putInt(7).putInt(-7).array(), DataType.INT32_VECTOR))
        .containsExactly(7, -7);
    assertThat(CellDecoder.toLongArray(new byte[] {(byte) 200, 1}, DataType.UINT8_VECTOR)).containsExactly(200, 1);
    assertThat(CellDecoder.toBooleanArray(new byte[] {1, 0, 1}, DataType.BOOL_VECTOR)).containsExactly(true, false, true);
    byte[] strings = le(2 * 2 + 3).putShort((short) 1).putShort((short) 2).put("abc".getBytes(StandardCharsets.UTF_8))
        .array();
    assertThat(CellDecoder.toStringArray(strings, DataType.STRING_VECTOR, 2)).containsExactly("a", "bc");
  }

  @Test
  void wrongLengthOrTypeNamesBoth() {
    assertThatThrownBy(() -> CellDecoder.toFloat(new byte[3], DataType.FP32))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 bytes").hasMessageContaining("FP32");
    assertThatThrownBy(() -> CellDecoder.toLongArray(new byte[3], DataType.INT16_VECTOR))
        .hasMessageContaining("INT16_VECTOR");
    assertThatThrownBy(() -> CellDecoder.toStringArray(new byte[] {5, 0}, DataType.STRING_VECTOR, 1))
        .hasMessageContaining("too short");
    assertThatThrownBy(() -> CellDecoder.toStringArray(new byte[] {5, 0, 'a'}, DataType.STRING_VECTOR))
        .hasMessageContaining("STRING_VECTOR cell of 3 bytes");
    assertThatThrownBy(() -> CellDecoder.toStringArray(new byte[] {0, 0, 'x'}, DataType.STRING_VECTOR))
        .hasMessageContaining("too short for the length of element 1");
  }

  @Test
  void stringVectorCountComesFromTheCell() {
    byte[] strings = {2, 0, 1, 0, 0, 0, 'a', 'b', 'c'};
    assertThat(CellDecoder.toStringArray(strings, DataType.STRING_VECTOR)).containsExactly("ab", "c", "");
    assertThat(CellDecoder.decode(strings, DataType.STRING_VECTOR)).isEqualTo(new String[] {"ab", "c", ""});
    // A default of three empty strings: three zero lengths.
    assertThat(CellDecoder.toStringArray(new byte[6], DataType.STRING_VECTOR)).containsExactly("", "", "");
    assertThat(CellDecoder.toStringArray(new byte[0], DataType.STRING_VECTOR)).isEmpty();
  }
}
