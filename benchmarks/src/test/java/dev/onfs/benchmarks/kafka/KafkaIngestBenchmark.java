package dev.onfs.benchmarks.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.ingest.kafka.ConsumerSettings;
import dev.onfs.ingest.kafka.FeatureConsumer;
import dev.onfs.ingest.kafka.FeaturePusher;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.FeatureSink;
import dev.onfs.ingest.kafka.IngestStats;
import dev.onfs.ingest.kafka.PersistQueryCodec;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.ingest.kafka.SchemaCatalog;
import dev.onfs.ingest.kafka.StoreSink;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.storage.redis.RedisStoreFactory;
import dev.onfs.testing.KafkaBroker;
import dev.onfs.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Feature rows per second from Kafka into Redis for one consumer, against the raw consume rate of
 * the same records (same broker, same run) as the baseline.
 *
 * <p>Run: {@code java -cp <test classpath> dev.onfs.benchmarks.kafka.KafkaIngestBenchmark [rows]}.
 */
public final class KafkaIngestBenchmark {
  static final int FEATURES = 8;
  static final String REGISTRY_YAML = String.join("\n",
      "stores:",
      "  \"1\": {db-type: redis_failover, conf-id: 1, table: t, primary-keys: [user_id], table-ttl: 0}",
      "entities:",
      "  user:",
      "    keys: [user_id]",
      "    feature-groups:",
      "      fg:",
      "        id: 0",
      "        data-type: FP32",
      "        store-id: 1",
      "        features: [" + String.join(", ", featureLabels().stream().map(f -> "{label: " + f + ", default: 0.0}").toList()) + "]",
      "");
  static final SchemaCatalog CATALOG =
      new RegistryCatalog(new InMemoryFeatureRegistry(RegistryFiles.parse("bench.yaml", REGISTRY_YAML)));

  /** Results of one run: rows/s of the raw consume baseline and of the two ingest paths. */
  record Result(long rows, double rawRowsPerSecond, double hashRowsPerSecond, double persistRowsPerSecond) {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    try (KafkaBroker kafka = KafkaBroker.start(); RedisServer redis = RedisServer.start()) {
      run(kafka, redis, 50_000); // warm-up
      redis.flushAll();
      Result r = run(kafka, redis, rows);
      System.out.printf(
          "rows=%d raw-consume=%.0f rows/s, hash-sink=%.0f rows/s (%.2f), persist-path=%.0f rows/s (%.2f)%n",
          r.rows(), r.rawRowsPerSecond(), r.hashRowsPerSecond(), r.hashRowsPerSecond() / r.rawRowsPerSecond(),
          r.persistRowsPerSecond(), r.persistRowsPerSecond() / r.rawRowsPerSecond());
    }
  }

