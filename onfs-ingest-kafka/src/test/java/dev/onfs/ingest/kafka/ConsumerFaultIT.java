package dev.onfs.ingest.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.testing.KafkaBroker;
import dev.onfs.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Faults against real servers: a killed consumer process, Redis stopped mid-stream, the broker
 * restarted. Each time the stored state must end equal to the produced input: nothing lost.
 */
class ConsumerFaultIT {
  private static final Duration RECOVERY = Duration.ofSeconds(90);
  private static KafkaBroker kafka;
  private static RedisServer redis;

  private String topic;
  private String group;

  @BeforeAll
  static void startServers() {
    kafka = KafkaBroker.start();
    redis = RedisServer.start(RedisServer.Options.appendOnly(RedisServer.AppendFsync.ALWAYS));
  }

  @AfterAll
  static void stopServers() {
    if (kafka != null) {
      kafka.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void freshTopic(TestInfo info) {
    String name = info.getTestMethod().orElseThrow().getName();
    topic = "features-" + name;
    group = "group-" + name;
    kafka.createTopic(topic, 3);
    kafka.createTopic(topic + ".dlq", 1);
    redis.flushAll();
    store = new StoreHarness(redis.host(), redis.port());
  }

  static ConsumerSettings settings(String bootstrap, String topic, String group, String dlq) {
    return ConsumerSettings.builder()
        .bootstrapServers(bootstrap)
        .topic(topic)
        .groupId(group)
        .deadLetterTopic(dlq)
        .maxPollRecords(20)
        .pollTimeout(Duration.ofMillis(100))
        .backoff(new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), 2.0))
        // A killed member must leave the group quickly so its partitions move on.
        .sessionTimeout(Duration.ofSeconds(6))
        .kafkaProperty(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500")
        .build();
  }

  private Thread runInBackground(FeatureConsumer consumer) {
    Thread t = new Thread(consumer, "consumer-" + topic);
    t.start();
    return t;
  }

  private StoreHarness store;

  @org.junit.jupiter.api.AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private Map<String, List<String>> stored(int entities) {
    return store.read(entities);
  }

  /** A short description of how the stored state differs from {@code expected}, for failure messages. */
  private String diff(Map<String, List<String>> expected) {
    Map<String, List<String>> actual = stored(expected.size());
    long missing = expected.keySet().stream().filter(k -> !actual.containsKey(k)).count();
    String firstWrong = expected.entrySet().stream()
        .filter(e -> actual.containsKey(e.getKey()) && !actual.get(e.getKey()).equals(e.getValue()))
        .map(e -> e.getKey() + " expected " + e.getValue() + " got " + actual.get(e.getKey()))
        .findFirst().orElse("none");
    return "stored " + actual.size() + " keys, missing " + missing + ", first wrong: " + firstWrong;
  }

  @Test
  void killedConsumerProcessLosesNothingAfterRestart() throws Exception {
    IngestData data = new IngestData(3000, 3);
    List<Long> badOffsets = produceGarbage(3);
    data.push(kafka.bootstrapServers(), topic, store.catalog);

    Path log = Path.of("target", "consumer-child-" + ProcessHandle.current().pid() + ".log");
    Files.createDirectories(log.getParent());
    Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp", System.getProperty("java.class.path"),
            ConsumerMain.class.getName(),
            kafka.bootstrapServers(), topic, group, topic + ".dlq", redis.host(), Integer.toString(redis.port()), "30")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      IngestData.awaitUntil(RECOVERY, "the child consumer stored some rows",
          () -> RedisKeys.count(redis.host(), redis.port()) > 100);
      assertThat(RedisKeys.count(redis.host(), redis.port())).as("killed mid-stream").isLessThan(3000);
    } finally {
      child.destroyForcibly().waitFor();
    }

