package dev.onfs.ingest.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.storage.redis.RedisStoreFactory;
import dev.onfs.testing.KafkaBroker;
import dev.onfs.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Eight producers each write one feature of the same 50 entities, through Kafka, two consumers and the
 * store's persist path into Redis: every entity must end with every producer's last value. Each producer
 * keys its records by its feature, so its records stay in order on one partition while the two consumers
 * persist different producers' records of the same entities at the same time.
 */
class PartialPersistKafkaIT {
  private static final int PRODUCERS = 8;
  private static final int ENTITIES = 50;
  private static final int VERSIONS = 200;
  private static final String REGISTRY_YAML = String.join("\n",
      "stores:",
      "  \"1\": {db-type: redis_failover, conf-id: 1, table: user_features, primary-keys: [user_id], table-ttl: 0}",
      "entities:",
      "  user:",
      "    keys: [user_id]",
      "    feature-groups:",
      "      counters:",
      "        id: 0",
      "        data-type: Int64",
      "        store-id: 1",
      "        ttl-in-seconds: 86400",
      "        features: [{label: f0}, {label: f1}, {label: f2}, {label: f3}, {label: f4}, {label: f5}, {label: f6}, {label: f7}]",
      "");

  @Test
  void producersOfDifferentFeaturesOfTheSameEntitiesAllSurvive() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    RedisServer redis = RedisServer.shared();
    String run = UUID.randomUUID().toString().substring(0, 8);
    String topic = "partial-" + run;
    kafka.createTopic(topic, 4);

    FeatureRegistry registry = new InMemoryFeatureRegistry(RegistryFiles.parse("registry.yaml", REGISTRY_YAML));
    try (OnlineStore store = new RedisStoreFactory().create(Map.of(
            "mode", "standalone", "nodes", redis.host() + ":" + redis.port(), "key-prefix", run + ":"));
        OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build()) {
      produce(kafka.bootstrapServers(), topic, run);

      StoreSink sink = new StoreSink(features);
      ConsumerSettings settings = ConsumerSettings.builder()
          .bootstrapServers(kafka.bootstrapServers())
          .topic(topic)
          .groupId("group-" + run)
          .maxPollRecords(50)
          .pollTimeout(Duration.ofMillis(100))
          .build();
      List<String> expected = new ArrayList<>();
      for (int f = 0; f < PRODUCERS; f++) {
        expected.add(Long.toString(value(f, VERSIONS)));
      }
      try (FeatureConsumerGroup consumers = FeatureConsumerGroup.start(
          settings, 2, new RegistryCatalog(registry), sink, IngestStats.disabled())) {
        try {
          IngestData.awaitUntil(Duration.ofMinutes(5), "every entity holds every producer's last value",
              () -> consumers.failure() != null || read(features, run).stream().allMatch(expected::equals));
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + "; entity 0 holds " + read(features, run).get(0)
              + ", expected " + expected, e);
        }
        assertThat(consumers.failure()).as("consumer failure").isNull();
      }
      List<List<String>> rows = read(features, run);
      for (int k = 0; k < ENTITIES; k++) {
        assertThat(rows.get(k)).as("entity %s", k).isEqualTo(expected);
      }
    } finally {
      registry.close();
    }
  }

  private static long value(int feature, int version) {
    return feature * 1_000_000L + version;
  }

  /** Each producer, in its own thread: one record per version naming its feature for every entity. */
  private static void produce(String bootstrap, String topic, String run) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int feature = p;
        done.add(pool.submit(() -> {
          Properties props = new Properties();
          props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
          props.put(ProducerConfig.ACKS_CONFIG, "all");
          props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
          try (KafkaProducer<byte[], byte[]> producer =
              new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            start.await();
            byte[] key = ("f" + feature).getBytes(UTF_8);
            for (int v = 1; v <= VERSIONS; v++) {
              List<PersistQuery.Data> rows = new ArrayList<>(ENTITIES);
              for (int k = 0; k < ENTITIES; k++) {
                rows.add(new PersistQuery.Data(List.of(run + "-" + k), List.of(Values.int64(value(feature, v)))));
              }
              PersistQuery query = new PersistQuery("user", List.of("user_id"),
                  List.of(new PersistQuery.FeatureGroupSchema("counters", List.of("f" + feature))), rows);
              producer.send(new ProducerRecord<>(topic, key, PersistQueryCodec.encode(query)));
            }
            producer.flush();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> d : done) {
        d.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<List<String>> read(OnlineFeatureStore features, String run) {
    List<String> labels = new ArrayList<>();
    for (int f = 0; f < PRODUCERS; f++) {
      labels.add("f" + f);
    }
    List<RetrieveQuery.Keys> keys = new ArrayList<>();
    for (int k = 0; k < ENTITIES; k++) {
      keys.add(RetrieveQuery.Keys.of(run + "-" + k));
    }
    DecodedResult result = features.retrieveDecoded(new RetrieveQuery(
        "user", List.of(new RetrieveQuery.FeatureGroup("counters", labels)), List.of("user_id"), keys));
    List<List<String>> out = new ArrayList<>();
    for (DecodedResult.DecodedRow row : result.rows()) {
      out.add(row.columns());
    }
    return out;
  }
}
