package dev.onfs.ingest.kafka;

import static dev.onfs.proto.testing.PersistMessages.bools;
import static dev.onfs.proto.testing.PersistMessages.fp32;
import static dev.onfs.proto.testing.PersistMessages.int32;
import static dev.onfs.proto.testing.PersistMessages.query;
import static dev.onfs.proto.testing.PersistMessages.row;
import static dev.onfs.proto.testing.PersistMessages.strings;
import static dev.onfs.proto.testing.PersistMessages.uint32;
import static dev.onfs.proto.testing.PersistMessages.vectors;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.persist.Query;
import dev.onfs.proto.persist.Values;
import dev.onfs.proto.persist.Vector;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.storage.redis.RedisStoreFactory;
import dev.onfs.testing.KafkaBroker;
import dev.onfs.testing.RedisServer;
import dev.onfs.testing.RedisSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile records on the ingestion topic. One {@link FeatureConsumer} with a dead-letter topic runs
 * over a real broker and a real Redis for the whole class. Each case sends a valid probe record, the
 * hostile record and another valid probe, and expects: both probes stored, the hostile record (and
 * only it) in the dead-letter topic with a reason naming what is wrong, the consumer still running,
 * and the seeded rows and every other Redis key unchanged. See docs/testing.md.
 */
class HostileKafkaInputIT {
  /** The Redis database of this suite; no other test of the module uses it. */
  private static final int DATABASE = 12;
  private static final String TOPIC = "hostile-input";
  private static final String DEAD_LETTERS = TOPIC + ".dlq";
  private static final String GROUP = "hostile-input";
  /** Not timing assertions: how long to wait for something that must happen before calling it lost. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static final String REGISTRY_YAML = String.join("\n",
      "stores:",
      "  \"1\": {db-type: redis_failover, conf-id: 1, table: hostile_user, primary-keys: [user_id], table-ttl: 0}",
      "  \"2\": {db-type: redis_failover, conf-id: 1, table: hostile_listing, primary-keys: [shop_id, product_id],"
          + " table-ttl: 0}",
      "entities:",
      "  user:",
      "    keys: [user_id]",
      "    feature-groups:",
      "      fp32_stats: {id: 0, data-type: FP32, store-id: 1, features: [{label: ctr}, {label: aov}]}",
      "      fp16_stats: {id: 1, data-type: FP16, store-id: 1, features: [{label: f16_a}]}",
      "      fp8_stats: {id: 2, data-type: FP8E4M3, store-id: 1, features: [{label: f8_a}]}",
      "      int8_stats: {id: 3, data-type: Int8, store-id: 1, features: [{label: i8_a}]}",
      "      uint16_stats: {id: 4, data-type: Uint16, store-id: 1, features: [{label: u16_a}]}",
      "      profile: {id: 5, data-type: String, store-id: 1, features: [{label: city, string-length: 16}]}",
      "      embedding: {id: 6, data-type: FP32Vector, store-id: 1, features: [{label: emb, vector-length: 4}]}",
      "      flags: {id: 7, data-type: Bool, store-id: 1, features: [{label: is_premium}]}",
      "  listing:",
      "    keys: [shop_id, product_id]",
      "    feature-groups:",
      "      pricing: {id: 0, data-type: FP32, store-id: 2, features: [{label: price}]}",
      "");

  private static final List<String> USER_GROUPS =
      List.of("fp32_stats", "fp16_stats", "fp8_stats", "int8_stats", "uint16_stats", "profile", "embedding", "flags");
  private static final List<List<String>> USER_FEATURES = List.of(
      List.of("ctr", "aov"), List.of("f16_a"), List.of("f8_a"), List.of("i8_a"), List.of("u16_a"), List.of("city"),
      List.of("emb"), List.of("is_premium"));
  private static final List<String> SEEDED_USERS = List.of("1", "2");

  private static RedisServer redis;
  private static final AtomicInteger caseNumber = new AtomicInteger();
  private static FeatureRegistry registry;
  private static OnlineStore store;
  private static OnlineFeatureStore features;
  private static FeatureConsumer consumer;
  private static Thread consumerThread;
  private static KafkaProducer<byte[], byte[]> producer;
  private static KafkaConsumer<byte[], byte[]> deadLetterReader;
  /** Reads the ingestion group's committed offset (without joining the group). */
  private static KafkaConsumer<byte[], byte[]> offsetReader;
  private static final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
  private static RedisSnapshot seeded;
  private static DecodedResult seededRows;

