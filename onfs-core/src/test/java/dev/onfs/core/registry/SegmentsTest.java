package dev.onfs.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.testing.WorkedExample;
import dev.onfs.core.types.DataType;
import org.junit.jupiter.api.Test;

class SegmentsTest {
  @Test
  void featureBytesFollowTheReference() {
    assertThat(Segments.featureBytes(DataType.FP32, 0, 0)).isEqualTo(4);
    assertThat(Segments.featureBytes(DataType.BOOL, 0, 0)).isEqualTo(1);
    assertThat(Segments.featureBytes(DataType.STRING, 20, 0)).isEqualTo(20);
    assertThat(Segments.featureBytes(DataType.FP16_VECTOR, 0, 8)).isEqualTo(16);
    assertThat(Segments.featureBytes(DataType.BOOL_VECTOR, 0, 8)).isEqualTo(8);
    assertThat(Segments.featureBytes(DataType.STRING_VECTOR, 10, 3)).isEqualTo(30);
  }

  @Test
  void workedExampleBlocks() {
    // user_stats: 2 x FP32 + 9 header = 17; user_embedding: 8 x FP16 + 9 = 25 (the reference's numbers).
    assertThat(Segments.LAYOUT_1_HEADER_BYTES
        + Segments.blockBytes(DataType.FP32, WorkedExample.userStats().activeFeatures())).isEqualTo(17);
    assertThat(Segments.LAYOUT_1_HEADER_BYTES
        + Segments.blockBytes(DataType.FP16_VECTOR, WorkedExample.userEmbedding().activeFeatures())).isEqualTo(25);
  }

  @Test
  void labelsAndNumbers() {
    assertThat(Segments.label(12)).isEqualTo("seg_12");
    assertThat(Segments.number("seg_12")).isEqualTo(12);
    assertThat(Segments.number("seg_")).isEqualTo(-1);
    assertThat(Segments.number("seg_x")).isEqualTo(-1);
    assertThat(Segments.number("col_1")).isEqualTo(-1);
  }
}
