package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersistQueryCodecTest {

  @Test
  void encodesTheReferenceWireBytes() {
    PersistQuery q = new PersistQuery(
        "e",
        List.of("k"),
        List.of(new PersistQuery.FeatureGroupSchema("g", List.of("f"))),
        List.of(new PersistQuery.Data(List.of("1"), List.of(ValueLists.of(ValueField.INT32, List.of(5))))));
    // Hand-assembled from the proto field numbers: entity(1) keys(2) fg schema(3) data(4);
    // Data: key_values(1), feature_values(2) -> FeatureValues.values(1) -> Values.int32_values(3) packed.
    String expected = "0a0165" + "12016b" + "1a06" + "0a0167" + "120166"
        + "220a" + "0a0131" + "1205" + "0a03" + "1a0105";
    assertThat(HexFormat.of().formatHex(PersistQueryCodec.encode(q))).isEqualTo(expected);
    assertThat(PersistQueryCodec.decode(HexFormat.of().parseHex(expected))).isEqualTo(q);
  }

  @Test
  void roundTripsEveryValueField() {
    Values all = new Values(
        List.of(1.5, -2.0),
        List.of(Double.MAX_VALUE),
        List.of(-1, Integer.MIN_VALUE),
        List.of(Long.MIN_VALUE, 7L),
        List.of(-1, 3), // uint32 0xFFFFFFFF
        List.of(-1L), // uint64 max
        List.of("", "héllo"),
        List.of(true, false),
        List.of(ValueLists.of(ValueField.FP32, List.of(0.25, 0.5)), Values.empty()));
    PersistQuery q = new PersistQuery(
        "user",
        List.of("a", "b"),
        List.of(new PersistQuery.FeatureGroupSchema("g1", List.of("x", "y")), new PersistQuery.FeatureGroupSchema("g2", List.of())),
        List.of(new PersistQuery.Data(List.of("1", "2"), List.of(all, Values.empty()))));
    assertThat(PersistQueryCodec.decode(PersistQueryCodec.encode(q))).isEqualTo(q);
  }

  @Test
  void readsUnpackedRepeatedScalars() {
    // Values with int64_values written unpacked: tag (4<<3|0)=0x20, twice.
    byte[] values = HexFormat.of().parseHex("2001" + "2002");
    byte[] featureValues = concat(new byte[] {0x0a, (byte) values.length}, values);
    byte[] data = concat(new byte[] {0x12, (byte) featureValues.length}, featureValues);
    byte[] query = concat(new byte[] {0x22, (byte) data.length}, data);
    PersistQuery q = PersistQueryCodec.decode(query);
    assertThat(q.data().get(0).featureValues().get(0).int64Values()).containsExactly(1L, 2L);
  }

  @Test
  void skipsUnknownFields() {
    byte[] query = HexFormat.of().parseHex("0a0165" + "f80101"); // field 31 varint 1
    assertThat(PersistQueryCodec.decode(query).entityLabel()).isEqualTo("e");
  }

  @Test
  void rejectsGarbageWithInvalidArgument() {
    assertThatThrownBy(() -> PersistQueryCodec.decode(new byte[] {0x0a, 0x05, 0x61}))
        .isInstanceOf(OnfsException.class)
        .satisfies(e -> assertThat(((OnfsException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("not a persist.Query");
    assertThatThrownBy(() -> PersistQueryCodec.decode("{\"entity\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOf(OnfsException.class);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
