package dev.onfs.core.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DataTypeTest {
  @Test
  void idsMatchTheReference() {
    assertThat(DataType.FP8E5M2.id()).isEqualTo(1);
    assertThat(DataType.STRING.id()).isEqualTo(14);
    assertThat(DataType.BOOL.id()).isEqualTo(15);
    assertThat(DataType.FP8E5M2_VECTOR.id()).isEqualTo(16);
    assertThat(DataType.BOOL_VECTOR.id()).isEqualTo(30);
    for (DataType type : DataType.values()) {
      assertThat(DataType.fromId(type.id())).isSameAs(type);
    }
  }

  @Test
  void registryNamesMatchTheReference() {
    assertThat(DataType.FP32.registryName()).isEqualTo("DataTypeFP32");
    assertThat(DataType.FP16_VECTOR.registryName()).isEqualTo("DataTypeFP16Vector");
    assertThat(DataType.UINT64.registryName()).isEqualTo("DataTypeUint64");
    assertThat(DataType.INT8_VECTOR.registryName()).isEqualTo("DataTypeInt8Vector");
    assertThat(DataType.FP8E4M3.registryName()).isEqualTo("DataTypeFP8E4M3");
    assertThat(DataType.STRING_VECTOR.registryName()).isEqualTo("DataTypeStringVector");
    assertThat(DataType.BOOL.registryName()).isEqualTo("DataTypeBool");
    for (DataType type : DataType.values()) {
      if (type != DataType.UNKNOWN) {
        assertThat(DataType.fromName(type.registryName())).isSameAs(type);
      }
    }
    assertThat(DataType.fromName("fp16_vector")).isSameAs(DataType.FP16_VECTOR);
    assertThat(DataType.fromName("Int32")).isSameAs(DataType.INT32);
  }

  @Test
  void scalarAndVectorForms() {
    assertThat(DataType.FP16_VECTOR.scalar()).isSameAs(DataType.FP16);
    assertThat(DataType.BOOL.vectorOf()).isSameAs(DataType.BOOL_VECTOR);
    assertThat(DataType.UINT16_VECTOR.width()).isEqualTo(2);
    assertThat(DataType.STRING.isFixedWidth()).isFalse();
  }

  @Test
  void rejectsUnknown() {
    assertThatThrownBy(() -> DataType.fromId(31)).hasMessageContaining("31");
    assertThatThrownBy(() -> DataType.fromName("DataTypeFP12")).hasMessageContaining("DataTypeFP12");
  }
}
