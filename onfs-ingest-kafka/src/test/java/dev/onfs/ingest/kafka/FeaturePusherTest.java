package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class FeaturePusherTest {
  private static final String TOPIC = "features";
  private static final int PARTITIONS = 4;

  private final MockProducer<byte[], byte[]> producer = new MockProducer<>(
      cluster(), true, null, new ByteArraySerializer(), new ByteArraySerializer());

  private static Cluster cluster() {
    Node node = new Node(0, "localhost", 9092);
    List<PartitionInfo> parts = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      parts.add(new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node}));
    }
    return new Cluster("c", List.of(node), parts, java.util.Set.of(), java.util.Set.of());
  }

  private FeaturePusher pusher(int maxRows) {
    return FeaturePusher.builder().producer(producer).topic(TOPIC).catalog(TestSchemas.CATALOG).maxRowsPerQuery(maxRows).build();
  }

  private static FeatureRow row(String user, int clicks, boolean active) {
    Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
    groups.put("counts", Map.of("clicks", (long) clicks));
    groups.put("flags", Map.of("active", active));
    return new FeatureRow("user", List.of(user), groups);
  }

  @Test
  void batchesRowsPerPartitionAndKeysByEntity() {
    try (FeaturePusher pusher = pusher(100)) {
      for (int i = 0; i < 200; i++) {
        pusher.push(row("u" + i, i, i % 2 == 0));
      }
      pusher.flush();
      assertThat(pusher.rowsPushed()).isEqualTo(200);
    }
    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertThat(sent.size()).isLessThan(200).isGreaterThanOrEqualTo(PARTITIONS);
    int rows = 0;
    for (ProducerRecord<byte[], byte[]> r : sent) {
      PersistQuery q = PersistQueryCodec.decode(r.value());
      TestSchemas.CATALOG.validate(q);
      assertThat(q.keysSchema()).containsExactly("user_id");
      for (PersistQuery.Data d : q.data()) {
        byte[] key = d.keyValues().get(0).getBytes(UTF_8);
        assertThat(FeatureRows.partition(key, PARTITIONS)).as("row in its entity's partition").isEqualTo(r.partition());
        int i = Integer.parseInt(d.keyValues().get(0).substring(1));
        assertThat(d.featureValues().get(0).int64Values()).containsExactly((long) i);
        assertThat(d.featureValues().get(1).boolValues()).containsExactly(i % 2 == 0);
      }
      rows += q.data().size();
    }
    assertThat(rows).isEqualTo(200);
  }

  @Test
  void keepsPerEntityOrderAcrossShapes() {
    try (FeaturePusher pusher = pusher(100)) {
      pusher.push(row("u1", 1, true));
      pusher.push(new FeatureRow("user", List.of("u1"), Map.of("counts", Map.of("clicks", 2L))));
      pusher.push(row("u1", 3, false));
    }
    List<Long> clicks = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> r : producer.history()) {
      for (PersistQuery.Data d : PersistQueryCodec.decode(r.value()).data()) {
        clicks.add(d.featureValues().get(0).int64Values().get(0));
      }
    }
    assertThat(clicks).containsExactly(1L, 2L, 3L);
  }

  @Test
  void checksRowsAgainstTheRegistryBeforeSending() {
    try (FeaturePusher pusher = pusher(10)) {
      assertThatThrownBy(() -> pusher.push(new FeatureRow("user", List.of("u1"), Map.of("small", Map.of("level", 300)))))
          .isInstanceOf(OnfsException.class)
          .hasMessageContaining("small.level")
          .hasMessageContaining("[0, 255]");
      assertThatThrownBy(() -> pusher.push(new FeatureRow("user", List.of("u1"), Map.of("counts", Map.of("clicks", "x")))))
          .isInstanceOf(OnfsException.class)
          .hasMessageContaining("needs an integer");
      assertThatThrownBy(() -> pusher.push(new FeatureRow("user", List.of("u1"), Map.of("profile", Map.of("age", 1.0)))))
          .isInstanceOf(OnfsException.class)
          .matches(e -> ((OnfsException) e).code() == ErrorCode.SCHEMA_MISMATCH)
          .hasMessageContaining("missing features [score]");
      assertThatThrownBy(() -> pusher.push(new FeatureRow("item", List.of("i1"), Map.of("counts", Map.of("clicks", 1L)))))
          .hasMessageContaining("entity 'item' is not registered");
      pusher.push(new FeatureRow("user", List.of("u1"), Map.of("embedding", Map.of("v", new float[] {1f, 2f}))));
    }
    assertThat(producer.history()).hasSize(1);
    Values v = PersistQueryCodec.decode(producer.history().get(0).value()).data().get(0).featureValues().get(0);
    assertThat(v.vectors().get(0).fp32Values()).containsExactly(1.0, 2.0);
  }
}