    try (FeatureConsumer restarted = FeatureConsumer.create(
        settings(kafka.bootstrapServers(), topic, group, topic + ".dlq"), store.catalog, store.sink, IngestStats.disabled())) {
      Thread t = runInBackground(restarted);
      awaitState(data.expected());
      restarted.close();
      t.join(30_000);
    }
    assertThat(stored(data.entities)).isEqualTo(data.expected());
    assertThat(deadLetterSourceOffsets()).containsExactlyInAnyOrderElementsOf(badOffsets);
  }

  @Test
  void redisStoppedMidStreamLosesNothing() throws Exception {
    IngestData data = new IngestData(3000, 3);
    data.push(kafka.bootstrapServers(), topic, store.catalog);
    AtomicInteger batches = new AtomicInteger();
    AtomicBoolean stopped = new AtomicBoolean();
    FeatureSink stopsRedisOnce = queries -> {
      // The third write: there are always more than three (about 180 records, 20 per poll), so the
      // stop lands mid-stream on every run.
      if (batches.incrementAndGet() == 3 && stopped.compareAndSet(false, true)) {
        redis.stop(); // the store goes away in the middle of the stream
      }
      store.sink.persist(queries);
    };
    AtomicInteger retries = new AtomicInteger();
    IngestStats stats = new IngestStats() {
      @Override
      public void retried() {
        retries.incrementAndGet();
      }
    };
    try (FeatureConsumer consumer = FeatureConsumer.create(
        settings(kafka.bootstrapServers(), topic, group, topic + ".dlq"), store.catalog, stopsRedisOnce, stats)) {
      Thread t = runInBackground(consumer);
      IngestData.awaitUntil(RECOVERY, "the consumer backed off at least 3 times", () -> retries.get() >= 3);
      assertThat(t.isAlive()).as("the consumer keeps running while the store is down").isTrue();
      redis.restart();
      awaitState(data.expected());
      consumer.close();
      t.join(30_000);
    }
    assertThat(stored(data.entities)).isEqualTo(data.expected());
  }

  @Test
  void brokerRestartLosesNothing() throws Exception {
    IngestData data = new IngestData(3000, 3);
    data.push(kafka.bootstrapServers(), topic, store.catalog);
    FeatureSink slow = queries -> {
      store.sink.persist(queries);
      ConsumerMain.pause(20);
    };
    try (FeatureConsumer consumer = FeatureConsumer.create(
        settings(kafka.bootstrapServers(), topic, group, topic + ".dlq"), store.catalog, slow, IngestStats.disabled())) {
      Thread t = runInBackground(consumer);
      IngestData.awaitUntil(RECOVERY, "some rows stored", () -> RedisKeys.count(redis.host(), redis.port()) > 100);
      kafka.restart();
      // More input after the restart, updating every entity once more.
      IngestData more = new IngestData(3000, 4);
      pushVersion(more, 3);
      awaitState(more.expected());
      consumer.close();
      t.join(30_000);
      assertThat(stored(more.entities)).isEqualTo(more.expected());
    }
  }

  @Test
  void aRowWithAKeyTheStoreCannotKeepApartGoesToTheDeadLetterTopic() throws Exception {
    // "u1|x" would share a Redis key with a two-key entity's ("u1","x"); the core refuses it.
    PersistQuery bad = clicks("u1|x", 7);
    PersistQuery good = clicks("u2", 8);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    long badOffset;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      badOffset = producer.send(new ProducerRecord<>(topic, 0, null, PersistQueryCodec.encode(bad))).get().offset();
      producer.send(new ProducerRecord<>(topic, 0, null, PersistQueryCodec.encode(good))).get();
    }
    try (FeatureConsumer consumer = FeatureConsumer.create(
        settings(kafka.bootstrapServers(), topic, group, topic + ".dlq"), store.catalog, store.sink, IngestStats.disabled())) {
      Thread t = runInBackground(consumer);
      IngestData.awaitUntil(RECOVERY, "the valid row is stored",
          () -> stored(3).getOrDefault("u2", List.of()).equals(List.of("8", "false")));
      consumer.close();
      t.join(30_000);
    }
    List<ConsumerRecord<byte[], byte[]>> dead = deadLetters(1);
    assertThat(dead).hasSize(1);
    ConsumerRecord<byte[], byte[]> record = dead.get(0);
    assertThat(record.value()).isEqualTo(PersistQueryCodec.encode(bad));
    assertThat(new String(record.headers().lastHeader(FeatureConsumer.HEADER_ERROR_CODE).value(), UTF_8))
        .isEqualTo("INVALID_ARGUMENT");
    assertThat(new String(record.headers().lastHeader(FeatureConsumer.HEADER_REASON).value(), UTF_8))
        .isEqualTo("data[0].keyValues: key column 'user_id' contains the separator '|' (at index 2)");
    assertThat(new String(record.headers().lastHeader(FeatureConsumer.HEADER_SOURCE_OFFSET).value(), UTF_8))
        .isEqualTo(Long.toString(badOffset));
    assertThat(RedisKeys.count(redis.host(), redis.port())).as("only the valid row is stored").isEqualTo(1);
  }

  private static PersistQuery clicks(String userId, long clicks) {
    return new PersistQuery("user", List.of("user_id"), List.of(new PersistQuery.FeatureGroupSchema("counts", List.of("clicks"))),
        List.of(new PersistQuery.Data(List.of(userId), List.of(Values.int64(clicks)))));
  }

  private List<ConsumerRecord<byte[], byte[]>> deadLetters(int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-records-" + topic);
    List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic + ".dlq"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      // Anything more that arrives shortly after is a failure too.
      c.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }

  private void awaitState(Map<String, List<String>> expected) {
    try {
      IngestData.awaitUntil(RECOVERY, "stored state equals the input", () -> stored(expected.size()).equals(expected));
    } catch (AssertionError e) {
      StringBuilder stacks = new StringBuilder();
      Thread.getAllStackTraces().forEach((t, frames) -> {
        if (t.getName().startsWith("consumer-")) {
          stacks.append("\n").append(t.getName()).append(" ").append(t.getState());
          for (StackTraceElement f : frames) {
            stacks.append("\n  at ").append(f);
          }
        }
      });
      throw new AssertionError(e.getMessage() + ": " + diff(expected) + stacks, e);
    }
  }

  private void pushVersion(IngestData data, int version) {
    try (FeaturePusher pusher = FeaturePusher.builder()
        .bootstrapServers(kafka.bootstrapServers()).topic(topic).catalog(store.catalog).build()) {
      for (int id = 0; id < data.entities; id++) {
        pusher.push(IngestData.row(id, version));
      }
    }
  }

  private List<Long> produceGarbage(int count) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    List<Long> offsets = new java.util.ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        offsets.add(producer.send(new ProducerRecord<>(topic, 0, null, ("garbage " + i).getBytes(UTF_8))).get().offset());
      }
    }
    return offsets;
  }

  private Set<Long> deadLetterSourceOffsets() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + topic);
    Set<Long> offsets = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic + ".dlq"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (offsets.size() < 3 && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          assertThat(new String(r.headers().lastHeader(FeatureConsumer.HEADER_SOURCE_TOPIC).value(), UTF_8)).isEqualTo(topic);
          assertThat(new String(r.headers().lastHeader(FeatureConsumer.HEADER_REASON).value(), UTF_8))
              .contains("not a persist.Query");
          offsets.add(Long.parseLong(new String(r.headers().lastHeader(FeatureConsumer.HEADER_SOURCE_OFFSET).value(), UTF_8)));
        }
      }
    }
    return offsets;
  }

}
