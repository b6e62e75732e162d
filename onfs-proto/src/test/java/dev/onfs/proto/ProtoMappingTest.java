package dev.onfs.proto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.FeatureSchema;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.types.DataType;
import dev.onfs.core.serving.Values;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtoMappingTest {

  @Test
  void persistQueryRoundTripsThroughTheWireWithEveryValuesField() throws Exception {
    Values all = new Values(List.of(1.5), List.of(2.25), List.of(-3), List.of(1L << 40), List.of(-1),
        List.of(-1L), List.of("s"), List.of(true), List.of(Values.fp32(0.5, 0.25), Values.strings("a", "b")));
    PersistQuery query = new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("profile", List.of("age", "city"))),
        List.of(new PersistQuery.Data(List.of("42"), List.of(all))));

    byte[] wire = ProtoMapping.toProto(query).toByteArray();
    PersistQuery back = ProtoMapping.toCore(dev.onfs.proto.persist.Query.parseFrom(wire));

    assertThat(back).isEqualTo(query);
  }

  @Test
  void persistFieldNumbersMatchTheReference() throws Exception {
    // entity_label=1 "u", keys_schema=2 "k", data=4 { key_values=1 "1" }
    byte[] wire = {0x0a, 1, 'u', 0x12, 1, 'k', 0x22, 3, 0x0a, 1, '1'};
    dev.onfs.proto.persist.Query query = dev.onfs.proto.persist.Query.parseFrom(wire);
    assertThat(query.getEntityLabel()).isEqualTo("u");
    assertThat(query.getKeysSchemaList()).containsExactly("k");
    assertThat(query.getData(0).getKeyValuesList()).containsExactly("1");
    assertThat(dev.onfs.proto.persist.Result.newBuilder().setMessage("m").build().toByteArray())
        .containsExactly(0x12, 1, 'm');
  }

  @Test
  void retrieveQueryAndResultsRoundTrip() throws Exception {
    RetrieveQuery query = new RetrieveQuery("user",
        List.of(new RetrieveQuery.FeatureGroup("profile", List.of("age"))), List.of("user_id"),
        List.of(RetrieveQuery.Keys.of("1"), RetrieveQuery.Keys.of("2")));
    assertThat(ProtoMapping.toCore(dev.onfs.proto.retrieve.Query.parseFrom(ProtoMapping.toProto(query).toByteArray())))
        .isEqualTo(query);

    List<FeatureSchema> schemas = List.of(new FeatureSchema("profile", List.of(new FeatureSchema.Feature("age", 0))));
    RetrieveResult result = new RetrieveResult("user", List.of("user_id"), schemas,
        List.of(new RetrieveResult.Row(List.of("1"), List.of(new byte[] {1, 2, 3, 4})),
            new RetrieveResult.Row(List.of("2"), List.of(new byte[0]))));
    assertThat(ProtoMapping.toCore(dev.onfs.proto.retrieve.Result.parseFrom(ProtoMapping.toProto(result).toByteArray())))
        .isEqualTo(result);

    DecodedResult decoded = new DecodedResult(List.of("user_id"), schemas,
        List.of(new DecodedResult.DecodedRow(List.of("1"), List.of("16909060"))));
    assertThat(ProtoMapping.toCore(
        dev.onfs.proto.retrieve.DecodedResult.parseFrom(ProtoMapping.toProto(decoded).toByteArray())))
        .isEqualTo(decoded);
  }

  @Test
  void dataTypesAndDefaultColumnsRoundTrip() throws Exception {
    List<FeatureSchema> schemas = List.of(new FeatureSchema("profile",
        List.of(new FeatureSchema.Feature("age", 0, DataType.INT32), new FeatureSchema.Feature("city", 1, DataType.STRING))));
    java.util.BitSet second = new java.util.BitSet();
    second.set(1);
    RetrieveResult result = new RetrieveResult("user", List.of("user_id"), schemas,
        List.of(new RetrieveResult.Row(List.of("1"), List.of(new byte[] {1, 0, 0, 0}, new byte[] {'x'}), second)));
    RetrieveResult back =
        ProtoMapping.toCore(dev.onfs.proto.retrieve.Result.parseFrom(ProtoMapping.toProto(result).toByteArray()));
    assertThat(back).isEqualTo(result);
    assertThat(back.featureSchemas()).isEqualTo(schemas);
    assertThat(back.rows().get(0).isDefault(1)).isTrue();
    assertThat(back.rows().get(0).getInt(0)).isEqualTo(1);

    DecodedResult decoded = new DecodedResult(List.of("user_id"), schemas,
        List.of(new DecodedResult.DecodedRow(List.of("1"), List.of("1", "none"), second)));
    DecodedResult decodedBack = ProtoMapping.toCore(
        dev.onfs.proto.retrieve.DecodedResult.parseFrom(ProtoMapping.toProto(decoded).toByteArray()));
    assertThat(decodedBack).isEqualTo(decoded);
    assertThat(decodedBack.rows().get(0).isDefault(1)).isTrue();
    // A type id this version does not know reads as UNKNOWN rather than failing the response.
    assertThat(ProtoMapping.dataType(99)).isEqualTo(DataType.UNKNOWN);
  }

  @Test
  void retrieveResultFieldNumbersMatchTheReference() throws Exception {
    // rows=4 { keys=1 "1", columns=2 0x07 }
    byte[] wire = {0x22, 6, 0x0a, 1, '1', 0x12, 1, 7};
    dev.onfs.proto.retrieve.Result result = dev.onfs.proto.retrieve.Result.parseFrom(wire);
    assertThat(result.getRows(0).getKeys(0)).isEqualTo("1");
    assertThat(result.getRows(0).getColumns(0).toByteArray()).containsExactly(7);
  }
}
