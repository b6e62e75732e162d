package dev.onfs.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.OnlineFeatureStore;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.ingest.kafka.ConsumerSettings;
import dev.onfs.ingest.kafka.FeatureConsumer;
import dev.onfs.ingest.kafka.IngestStats;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.ingest.kafka.StoreSink;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.storage.redis.RedisStoreFactory;
import dev.onfs.testing.KafkaBroker;
import dev.onfs.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark job against a real broker, with the real consumer writing into real Redis. */
class ParquetFeaturePushIT {
  private static final int ROWS = 2000;
  private static final String REGISTRY = String.join("\n",
      "stores:",
      "  \"1\": {db-type: redis_failover, conf-id: 1, table: t, primary-keys: [user_id], table-ttl: 0}",
      "entities:",
      "  user:",
      "    keys: [user_id]",
      "    feature-groups:",
      "      stats: {id: 0, data-type: FP32, store-id: 1, features: [{label: ctr, default: 0.0}, {label: score, default: 0.0}]}",
      "      counts: {id: 1, data-type: Int64, store-id: 1, features: [{label: clicks, default: 0}]}",
      "");

  @TempDir Path dir;

  @Test
  void parquetRowsArriveInTheStore() throws Exception {
    long started = System.nanoTime();
    KafkaBroker kafka = KafkaBroker.shared();
    String topic = "spark-push";
    kafka.createTopic(topic, 2);
    Path registryFile = dir.resolve("registry.yaml");
    Files.writeString(registryFile, REGISTRY);
    String parquet = dir.resolve("features.parquet").toString();

    SparkSession spark = SparkSession.builder()
        .master("local[2]")
        .appName("onfs-spark-push-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    long pushed;
    try {
      StructType schema = new StructType()
          .add("user_id", DataTypes.LongType, false)
          .add("stats__ctr", DataTypes.FloatType, false)
          .add("stats__score", DataTypes.DoubleType, false)
          .add("counts__clicks", DataTypes.LongType, false);
      List<Row> rows = new ArrayList<>();
      for (long id = 0; id < ROWS; id++) {
        rows.add(RowFactory.create(id, id / 4.0f, 1.5, id * 10));
      }
      spark.createDataFrame(rows, schema).repartition(3).write().parquet(parquet);
      pushed = ParquetFeaturePush.push(spark, parquet,
          new ParquetFeaturePush.Job(kafka.bootstrapServers(), topic, registryFile.toString(), "user", 100));
    } finally {
      spark.stop();
    }
    assertThat(pushed).isEqualTo(ROWS);

    FeatureRegistry registry = new InMemoryFeatureRegistry(RegistryFiles.load(registryFile));
    try (RedisServer redis = RedisServer.start();
        OnlineStore store = new RedisStoreFactory().create(Map.of("mode", "standalone", "nodes", redis.host() + ":" + redis.port()));
        OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build();
        FeatureConsumer consumer = FeatureConsumer.create(
            ConsumerSettings.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic).groupId("spark-it").build(),
            new RegistryCatalog(registry), new StoreSink(features), IngestStats.disabled())) {
      Thread t = new Thread(consumer, "spark-it-consumer");
      t.start();
      List<RetrieveQuery.Keys> keys = new ArrayList<>();
      for (int id = 0; id < ROWS; id++) {
        keys.add(RetrieveQuery.Keys.of(Integer.toString(id)));
      }
      RetrieveQuery query = new RetrieveQuery("user",
          List.of(new RetrieveQuery.FeatureGroup("stats", List.of("ctr", "score")),
              new RetrieveQuery.FeatureGroup("counts", List.of("clicks"))),
          List.of("user_id"), keys);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!allStored(features.retrieveDecoded(query))) {
        assertThat(System.nanoTime()).as("all rows stored within 60 s").isLessThan(deadline);
        Thread.sleep(100);
      }
      assertThat(features.retrieveDecoded(query).rows().get(6).columns()).containsExactly("1.5", "1.5", "60");
      consumer.close();
      t.join(30_000);
    }
    System.out.printf("spark push test took %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  private static boolean allStored(DecodedResult result) {
    for (int id = 0; id < ROWS; id++) {
      if (!result.rows().get(id).columns().get(2).equals(Long.toString(id * 10L))) {
        return false;
      }
    }
    return true;
  }
}