  static Result run(KafkaBroker kafka, RedisServer redis, int rows) throws Exception {
    String topic = "bench-" + System.nanoTime();
    kafka.createTopic(topic, 1);
    long records;
    try (FeaturePusher pusher = FeaturePusher.builder()
        .bootstrapServers(kafka.bootstrapServers()).topic(topic).catalog(CATALOG).maxRowsPerQuery(100).build()) {
      for (int i = 0; i < rows; i++) {
        pusher.push(row(i));
      }
      pusher.flush();
      records = pusher.recordsSent();
    }

    // Baseline: the same records, consumed and deserialized to bytes only.
    long start = System.nanoTime();
    long seen = 0;
    try (KafkaConsumer<byte[], byte[]> raw = new KafkaConsumer<>(
        rawProperties(kafka.bootstrapServers(), "raw-" + topic), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      raw.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (seen < records && System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> polled = raw.poll(Duration.ofMillis(200));
        seen += polled.count();
      }
    }
    double rawSeconds = (System.nanoTime() - start) / 1e9;
    assertThat(seen).isEqualTo(records);

    double hash;
    try (RedisHashSink sink = new RedisHashSink(redis.host(), redis.port())) {
      hash = ingest(kafka, topic, "hash-" + topic, sink, CATALOG, records, rows);
    }
    try (Jedis j = new Jedis(redis.host(), redis.port())) {
      assertThat(j.dbSize()).isEqualTo(rows);
      j.flushAll();
    }
    double persist;
    FeatureRegistry registry = new InMemoryFeatureRegistry(RegistryFiles.parse("bench.yaml", REGISTRY_YAML));
    try (OnlineStore store = new RedisStoreFactory().create(Map.of("mode", "standalone", "nodes", redis.host() + ":" + redis.port()));
        OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build()) {
      persist = ingest(kafka, topic, "persist-" + topic, new StoreSink(features), new RegistryCatalog(registry), records, rows);
    }
    try (Jedis j = new Jedis(redis.host(), redis.port())) {
      assertThat(j.dbSize()).isEqualTo(rows);
    }
    return new Result(rows, rows / rawSeconds, hash, persist);
  }

  /** One consumer from the start of the topic until every record is stored; rows/s. */
  static double ingest(KafkaBroker kafka, String topic, String group, FeatureSink sink, SchemaCatalog catalog,
      long records, int rows) throws Exception {
    AtomicLong storedRecords = new AtomicLong();
    AtomicLong storedRows = new AtomicLong();
    IngestStats stats = new IngestStats() {
      @Override
      public void recordsStored(int count, int r) {
        storedRecords.addAndGet(count);
        storedRows.addAndGet(r);
      }
    };
    ConsumerSettings settings = ConsumerSettings.builder()
        .bootstrapServers(kafka.bootstrapServers()).topic(topic).groupId(group).build();
    long start = System.nanoTime();
    try (FeatureConsumer consumer = FeatureConsumer.create(settings, catalog, sink, stats)) {
      Thread t = new Thread(consumer, "bench-consumer");
      t.start();
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (storedRecords.get() < records && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      consumer.close();
      t.join(30_000);
      assertThat(storedRows.get()).isEqualTo(rows);
      return rows / seconds;
    }
  }

  static FeatureRow row(int i) {
    Map<String, Object> features = new LinkedHashMap<>();
    for (int f = 0; f < FEATURES; f++) {
      features.put("f" + f, (double) (i % 1000) / (f + 1));
    }
    return new FeatureRow("user", List.of("u" + i), Map.of("fg", features));
  }

  private static List<String> featureLabels() {
    List<String> labels = new ArrayList<>();
    for (int f = 0; f < FEATURES; f++) {
      labels.add("f" + f);
    }
    return labels;
  }

  private static Properties rawProperties(String bootstrap, String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    return p;
  }

  /**
   * One Redis hash per entity key and one field per feature group, written with one pipeline per
   * batch: the shape of the store's Redis layout, without the block encoding.
   */
  static final class RedisHashSink implements FeatureSink, AutoCloseable {
    private final Jedis jedis;

    RedisHashSink(String host, int port) {
      this.jedis = new Jedis(host, port, 5000);
    }

    @Override
    public void persist(List<PersistQuery> queries) {
      try {
        Pipeline p = jedis.pipelined();
        for (PersistQuery q : queries) {
          byte[][] groups = new byte[q.featureGroupSchema().size()][];
          for (int g = 0; g < groups.length; g++) {
            groups[g] = q.featureGroupSchema().get(g).label().getBytes(UTF_8);
          }
          for (PersistQuery.Data row : q.data()) {
            byte[] key = (q.entityLabel() + ":" + String.join("|", row.keyValues())).getBytes(UTF_8);
            for (int g = 0; g < groups.length; g++) {
              p.hset(key, groups[g], values(row, g));
            }
          }
        }
        p.sync();
      } catch (JedisException e) {
        throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, "redis failed: " + e, e);
      }
    }

    private static byte[] values(PersistQuery.Data row, int g) {
      List<Double> v = row.featureValues().get(g).fp32Values();
      // 4 bytes per FP32 feature, as the block stores them.
      byte[] out = new byte[v.size() * 4];
      for (int i = 0; i < v.size(); i++) {
        int bits = Float.floatToRawIntBits(v.get(i).floatValue());
        out[4 * i] = (byte) bits;
        out[4 * i + 1] = (byte) (bits >>> 8);
        out[4 * i + 2] = (byte) (bits >>> 16);
        out[4 * i + 3] = (byte) (bits >>> 24);
      }
      return out;
    }

    @Override
    public void close() {
      jedis.close();
    }
  }

  /** Runs the benchmark body once, small, so the build keeps it working. */
  @Test
  void runsOnce() throws Exception {
    // A private Redis: the run counts keys, and other benchmarks in this JVM write to the shared one.
    Result r;
    try (RedisServer redis = RedisServer.start()) {
      r = run(KafkaBroker.shared(), redis, 5_000);
    }
    assertThat(r.hashRowsPerSecond()).isPositive();
    assertThat(r.persistRowsPerSecond()).isPositive();
    assertThat(r.rawRowsPerSecond()).isPositive();
    assertThat(PersistQueryCodec.decode(PersistQueryCodec.encode(new PersistQuery("user", List.of("user_id"), List.of(), List.of()))).entityLabel())
        .isEqualTo("user");
  }
}
