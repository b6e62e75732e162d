package dev.onfs.examples.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.FeatureRows;
import dev.onfs.ingest.kafka.PersistQueryCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureRowSerializationSchemaTest {
  private static final String REGISTRY = String.join("\n",
      "stores:",
      "  \"1\": {db-type: redis_failover, conf-id: 1, table: t, primary-keys: [user_id], table-ttl: 0}",
      "entities:",
      "  user:",
      "    keys: [user_id]",
      "    feature-groups:",
      "      emb: {id: 0, data-type: FP16Vector, store-id: 1, features: [{label: v, default: \"[0,0]\", vector-length: 2}]}",
      "      stats: {id: 1, data-type: FP32, store-id: 1, features: [{label: ctr, default: 0.0}]}",
      "");

  @TempDir Path dir;

  private static final KafkaRecordSerializationSchema.KafkaSinkContext FOUR_PARTITIONS =
      new KafkaRecordSerializationSchema.KafkaSinkContext() {
        @Override
        public int getParallelInstanceId() {
          return 0;
        }

        @Override
        public int getNumberOfParallelInstances() {
          return 1;
        }

        @Override
        public int[] getPartitionsForTopic(String topic) {
          return new int[] {0, 1, 2, 3};
        }
      };

  @Test
  void serializesRegistryCheckedRowsKeyedByEntity() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, REGISTRY);
    FeatureRowSerializationSchema schema = roundTrip(
        new FeatureRowSerializationSchema("features", CatalogSource.registryFile(registry.toString())));
    schema.open(null, FOUR_PARTITIONS);

    Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
    groups.put("emb", Map.of("v", List.of(0.5f, 1.0f)));
    groups.put("stats", Map.of("ctr", 0.25f));
    FeatureRow row = new FeatureRow("user", List.of("42"), groups);
    ProducerRecord<byte[], byte[]> record = schema.serialize(row, FOUR_PARTITIONS, 1234L);

    assertThat(record.topic()).isEqualTo("features");
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("42");
    assertThat(record.partition()).isEqualTo(FeatureRows.partition(record.key(), 4));
    assertThat(record.timestamp()).isEqualTo(1234L);
    PersistQuery q = PersistQueryCodec.decode(record.value());
    assertThat(q.entityLabel()).isEqualTo("user");
    assertThat(q.keysSchema()).containsExactly("user_id");
    assertThat(q.data().get(0).featureValues().get(0).vectors().get(0).fp32Values()).containsExactly(0.5, 1.0);
    assertThat(q.data().get(0).featureValues().get(1).fp32Values()).containsExactly(0.25);

    FeatureRow bad = new FeatureRow("user", List.of("42"), Map.of("stats", Map.of("ctr", "high")));
    assertThatThrownBy(() -> schema.serialize(bad, FOUR_PARTITIONS, null))
        .isInstanceOf(OnfsException.class)
        .hasMessageContaining("stats.ctr");
  }

  /** Flink ships the schema to task managers by Java serialization. */
  private static FeatureRowSerializationSchema roundTrip(FeatureRowSerializationSchema schema) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(schema);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (FeatureRowSerializationSchema) in.readObject();
    }
  }
}
