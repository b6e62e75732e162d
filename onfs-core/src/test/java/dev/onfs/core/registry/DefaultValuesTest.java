package dev.onfs.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.types.DataType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DefaultValuesTest {
  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  void workedExampleDefaults() {
    assertThat(b64(DefaultValues.encode(DataType.FP32, "0.0", 0, 0))).isEqualTo("AAAAAA==");
    assertThat(b64(DefaultValues.encode(DataType.FP32, "1", 0, 0))).isEqualTo("AACAPw==");
    assertThat(DefaultValues.decode(DataType.FP32, Base64.getDecoder().decode("AACAPw=="), 0)).isEqualTo("1.0");
  }

  @Test
  void fixedWidthScalarsAreLittleEndian() {
    assertThat(DefaultValues.encode(DataType.INT32, "-2", 0, 0)).containsExactly(0xFE, 0xFF, 0xFF, 0xFF);
    assertThat(DefaultValues.encode(DataType.INT16, "258", 0, 0)).containsExactly(0x02, 0x01);
    assertThat(DefaultValues.encode(DataType.UINT8, "255", 0, 0)).containsExactly(0xFF);
    assertThat(DefaultValues.encode(DataType.UINT64, "18446744073709551615", 0, 0))
        .containsExactly(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
    assertThat(DefaultValues.encode(DataType.INT64, "1", 0, 0)).containsExactly(1, 0, 0, 0, 0, 0, 0, 0);
    assertThat(DefaultValues.encode(DataType.FP64, "1", 0, 0)).containsExactly(0, 0, 0, 0, 0, 0, 0xF0, 0x3F);
    assertThat(DefaultValues.decode(DataType.UINT64, DefaultValues.encode(DataType.UINT64, "18446744073709551615", 0, 0), 0))
        .isEqualTo("18446744073709551615");
    assertThat(DefaultValues.decode(DataType.INT32, DefaultValues.encode(DataType.INT32, "-2", 0, 0), 0)).isEqualTo("-2");
  }

  @Test
  void boolIsOneBitPackedByte() {
    assertThat(DefaultValues.encode(DataType.BOOL, "true", 0, 0)).containsExactly(0x80);
    assertThat(DefaultValues.encode(DataType.BOOL, "FALSE", 0, 0)).containsExactly(0x00);
    assertThat(DefaultValues.encode(DataType.BOOL, "1", 0, 0)).containsExactly(0x80);
    assertThat(DefaultValues.decode(DataType.BOOL, new byte[] {(byte) 0x80}, 0)).isEqualTo("true");
  }

  @Test
  void stringIsRawUtf8LimitedByStringLength() {
    assertThat(DefaultValues.encode(DataType.STRING, "héllo", 10, 0)).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    assertThat(DefaultValues.encode(DataType.STRING, "", 10, 0)).isEmpty();
    assertThatThrownBy(() -> DefaultValues.encode(DataType.STRING, "héllo", 5, 0))
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining("6 bytes, longer than string-length 5");
  }

  @Test
  void numericVectorsConcatenateAndAcceptNegativeInts() {
    assertThat(b64(DefaultValues.encode(DataType.FP32_VECTOR, "[0, 1]", 0, 2))).isEqualTo(b64(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0x80, 0x3F}));
    assertThat(DefaultValues.encode(DataType.INT8_VECTOR, "[-1,2,200]", 0, 3)).containsExactly(0xFF, 0x02, 0xC8);
    assertThat(DefaultValues.encode(DataType.INT16_VECTOR, "1,-1", 0, 2)).containsExactly(0x01, 0x00, 0xFF, 0xFF);
    assertThat(DefaultValues.decode(DataType.INT8_VECTOR, new byte[] {-1, 2}, 2)).isEqualTo("[-1,2]");
    assertThatThrownBy(() -> DefaultValues.encode(DataType.INT32_VECTOR, "[1,2]", 0, 3))
        .hasMessageContaining("has 2 elements, vector-length is 3");
    assertThatThrownBy(() -> DefaultValues.encode(DataType.UINT8_VECTOR, "[1,-2]", 0, 2))
        .hasMessageContaining("'-2' is out of range for DataTypeUint8");
  }

  @Test
  void boolVectorIsBitPackedMostSignificantFirst() {
    assertThat(DefaultValues.encode(DataType.BOOL_VECTOR, "[true,false,true,false,false,false,false,false,true]", 0, 9))
        .containsExactly(0xA0, 0x80);
    assertThat(DefaultValues.decode(DataType.BOOL_VECTOR, new byte[] {(byte) 0xA0, (byte) 0x80}, 9))
        .isEqualTo("[true,false,true,false,false,false,false,false,true]");
  }

  @Test
  void stringVectorHasTheTenByteQuirkPrefix() {
    byte[] bytes = DefaultValues.encode(DataType.STRING_VECTOR, "[ab,\"c\"]", 4, 2);
    assertThat(bytes).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 'a', 'b', 1, 'c');
    assertThat(DefaultValues.decode(DataType.STRING_VECTOR, bytes, 2)).isEqualTo("[ab,c]");
    assertThatThrownBy(() -> DefaultValues.checkEncoded(DataType.STRING_VECTOR, bytes, 1, 2))
        .hasMessageContaining("an element is 2 bytes, longer than string-length 1");
    assertThatThrownBy(() -> DefaultValues.checkEncoded(DataType.STRING_VECTOR, bytes, 0, 3))
        .hasMessageContaining("has 2 elements, vector-length is 3");
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    assertThatThrownBy(() -> DefaultValues.checkEncoded(DataType.STRING_VECTOR, truncated, 0, 2))
        .hasMessageContaining("only 0 remain");
  }

  @Test
  void badTextIsRejectedWithTheValueNamed() {
    assertThatThrownBy(() -> DefaultValues.encode(DataType.FP32, "abc", 0, 0))
        .isInstanceOf(OnfsException.class)
        .hasMessage("'abc' is not a valid DataTypeFP32 value")
        .extracting(e -> ((OnfsException) e).code()).isEqualTo(ErrorCode.INVALID_REGISTRY);
    assertThatThrownBy(() -> DefaultValues.encode(DataType.FP32, "1f", 0, 0)).hasMessageContaining("'1f'");
    assertThatThrownBy(() -> DefaultValues.encode(DataType.INT8, "128", 0, 0)).hasMessageContaining("out of range for DataTypeInt8");
    assertThatThrownBy(() -> DefaultValues.encode(DataType.BOOL, "yes", 0, 0)).hasMessageContaining("'yes' is not a bool");
    assertThat(DefaultValues.encode(DataType.FP64, "-inf", 0, 0)).isEqualTo(DefaultValues.encode(DataType.FP64, "-Infinity", 0, 0));
  }

  @Test
  void encodedLengthsAreChecked() {
    assertThatThrownBy(() -> DefaultValues.checkEncoded(DataType.FP32, new byte[3], 0, 0))
        .hasMessage("has 3 bytes, DataTypeFP32 needs 4");
    assertThatThrownBy(() -> DefaultValues.checkEncoded(DataType.FP16_VECTOR, new byte[15], 0, 8))
        .hasMessage("has 15 bytes, DataTypeFP16Vector of vector-length 8 needs 16");
    assertThatThrownBy(() -> DefaultValues.checkEncoded(DataType.BOOL_VECTOR, new byte[1], 0, 9))
        .hasMessageContaining("needs 2");
    DefaultValues.checkEncoded(DataType.FP16_VECTOR, Base64.getDecoder().decode("AAAAAAAAAAAAAAAAAAAAAA=="), 0, 8);
  }

  @Test
  void minifloatsConvertFromFloat32() {
    assertThat(b64(DefaultValues.encode(DataType.FP16_VECTOR, "[0,0,0,0,0,0,0,0]", 0, 8)))
        .isEqualTo("AAAAAAAAAAAAAAAAAAAAAA==");
    assertThat(DefaultValues.encode(DataType.FP16, "1", 0, 0)).containsExactly(0x00, 0x3C);
    assertThat(DefaultValues.encode(DataType.FP16, "-2.5", 0, 0)).containsExactly(0x00, 0xC1);
    assertThat(DefaultValues.encode(DataType.FP8E4M3, "1", 0, 0)).containsExactly(0x38);
    assertThat(DefaultValues.encode(DataType.FP8E5M2, "1", 0, 0)).containsExactly(0x3C);
    assertThat(DefaultValues.decode(DataType.FP16_VECTOR, DefaultValues.encode(DataType.FP16_VECTOR, "[1.5,-0.25]", 0, 2), 2))
        .isEqualTo("[1.5,-0.25]");
    assertThat(DefaultValues.decode(DataType.FP8E4M3, new byte[] {0x38}, 0)).isEqualTo("1.0");
  }
}
