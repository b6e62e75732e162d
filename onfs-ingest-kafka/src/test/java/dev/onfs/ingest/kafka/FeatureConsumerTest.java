package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Pure loop logic against Kafka's MockConsumer; the real-broker behaviour is in the ITs. */
class FeatureConsumerTest {

  @Test
  void onlyTimeoutsLeaveTheWriteOutcomeUnknown() {
    assertThat(FeatureConsumer.outcomeUnknown(new dev.onfs.core.OnfsException(dev.onfs.core.ErrorCode.STORE_TIMEOUT, "t")))
        .isTrue();
    assertThat(FeatureConsumer.outcomeUnknown(new IllegalStateException("wrapped",
        new dev.onfs.core.OnfsException(dev.onfs.core.ErrorCode.STORE_TIMEOUT, "t")))).isTrue();
    assertThat(FeatureConsumer.outcomeUnknown(
        new dev.onfs.core.OnfsException(dev.onfs.core.ErrorCode.STORE_UNAVAILABLE, "refused"))).isFalse();
  }
  private static final String TOPIC = "features";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  private final MockConsumer<byte[], byte[]> kafka = new MockConsumer<>("earliest");
  private final MockProducer<byte[], byte[]> dlq =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final MemorySink sink = new MemorySink();
  private final ConsumerSettings settings = ConsumerSettings.builder()
      .bootstrapServers("unused:1")
      .topic(TOPIC)
      .deadLetterTopic("features.dlq")
      .pollTimeout(Duration.ofMillis(1))
      .backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(4), 2.0))
      .build();
  private final FeatureConsumer consumer =
      new FeatureConsumer(settings, kafka, dlq, TestSchemas.CATALOG, sink, IngestStats.disabled());

  private void start(TopicPartition... partitions) {
    consumer.subscribe();
    kafka.rebalance(List.of(partitions));
    Map<TopicPartition, Long> zero = new java.util.HashMap<>();
    for (TopicPartition tp : partitions) {
      zero.put(tp, 0L);
    }
    kafka.updateBeginningOffsets(zero);
  }

  private void add(TopicPartition tp, long offset, byte[] value) {
    kafka.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, "k".getBytes(UTF_8), value));
  }

  private long committed(TopicPartition tp) {
    OffsetAndMetadata o = kafka.committed(Set.of(tp)).get(tp);
    return o == null ? -1 : o.offset();
  }

  private void stepUntil(BooleanSupplier done) {
    for (int i = 0; i < 10_000 && !done.getAsBoolean(); i++) {
      consumer.pollOnce();
    }
    assertThat(done.getAsBoolean()).as("condition reached within the step bound").isTrue();
  }

  @Test
  void storesValidRecordsThenCommitsAndDeadLettersInvalidOnes() {
    start(P0);
    add(P0, 0, PersistQueryCodec.encode(TestSchemas.profiles(1)));
    add(P0, 1, "not a proto".getBytes(UTF_8));
    PersistQuery unknownGroup = new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("missing", List.of("x"))),
        List.of(new PersistQuery.Data(List.of("u9"), List.of(ValueLists.of(ValueField.INT64, List.of(1L))))));
    add(P0, 2, PersistQueryCodec.encode(unknownGroup));
    add(P0, 3, PersistQueryCodec.encode(TestSchemas.profiles(2, 3)));

    consumer.pollOnce();

    assertThat(sink.get("user", "u1", "profile").fp32Values()).containsExactly(1.0, 0.5);
    assertThat(sink.get("user", "u3", "profile").fp32Values()).containsExactly(3.0, 1.5);
    assertThat(sink.writes.get()).as("one poll batch, one store write").isEqualTo(1);
    assertThat(committed(P0)).isEqualTo(4);
    assertThat(dlq.history()).hasSize(2);
    ProducerRecord<byte[], byte[]> dead = dlq.history().get(1);
    assertThat(dead.topic()).isEqualTo("features.dlq");
    assertThat(dead.value()).isEqualTo(PersistQueryCodec.encode(unknownGroup));
    assertThat(header(dead, FeatureConsumer.HEADER_REASON))
        .isEqualTo("feature group 'missing' (featureGroupSchema[0]) is not in entity 'user'");
    assertThat(header(dead, FeatureConsumer.HEADER_ERROR_CODE)).isEqualTo("UNKNOWN_FEATURE_GROUP");
    assertThat(header(dead, FeatureConsumer.HEADER_SOURCE_TOPIC)).isEqualTo(TOPIC);
    assertThat(header(dead, FeatureConsumer.HEADER_SOURCE_PARTITION)).isEqualTo("0");
    assertThat(header(dead, FeatureConsumer.HEADER_SOURCE_OFFSET)).isEqualTo("2");
    assertThat(header(dlq.history().get(0), FeatureConsumer.HEADER_REASON)).contains("not a persist.Query");
  }

  @Test
  void reportsDeadLettersByReasonTheNewestEventPerGroupAndReleasedPartitions() {
    Map<dev.onfs.core.ErrorCode, Integer> deadByReason = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, Long> newest = new java.util.concurrent.ConcurrentHashMap<>();
    List<TopicPartition> released = new java.util.concurrent.CopyOnWriteArrayList<>();
    IngestStats stats = new IngestStats() {
      @Override
      public void recordsDeadLettered(dev.onfs.core.ErrorCode reason, int count) {
        deadByReason.merge(reason, count, Integer::sum);
      }

      @Override
      public void groupStored(String entity, String featureGroup, long newestEventMillis) {
        newest.merge(entity + "/" + featureGroup, newestEventMillis, Math::max);
      }

      @Override
      public void released(TopicPartition partition) {
        released.add(partition);
      }
    };
    FeatureConsumer counted = new FeatureConsumer(settings, kafka, dlq, TestSchemas.CATALOG, sink, stats);
    counted.subscribe();
    kafka.rebalance(List.of(P0, P1));
    kafka.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    addAt(P0, 0, 5_000L, PersistQueryCodec.encode(TestSchemas.profiles(1)));
    addAt(P0, 1, 9_000L, PersistQueryCodec.encode(TestSchemas.profiles(2)));
    addAt(P1, 0, 7_000L, PersistQueryCodec.encode(TestSchemas.profiles(3)));
    addAt(P1, 1, 99_000L, "not a proto".getBytes(UTF_8));
    addAt(P1, 2, 98_000L, "nor this".getBytes(UTF_8));

    counted.pollOnce();

    assertThat(deadByReason).containsExactly(Map.entry(dev.onfs.core.ErrorCode.INVALID_ARGUMENT, 2));
    // The dead letters' newer timestamps do not count: nothing of theirs was stored.
    assertThat(newest).containsExactly(Map.entry("user/profile", 9_000L));
    kafka.rebalance(List.of(P1));
    assertThat(released).containsExactly(P0);
    assertThat(counted.health().up()).as("not running its loop: %s", counted.health()).isFalse();
  }

  private void addAt(TopicPartition tp, long offset, long timestamp, byte[] value) {
    kafka.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, timestamp,
        org.apache.kafka.common.record.TimestampType.CREATE_TIME, 1, value.length, "k".getBytes(UTF_8), value,
        new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty()));
  }

  @Test
  void storeWritesStayWithinTheBatchRowsSoTheStoresKeyLimitHolds() {
    java.util.List<Integer> chunkRows = new java.util.ArrayList<>();
    FeatureSink counting = queries -> {
      chunkRows.add(queries.stream().mapToInt(q -> q.data().size()).sum());
      sink.persist(queries);
    };
    ConsumerSettings fiveRows = ConsumerSettings.builder().bootstrapServers("unused:1").topic(TOPIC)
        .deadLetterTopic("features.dlq").pollTimeout(Duration.ofMillis(1)).writeBatchRows(5).build();
    FeatureConsumer small = new FeatureConsumer(fiveRows, kafka, dlq, TestSchemas.CATALOG, counting, IngestStats.disabled());
    small.subscribe();
    kafka.rebalance(List.of(P0));
    kafka.updateBeginningOffsets(Map.of(P0, 0L));
    for (int i = 0; i < 5; i++) {
      add(P0, i, PersistQueryCodec.encode(TestSchemas.profiles(2 * i, 2 * i + 1)));
    }
    small.pollOnce();
    // Two-row records in writes of at most five rows: 4 + 4 + 2 (was 6 + 4, over the limit).
    assertThat(chunkRows).containsExactly(4, 4, 2);
    assertThat(committed(P0)).isEqualTo(5);
  }

  @Test
  void pausesAndRetriesWhileTheStoreIsDownWithoutCommittingOrDropping() {
    start(P0, P1);
    sink.available.set(false);
    add(P0, 0, PersistQueryCodec.encode(TestSchemas.profiles(1)));
    add(P1, 0, PersistQueryCodec.encode(TestSchemas.profiles(2)));

    stepUntil(() -> sink.failures.get() >= 3);
    assertThat(consumer.isBackingOff()).isTrue();
    assertThat(kafka.paused()).containsExactlyInAnyOrder(P0, P1);
    assertThat(committed(P0)).isEqualTo(-1);
    // New records wait in Kafka while paused.
    add(P0, 1, PersistQueryCodec.encode(TestSchemas.profiles(3)));
    consumer.pollOnce();
    assertThat(sink.stored).isEmpty();

    sink.available.set(true);
    stepUntil(() -> committed(P0) == 2 && committed(P1) == 1);
    assertThat(kafka.paused()).isEmpty();
    assertThat(sink.stored).containsOnlyKeys("user:u1:profile", "user:u2:profile", "user:u3:profile");
    assertThat(dlq.history()).isEmpty();
  }

  @Test
  void rebalanceDropsUncommittedWorkOfRevokedPartitions() {
    start(P0, P1);
    sink.available.set(false);
    add(P0, 0, PersistQueryCodec.encode(TestSchemas.profiles(1)));
    add(P1, 0, PersistQueryCodec.encode(TestSchemas.profiles(2)));
    stepUntil(consumer::isBackingOff);

    kafka.rebalance(List.of(P1)); // P0 goes to another member

    sink.available.set(true);
    stepUntil(() -> committed(P1) == 1);
    assertThat(sink.stored).containsOnlyKeys("user:u2:profile");
    assertThat(committed(P0)).as("the new owner re-reads P0 from its last commit").isEqualTo(-1);
  }

  private static String header(ProducerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), UTF_8);
  }
}
