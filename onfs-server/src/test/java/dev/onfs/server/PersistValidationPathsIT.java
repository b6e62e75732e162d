package dev.onfs.server;

import static dev.onfs.proto.testing.PersistMessages.fp32;
import static dev.onfs.proto.testing.PersistMessages.int32;
import static dev.onfs.proto.testing.PersistMessages.query;
import static dev.onfs.proto.testing.PersistMessages.row;
import static dev.onfs.proto.testing.PersistMessages.strings;
import static dev.onfs.proto.testing.PersistMessages.uint32;
import static dev.onfs.proto.testing.PersistMessages.vectors;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.grpc.GrpcStatuses;
import dev.onfs.grpc.PersistGrpcService;
import dev.onfs.ingest.kafka.Backoff;
import dev.onfs.ingest.kafka.ConsumerSettings;
import dev.onfs.ingest.kafka.FeatureConsumer;
import dev.onfs.ingest.kafka.IngestStats;
import dev.onfs.ingest.kafka.PersistQueryCodec;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.persist.Data;
import dev.onfs.proto.persist.FeatureServiceGrpc;
import dev.onfs.proto.persist.Query;
import dev.onfs.proto.persist.Values;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.testing.KafkaBroker;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * One persist validation: the same bad queries sent to the embedded store, to the gRPC persist service
 * and to the Kafka consumer are refused with the same error code (over gRPC, its status) and the same
 * message, and the consumer refuses them before they reach the store.
 */
class PersistValidationPathsIT {
  private static final String REGISTRY_YAML = String.join("\n",
      "stores:",
      "  \"1\": {db-type: redis_failover, conf-id: 1, table: user_t, primary-keys: [user_id], table-ttl: 0}",
      "  \"2\": {db-type: redis_failover, conf-id: 1, table: listing_t, primary-keys: [shop_id, product_id],"
          + " table-ttl: 0}",
      "entities:",
      "  user:",
      "    keys: [user_id]",
      "    feature-groups:",
      "      fp32_stats: {id: 0, data-type: FP32, store-id: 1, features: [{label: ctr}, {label: aov}]}",
      "      fp16_stats: {id: 1, data-type: FP16, store-id: 1, features: [{label: f16_a}]}",
      "      int8_stats: {id: 2, data-type: Int8, store-id: 1, features: [{label: i8_a}]}",
      "      uint16_stats: {id: 3, data-type: Uint16, store-id: 1, features: [{label: u16_a}]}",
      "      profile: {id: 4, data-type: String, store-id: 1, features: [{label: city, string-length: 16}]}",
      "      embedding: {id: 5, data-type: FP32Vector, store-id: 1, features: [{label: emb, vector-length: 4}]}",
      "  listing:",
      "    keys: [shop_id, product_id]",
      "    feature-groups:",
      "      pricing: {id: 0, data-type: FP32, store-id: 2, features: [{label: price}]}",
      "");

  /** A bad query and what every path must answer. */
  record Case(String name, Query query, ErrorCode code, String message) {}