  @BeforeAll
  static void start() {
    redis = RedisServer.shared();
    KafkaBroker kafka = KafkaBroker.shared();
    kafka.createTopic(TOPIC, 1); // one partition: records are processed in the order they are sent
    kafka.createTopic(DEAD_LETTERS, 1);
    RedisSnapshot.empty(DATABASE).restore(redis);
    registry = new InMemoryFeatureRegistry(RegistryFiles.parse("hostile-registry.yaml", REGISTRY_YAML));
    store = new RedisStoreFactory().create(Map.of(
        "mode", "standalone", "nodes", redis.host() + ":" + redis.port(), "database", Integer.toString(DATABASE)));
    features = OnlineFeatureStore.builder().registry(registry).store(store).build();
    for (String id : SEEDED_USERS) {
      int n = Integer.parseInt(id);
      features.persist(ProtoMapping.toCore(user(id, USER_GROUPS, USER_FEATURES,
          fp32(n + 0.25, n * 10), fp32(n + 0.5), fp32(n), int32(-n), uint32(60_000 + n), strings("city" + n),
          vectors(fp32(n, 0.5, -1, 2)), bools(n % 2 == 0))));
    }
    features.persist(ProtoMapping.toCore(query("listing", List.of("shop_id", "product_id"),
        List.of("pricing"), List.of(List.of("price")), row(List.of("s1", "p1"), fp32(9.5)))));
    seeded = RedisSnapshot.take(redis, DATABASE);
    seededRows = readSeeded();

    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    deadLetterReader = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    TopicPartition dlq = new TopicPartition(DEAD_LETTERS, 0);
    deadLetterReader.assign(List.of(dlq));
    deadLetterReader.seekToBeginning(List.of(dlq));
    Properties o = new Properties();
    o.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    o.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    offsetReader = new KafkaConsumer<>(o, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    startConsumer(kafka.bootstrapServers());
  }

  private static void startConsumer(String bootstrap) {
    ConsumerSettings settings = ConsumerSettings.builder()
        .bootstrapServers(bootstrap)
        .topic(TOPIC)
        .groupId(GROUP)
        .deadLetterTopic(DEAD_LETTERS)
        .pollTimeout(Duration.ofMillis(100))
        .backoff(new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), 2.0))
        .build();
    consumer = FeatureConsumer.create(settings, new RegistryCatalog(registry), new StoreSink(features),
        IngestStats.disabled());
    consumerThread = new Thread(consumer, "hostile-input-consumer");
    consumerThread.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (consumer != null) {
      consumer.close();
      consumerThread.join(30_000);
    }
    if (producer != null) {
      producer.close();
    }
    if (deadLetterReader != null) {
      deadLetterReader.close();
    }
    if (offsetReader != null) {
      offsetReader.close();
    }
    if (features != null) {
      features.close();
      store.close();
      registry.close();
    }
    if (redis != null) {
      RedisSnapshot.empty(DATABASE).restore(redis);
    }
  }

  /**
   * One hostile record.
   *
   * @param value the record's value; null sends a tombstone
   * @param reason a regular expression (case-insensitive) the dead letter's reason header must
   *     contain, or null when any reason will do
   */
  record Case(String name, byte @Nullable [] value, @Nullable String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void deadLetteredWhileValidRecordsAroundItAreStored(Case c) throws Exception {
    int n = caseNumber.incrementAndGet();
    String before = "probe-" + n + "-a";
    String after = "probe-" + n + "-b";
    long beforeOffset = send(probe(before, n).toByteArray());
    long hostileOffset = send(c.value());
    long afterOffset = send(probe(after, n).toByteArray());

    List<String> problems = new ArrayList<>();
    // Offsets are committed after a batch is stored and its dead letters acknowledged: once the
    // consumer committed past the second probe, everything this case caused is in Redis and Kafka.
    if (!waitUntil(() -> committedOffset() > afterOffset)) {
      problems.add("the consumer did not get past the record within " + PATIENCE.toSeconds() + " s");
    }
    if (!probeStored(before, n) || !probeStored(after, n)) {
      problems.add("the valid records around it were not both stored");
    }
    readDeadLettersToEnd();
    List<ConsumerRecord<byte[], byte[]>> letters = deadLettersOf(hostileOffset);
    System.out.println(c + " -> " + (letters.isEmpty() ? "not dead-lettered" : "dead-lettered: " + header(letters.get(0),
        FeatureConsumer.HEADER_REASON)));
    if (letters.size() != 1) {
      problems.add(letters.size() + " dead letters for it, expected 1");
    } else if (c.reason() != null) {
      String reason = header(letters.get(0), FeatureConsumer.HEADER_REASON);
      if (reason == null || !Pattern.compile(c.reason(), Pattern.CASE_INSENSITIVE).matcher(reason).find()) {
        problems.add("the dead letter's reason '" + reason + "' does not name /" + c.reason() + "/");
      }
    }
    if (!deadLettersOf(beforeOffset).isEmpty() || !deadLettersOf(afterOffset).isEmpty()) {
      problems.add("a valid record around it was dead-lettered too");
    }
    if (!consumerThread.isAlive()) {
      problems.add("the consumer stopped");
      startConsumer(KafkaBroker.shared().bootstrapServers()); // so that the next case is judged on its own
    }
    DecodedResult rows = readSeeded();
    if (!rows.equals(seededRows)) {
      problems.add("the seeded rows read back differently: " + rows.rows() + ", before " + seededRows.rows());
    }
    List<String> changed = RedisSnapshot.take(redis, DATABASE).without(HostileKafkaInputIT::isProbe)
        .differencesFrom(seeded);
    if (!changed.isEmpty()) {
      problems.add("Redis changed (" + String.join("; ", changed) + ")");
      seeded.restore(redis);
    }
    if (!problems.isEmpty()) {
      fail(c + ": " + String.join("; ", problems));
    }
  }

  static Stream<Case> cases() {
    List<Case> all = new ArrayList<>();
    // Bytes that are not a persist.Query.
    String notAQuery = "persist\\.Query|value";
    all.add(new Case("malformed: text", "not a protobuf at all".getBytes(UTF_8), notAQuery));
    all.add(new Case("malformed: length varint cut short", bytes(0x0A, 0x80), notAQuery));
    all.add(new Case("malformed: wire type 7", bytes(0x0F), notAQuery));
    all.add(new Case("malformed: invalid UTF-8 in entity_label", bytes(0x0A, 0x02, 0xC3, 0x28), notAQuery));
    all.add(new Case("malformed: length prefix of 2 GiB", bytes(0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 'x'), notAQuery));
    byte[] valid = fp32Write("1", 5, 5).toByteArray();
    all.add(new Case("malformed: valid query cut by one byte", Arrays.copyOf(valid, valid.length - 1), notAQuery));
    all.add(new Case("malformed: vectors nested 300 deep",
        user("1", List.of("embedding"), List.of(List.of("emb")), nestedVectors(300)).toByteArray(), notAQuery));
    all.add(new Case("malformed: empty value", new byte[0], "entity"));
    all.add(new Case("malformed: no value (tombstone)", null, "value"));

    // Names the registry does not have.
    all.add(new Case("unknown entity",
        query("nobody", List.of("user_id"), List.of("fp32_stats"), List.of(List.of("ctr", "aov")),
            row(List.of("1"), fp32(5, 5))).toByteArray(), "nobody"));
    all.add(new Case("unknown feature group",
        user("1", List.of("no_such_group"), List.of(List.of("ctr")), fp32(5)).toByteArray(), "no_such_group"));
    all.add(new Case("unknown feature",
        user("1", List.of("fp32_stats"), List.of(List.of("ctr", "no_such_feature")), fp32(5, 5)).toByteArray(),
        "no_such_feature"));

    // Bad keys.
    String keyFields = "keys_?schema|key_?values|key";
    for (String[] bad : new String[][] {
        {"key containing the separator", "1|2"}, {"empty key", ""}, {"key containing NUL", "1\u0000"},
        {"key containing a newline", "1\n"}, {"key containing a tab", "\t1"}, {"key containing DEL", "1\u007F"},
        {"key of 1,025 bytes", "k".repeat(1_025)}}) {
      all.add(new Case("bad key: " + bad[0], fp32Write(bad[1], 5, 5).toByteArray(), "user_id"));
    }
    all.add(new Case("bad key: two key values for one key",
        query("user", List.of("user_id"), List.of("fp32_stats"), List.of(List.of("ctr", "aov")),
            row(List.of("1", "2"), fp32(5, 5))).toByteArray(), keyFields));
    all.add(new Case("bad key: keys_schema naming an unknown column",
        query("user", List.of("userid"), List.of("fp32_stats"), List.of(List.of("ctr", "aov")),
            row(List.of("1"), fp32(5, 5))).toByteArray(), keyFields));
    all.add(new Case("bad key: composite key with the second column empty",
        listing(List.of("s1", ""), fp32(1)).toByteArray(), "product_id"));
    all.add(new Case("bad key: composite key with the separator in the first column",
        listing(List.of("s1|p1", "x"), fp32(1)).toByteArray(), "shop_id"));

    // Wrong value types and shapes.
    all.add(new Case("FP32 group given int32_values", user("1", List.of("fp32_stats"),
        List.of(List.of("ctr", "aov")), int32(5, 5)).toByteArray(), "fp32|int32"));
    all.add(new Case("FP32 group given fp32_values and int32_values", user("1", List.of("fp32_stats"),
        List.of(List.of("ctr", "aov")), fp32(5, 5).toBuilder().addInt32Values(1).build()).toByteArray(), "fp32|int32"));
    all.add(new Case("one value for two features", user("1", List.of("fp32_stats"),
        List.of(List.of("ctr", "aov")), fp32(5)).toByteArray(), "fp32_stats|values"));
    all.add(new Case("vector of 3 for vector-length 4", user("1", List.of("embedding"),
        List.of(List.of("emb")), vectors(fp32(1, 2, 3))).toByteArray(), "emb"));
    all.add(new Case("string of 17 bytes for string-length 16", user("1", List.of("profile"),
        List.of(List.of("city")), strings("x".repeat(17))).toByteArray(), "city"));
    all.add(new Case("bool group given string_values", user("1", List.of("flags"),
        List.of(List.of("is_premium")), strings("true")).toByteArray(), "bool|string|flags"));

    // Values outside the range of the group's type.
    all.add(new Case("INT8 300", user("1", List.of("int8_stats"), List.of(List.of("i8_a")), int32(300)).toByteArray(),
        "i8_a"));
    all.add(new Case("UINT16 70000", user("1", List.of("uint16_stats"), List.of(List.of("u16_a")), uint32(70_000))
        .toByteArray(), "u16_a"));
    all.add(new Case("FP32 1e40", fp32Write("1", 1e40, 5).toByteArray(), "ctr"));
    all.add(new Case("FP16 70000", user("1", List.of("fp16_stats"), List.of(List.of("f16_a")), fp32(70_000))
        .toByteArray(), "f16_a"));
    all.add(new Case("FP8E4M3 1000", user("1", List.of("fp8_stats"), List.of(List.of("f8_a")), fp32(1_000))
        .toByteArray(), "f8_a"));
    all.add(new Case("FP32 vector element 1e39", user("1", List.of("embedding"), List.of(List.of("emb")),
        vectors(fp32(1, 1e39, 3, 4))).toByteArray(), "emb"));

    // Duplicates.
    all.add(new Case("feature listed twice", user("1", List.of("fp32_stats"), List.of(List.of("ctr", "ctr")),
        fp32(5, 5)).toByteArray(), "ctr"));
    all.add(new Case("feature group listed twice", user("1", List.of("fp32_stats", "fp32_stats"),
        List.of(List.of("ctr", "aov"), List.of("ctr", "aov")), fp32(5, 5), fp32(6, 6)).toByteArray(), "fp32_stats"));
    return all.stream();
  }

  // ---------------------------------------------------------------------------------------------

  private static long send(byte @Nullable [] value) throws Exception {
    return producer.send(new ProducerRecord<>(TOPIC, 0, null, value)).get().offset();
  }

  /** A valid write of user {@code id}'s fp32 group, the value telling which case wrote it. */
  private static Query probe(String id, int n) {
    return fp32Write(id, n, 0.5);
  }

  private static boolean isProbe(String redisKey) {
    return redisKey.contains(":probe-");
  }

  private static boolean probeStored(String id, int n) {
    RetrieveQuery read = new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("fp32_stats", List.of("ctr"))),
        List.of("user_id"), List.of(RetrieveQuery.Keys.of(id)));
    return features.retrieveDecoded(read).rows().get(0).columns().equals(List.of(Integer.toString(n)));
  }

  private static DecodedResult readSeeded() {
    List<RetrieveQuery.FeatureGroup> groups = new ArrayList<>();
    for (int g = 0; g < USER_GROUPS.size(); g++) {
      groups.add(new RetrieveQuery.FeatureGroup(USER_GROUPS.get(g), USER_FEATURES.get(g)));
    }
    List<RetrieveQuery.Keys> keys = new ArrayList<>();
    for (String id : SEEDED_USERS) {
      keys.add(RetrieveQuery.Keys.of(id));
    }
    return features.retrieveDecoded(new RetrieveQuery("user", groups, List.of("user_id"), keys));
  }

  /** The ingestion group's committed offset on the topic, 0 before its first commit. */
  private static long committedOffset() {
    TopicPartition tp = new TopicPartition(TOPIC, 0);
    OffsetAndMetadata committed = offsetReader.committed(Set.of(tp)).get(tp);
    return committed == null ? 0 : committed.offset();
  }

  private static void readDeadLettersToEnd() {
    TopicPartition dlq = new TopicPartition(DEAD_LETTERS, 0);
    long end = deadLetterReader.endOffsets(List.of(dlq)).get(dlq);
    while (deadLetterReader.position(dlq) < end) {
      deadLetterReader.poll(Duration.ofMillis(100)).forEach(deadLetters::add);
    }
  }

  /** Dead letters read so far whose source offset is {@code offset}. */
  private static List<ConsumerRecord<byte[], byte[]>> deadLettersOf(long offset) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
      if (Long.toString(offset).equals(header(r, FeatureConsumer.HEADER_SOURCE_OFFSET))) {
        out.add(r);
      }
    }
    return out;
  }

  private static @Nullable String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), UTF_8);
  }

  private static boolean waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  // persist.Query builders

  private static Query fp32Write(String id, double ctr, double aov) {
    return user(id, List.of("fp32_stats"), List.of(List.of("ctr", "aov")), fp32(ctr, aov));
  }

  private static Query user(String id, List<String> groups, List<List<String>> groupFeatures, Values... values) {
    return query("user", List.of("user_id"), groups, groupFeatures, row(List.of(id), values));
  }

  private static Query listing(List<String> key, Values values) {
    return query("listing", List.of("shop_id", "product_id"), List.of("pricing"), List.of(List.of("price")),
        row(key, values));
  }

  /** Values holding a Vector holding Values ... {@code depth} messages deep: more than a parser accepts. */
  private static Values nestedVectors(int depth) {
    Values values = Values.getDefaultInstance();
    for (int i = 0; i < depth; i++) {
      values = vectors(values);
    }
    return values;
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
