package dev.onfs.server.cli.consume;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.ingest.kafka.FeaturePusher;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.server.StoreFactories;
import dev.onfs.testing.KafkaBroker;
import dev.onfs.testing.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code onfs consume} end to end: Kafka -> registry check -> core persist path -> Redis adapter. */
class ConsumeCommandIT {
  static final String REGISTRY = String.join("\n",
      "stores:",
      "  \"1\": {db-type: redis_failover, conf-id: 1, table: user_features, primary-keys: [user_id], table-ttl: 0}",
      "entities:",
      "  user:",
      "    keys: [user_id]",
      "    feature-groups:",
      "      stats:",
      "        id: 0",
      "        data-type: FP32",
      "        store-id: 1",
      "        features: [{label: ctr, default: 0.0}, {label: score, default: 0.0}]",
      "      counts:",
      "        id: 1",
      "        data-type: Int64",
      "        store-id: 1",
      "        features: [{label: clicks, default: 0}]",
      "");

  @TempDir Path dir;

  @Test
  void consumesIntoRedisThroughThePersistPath() throws Exception {
    int users = 500;
    KafkaBroker kafka = KafkaBroker.shared();
    String topic = "consume-it";
    kafka.createTopic(topic, 3);
    kafka.createTopic(topic + ".dlq", 1);
    Path registryFile = dir.resolve("registry.yaml");
    Files.writeString(registryFile, REGISTRY);
    Path config = dir.resolve("consume.yaml");
    try (RedisServer redis = RedisServer.start()) {
      Files.writeString(config, String.join("\n",
          "bootstrap-servers: " + kafka.bootstrapServers(),
          "topic: " + topic,
          "group-id: consume-it",
          "dlq-topic: " + topic + ".dlq",
          "concurrency: 2",
          "store: redis",
          "store-settings:",
          "  mode: standalone",
          "  nodes: " + redis.host() + ":" + redis.port(),
          "registry: file",
          "registry-file: " + registryFile,
          "metrics-log-interval-s: 0",
          "http-port: 0",
          "session-timeout-ms: 6000",
          "kafka:",
          "  fetch.max.wait.ms: 100",
          ""));
      ConsumeCommand command = new ConsumeCommand(DefaultBackends.INSTANCE, Map.of());
      AtomicInteger exit = new AtomicInteger(-1);
      Thread runner = new Thread(() -> exit.set(new CommandLine(command).execute("--config", config.toString())));
      runner.start();

      FeatureRegistry registry = new InMemoryFeatureRegistry(RegistryFiles.load(registryFile));
      try (FeaturePusher pusher = FeaturePusher.builder()
          .bootstrapServers(kafka.bootstrapServers()).topic(topic).catalog(new RegistryCatalog(registry)).build()) {
        for (int i = 0; i < users; i++) {
          Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
          groups.put("stats", Map.of("ctr", i / 4.0, "score", 1.5));
          groups.put("counts", Map.of("clicks", (long) i * 10));
          pusher.push(new FeatureRow("user", List.of(Integer.toString(i)), groups));
        }
      }
      sendGarbage(kafka.bootstrapServers(), topic);

      try (OnlineStore store = StoreFactories.create("redis", Map.of("mode", "standalone", "nodes", redis.host() + ":" + redis.port()));
          OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build()) {
        List<RetrieveQuery.Keys> keys = new ArrayList<>();
        for (int i = 0; i < users; i++) {
          keys.add(RetrieveQuery.Keys.of(Integer.toString(i)));
        }
        RetrieveQuery query = new RetrieveQuery("user",
            List.of(new RetrieveQuery.FeatureGroup("stats", List.of("ctr", "score")),
                new RetrieveQuery.FeatureGroup("counts", List.of("clicks"))),
            List.of("user_id"), keys);
        awaitUntil("every row is readable", () -> {
          DecodedResult result = features.retrieveDecoded(query);
          for (int i = 0; i < users; i++) {
            List<String> cols = result.rows().get(i).columns();
            if (!cols.get(2).equals(Long.toString(i * 10L)) || !cols.get(1).equals("1.5")) {
              return false;
            }
          }
          return true;
        });
        DecodedResult result = features.retrieveDecoded(query);
        assertThat(result.rows().get(3).columns()).containsExactly("0.75", "1.5", "30");
      }
      MeterRegistry meters = command.meters();
      awaitUntil("the bad record is dead-lettered", () -> meters.find("onfs.ingest.records.dead_lettered")
          .tag("reason", "invalid_argument").counters().stream().mapToDouble(c -> c.count()).sum() >= 1);
      assertThat(meters.counter("onfs.ingest.rows.stored").count()).isGreaterThanOrEqualTo(users);
      assertThat(meters.find("onfs.ingest.delay").timer().count()).isPositive();
      assertThat(meters.find("onfs.ingest.freshness").tags("entity", "user", "feature_group", "counts").gauge())
          .isNotNull();

      command.stop();
      runner.join(30_000);
      assertThat(exit.get()).isZero();
    }
  }

  private static void sendGarbage(String bootstrap, String topic) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, "user".getBytes(UTF_8), "not a query".getBytes(UTF_8))).get();
    }
  }

  private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }
}