  private static List<Case> cases() {
    List<Case> all = new ArrayList<>();
    // Names the registry does not have.
    all.add(new Case("unknown entity", query("nobody", List.of("user_id"), List.of("fp32_stats"),
        List.of(List.of("ctr", "aov")), row(List.of("1"), fp32(5, 5))),
        ErrorCode.UNKNOWN_ENTITY, "entity 'nobody' (entityLabel) is not in the registry"));
    all.add(new Case("unknown feature group", user("1", List.of("no_such_group"), List.of(List.of("ctr")), fp32(5)),
        ErrorCode.UNKNOWN_FEATURE_GROUP, "feature group 'no_such_group' (featureGroupSchema[0]) is not in entity 'user'"));
    all.add(new Case("unknown feature",
        user("1", List.of("fp32_stats"), List.of(List.of("ctr", "no_such_feature")), fp32(5, 5)),
        ErrorCode.UNKNOWN_FEATURE, "feature 'no_such_feature' (featureGroupSchema[0].featureLabels[1]) is not in active"
            + " version 1 of feature group 'fp32_stats' in entity 'user'"));
    // Keys.
    all.add(new Case("keys_schema naming an unknown column", query("user", List.of("userid"), List.of("fp32_stats"),
        List.of(List.of("ctr", "aov")), row(List.of("1"), fp32(5, 5))),
        ErrorCode.INVALID_ARGUMENT, "keysSchema [userid] must name each key of entity 'user' exactly once: [user_id]"));
    all.add(new Case("keys_schema missing a key column", query("listing", List.of("shop_id"), List.of("pricing"),
        List.of(List.of("price")), row(List.of("s1"), fp32(1))),
        ErrorCode.INVALID_ARGUMENT,
        "keysSchema [shop_id] must name each key of entity 'listing' exactly once: [shop_id, product_id]"));
    all.add(new Case("two key values for one key", query("user", List.of("user_id"), List.of("fp32_stats"),
        List.of(List.of("ctr", "aov")), row(List.of("1", "2"), fp32(5, 5))),
        ErrorCode.INVALID_ARGUMENT, "data[0] has 2 key values but keysSchema [user_id] names 1"));
    all.add(new Case("key holding the separator", fp32Write("1|2"),
        ErrorCode.INVALID_ARGUMENT, "data[0].keyValues: key column 'user_id' contains the separator '|' (at index 1)"));
    all.add(new Case("composite key with the second column empty", query("listing", List.of("shop_id", "product_id"),
        List.of("pricing"), List.of(List.of("price")), row(List.of("s1", ""), fp32(1))),
        ErrorCode.INVALID_ARGUMENT, "data[0].keyValues: key column 'product_id' is empty"));
    all.add(new Case("key of 1,025 bytes", fp32Write("k".repeat(1_025)), ErrorCode.INVALID_ARGUMENT,
        "data[0].keyValues: key column 'user_id' is longer than 1024 bytes (1025 characters; option max-key-bytes)"));
    // Shapes and types of values.
    all.add(new Case("two feature values for one group", query("user", List.of("user_id"), List.of("fp32_stats"),
        List.of(List.of("ctr", "aov")), row(List.of("1"), fp32(5, 5), fp32(6, 6))),
        ErrorCode.INVALID_ARGUMENT, "data[0] has 2 feature values but featureGroupSchema lists 1 feature groups"));
    all.add(new Case("FP32 group given int32_values",
        user("1", List.of("fp32_stats"), List.of(List.of("ctr", "aov")), int32(5, 5)),
        ErrorCode.SCHEMA_MISMATCH, "data[0].featureValues[0]: int32_values is set, but feature group 'fp32_stats'"
            + " (DataTypeFP32) takes fp32_values only"));
    all.add(new Case("one value for two features",
        user("1", List.of("fp32_stats"), List.of(List.of("ctr", "aov")), fp32(5)),
        ErrorCode.SCHEMA_MISMATCH, "data[0].featureValues[0]: fp32_values has 1 values but feature group 'fp32_stats'"
            + " (DataTypeFP32) lists 2 features"));
    all.add(new Case("vector of 3 for vector-length 4",
        user("1", List.of("embedding"), List.of(List.of("emb")), vectors(fp32(1, 2, 3))),
        ErrorCode.SCHEMA_MISMATCH,
        "data[0].featureValues[0], feature 'emb': vector has 3 fp32_values but its vector-length is 4"));
    all.add(new Case("INT8 300", user("1", List.of("int8_stats"), List.of(List.of("i8_a")), int32(300)),
        ErrorCode.SCHEMA_MISMATCH,
        "data[0].featureValues[0], feature 'i8_a': 300 is outside the range of DataTypeInt8 [-128, 127]"));
    all.add(new Case("UINT16 70000", user("1", List.of("uint16_stats"), List.of(List.of("u16_a")), uint32(70_000)),
        ErrorCode.SCHEMA_MISMATCH,
        "data[0].featureValues[0], feature 'u16_a': 70000 is outside the range of DataTypeUint16 [0, 65535]"));
    all.add(new Case("FP16 70000", user("1", List.of("fp16_stats"), List.of(List.of("f16_a")), fp32(70_000)),
        ErrorCode.SCHEMA_MISMATCH, "data[0].featureValues[0], feature 'f16_a': 70000.0 is outside the range of"
            + " DataTypeFP16 (largest finite magnitude 65504)"));
    all.add(new Case("FP32 vector element 1e39",
        user("1", List.of("embedding"), List.of(List.of("emb")), vectors(fp32(1, 1e39, 3, 4))),
        ErrorCode.SCHEMA_MISMATCH, "data[0].featureValues[0], feature 'emb' element 1: 1.0E39 is outside the range of"
            + " DataTypeFP32 (largest finite magnitude 3.4028235E38)"));
    all.add(new Case("string of 17 bytes for string-length 16 in the second row",
        query("user", List.of("user_id"), List.of("profile"), List.of(List.of("city")),
            row(List.of("1"), strings("x".repeat(16))), row(List.of("2"), strings("\u00e9".repeat(8) + "x"))),
        ErrorCode.SCHEMA_MISMATCH, "data[1].featureValues[0], feature 'city': string of 17 bytes exceeds its"
            + " string-length 16"));
    // Duplicates and empty lists.
    all.add(new Case("feature listed twice", user("1", List.of("fp32_stats"), List.of(List.of("ctr", "ctr")), fp32(5, 5)),
        ErrorCode.INVALID_ARGUMENT, "feature 'ctr' appears twice in featureGroupSchema[0] ('fp32_stats')"));
    all.add(new Case("feature group listed twice", user("1", List.of("fp32_stats", "fp32_stats"),
        List.of(List.of("ctr", "aov"), List.of("ctr", "aov")), fp32(5, 5), fp32(6, 6)),
        ErrorCode.INVALID_ARGUMENT, "feature group 'fp32_stats' appears twice in featureGroupSchema"));
    all.add(new Case("feature group naming no features", user("1", List.of("fp32_stats"), List.of(List.of()), fp32()),
        ErrorCode.INVALID_ARGUMENT,
        "featureGroupSchema[0].featureLabels is empty: feature group 'fp32_stats' names no features"));
    // Limits.
    Data[] rows = new Data[10_001];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = row(List.of(Integer.toString(i)), fp32(1, 2));
    }
    all.add(new Case("10,001 rows", query("user", List.of("user_id"), List.of("fp32_stats"),
        List.of(List.of("ctr", "aov")), rows), ErrorCode.REQUEST_TOO_LARGE,
        "keys per request: 10001 > limit 10000 (option max-keys-per-request)"));
    return all;
  }

  @Test
  void everyPathRefusesABadQueryWithTheSameCodeAndMessage() throws Exception {
    List<Case> cases = cases();
    FeatureRegistry registry = new InMemoryFeatureRegistry(RegistryFiles.parse("registry.yaml", REGISTRY_YAML));
    OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(InMemoryStore.create()).build();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new PersistGrpcService(features)).build().start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      FeatureServiceGrpc.FeatureServiceBlockingStub grpc = FeatureServiceGrpc.newBlockingStub(channel);
      for (Case c : cases) {
        assertThatThrownBy(() -> features.persist(ProtoMapping.toCore(c.query())))
            .as("embedded: %s", c.name())
            .isInstanceOfSatisfying(OnfsException.class, e -> {
              assertThat(e.code()).as("embedded code: %s", c.name()).isEqualTo(c.code());
              assertThat(e.getMessage()).as("embedded message: %s", c.name()).isEqualTo(c.message());
            });
        assertThatThrownBy(() -> grpc.persistFeatures(c.query()))
            .as("gRPC: %s", c.name())
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).as("gRPC status: %s", c.name())
                  .isEqualTo(GrpcStatuses.codeOf(c.code()).getCode());
              assertThat(e.getStatus().getDescription()).as("gRPC message: %s", c.name()).isEqualTo(c.message());
            });
      }
      Map<Long, ConsumerRecord<byte[], byte[]>> deadLetters = consume(cases, registry, features);
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        ConsumerRecord<byte[], byte[]> letter = deadLetters.get((long) i);
        if (letter == null) {
          problems.add(c.name() + ": not dead-lettered");
          continue;
        }
        String code = header(letter, FeatureConsumer.HEADER_ERROR_CODE);
        String reason = header(letter, FeatureConsumer.HEADER_REASON);
        if (!c.code().name().equals(code) || !c.message().equals(reason)) {
          problems.add(c.name() + ": dead-lettered as " + code + " '" + reason + "'");
        }
      }
      assertThat(problems).isEmpty();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      features.close();
      registry.close();
    }
  }

  /**
   * Sends the cases' queries in order to a one-partition topic, runs a consumer over it until each is
   * dead-lettered, and returns the dead letters by source offset. The consumer's sink fails the test
   * when called: every query must be refused by its validation, before any store write.
   */
  private static Map<Long, ConsumerRecord<byte[], byte[]>> consume(
      List<Case> cases, FeatureRegistry registry, OnlineFeatureStore features) throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String topic = "validation-" + System.nanoTime();
    String deadLetterTopic = topic + "-dlq";
    kafka.createTopic(topic, 1);
    kafka.createTopic(deadLetterTopic, 1);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Case c : cases) {
        producer.send(new ProducerRecord<>(topic, 0, null, PersistQueryCodec.encode(ProtoMapping.toCore(c.query())))).get();
      }
    }
    AtomicInteger writes = new AtomicInteger();
    ConsumerSettings settings = ConsumerSettings.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .topic(topic)
        .groupId(topic)
        .deadLetterTopic(deadLetterTopic)
        .autoOffsetReset("earliest")
        .pollTimeout(Duration.ofMillis(100))
        .backoff(new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), 2.0))
        .build();
    Map<Long, ConsumerRecord<byte[], byte[]>> byOffset = new HashMap<>();
    try (FeatureConsumer consumer = FeatureConsumer.create(settings, new RegistryCatalog(registry), queries -> {
      writes.incrementAndGet();
      queries.forEach(features::persist);
    }, IngestStats.disabled())) {
      Thread thread = new Thread(consumer, "validation-consumer");
      thread.start();
      Properties c = new Properties();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (KafkaConsumer<byte[], byte[]> reader =
          new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        TopicPartition dlq = new TopicPartition(deadLetterTopic, 0);
        reader.assign(List.of(dlq));
        reader.seekToBeginning(List.of(dlq));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (byOffset.size() < cases.size() && System.nanoTime() - deadline < 0) {
          for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
            byOffset.put(Long.parseLong(header(r, FeatureConsumer.HEADER_SOURCE_OFFSET)), r);
          }
        }
      }
      consumer.close();
      thread.join(10_000);
    }
    assertThat(writes.get()).as("store writes by the consumer").isZero();
    return byOffset;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? "(no " + name + " header)" : new String(h.value(), UTF_8);
  }

  // persist.Query builders

  private static Query fp32Write(String id) {
    return user(id, List.of("fp32_stats"), List.of(List.of("ctr", "aov")), fp32(5, 5));
  }

  private static Query user(String id, List<String> groups, List<List<String>> groupFeatures, Values... values) {
    return query("user", List.of("user_id"), groups, groupFeatures, row(List.of(id), values));
  }

}
