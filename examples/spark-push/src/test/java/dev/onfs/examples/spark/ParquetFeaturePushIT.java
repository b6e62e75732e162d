package dev.onfs.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
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
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job, run from the jar the README names, against a real broker, with the real consumer
 * writing into real Redis.
 */
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
    } finally {
      spark.stop();
    }

    // The job runs as spark-submit runs it: its main, from the shaded jar, after Spark's own jars.
    String output = runFromJobJar(parquet, kafka.bootstrapServers(), topic, registryFile.toString(), "user");
    assertThat(output).contains("pushed " + ROWS + " rows");

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

  /** What the README's spark-submit command takes: the job, onfs and kafka-clients; Spark left to the cluster. */
  @Test
  void jobJarCarriesTheJobAndWhatItNeedsButNotSpark() throws Exception {
    assertThat(Files.readString(Path.of("README.md"))).contains("spark-submit --class dev.onfs.examples.spark.ParquetFeaturePush onfs-example-spark-push.jar");
    assertThat(JOB_JAR).as("the README's jar, built by package").isRegularFile();
    try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(ParquetFeaturePush.class.getName());
      for (Class<?> needed : List.of(ParquetFeaturePush.class, ParquetFeaturePush.PushPartition.class,
          dev.onfs.ingest.kafka.FeaturePusher.class, dev.onfs.ingest.kafka.RegistryCatalog.class,
          dev.onfs.registry.file.RegistryFiles.class, dev.onfs.core.registry.InMemoryFeatureRegistry.class,
          dev.onfs.proto.persist.Query.class, org.apache.kafka.clients.producer.KafkaProducer.class)) {
        assertThat(jar.getEntry(needed.getName().replace('.', '/') + ".class")).as(needed.getName()).isNotNull();
      }
      List<String> names = jar.stream().map(JarEntry::getName).toList();
      assertThat(names).as("Spark and Scala are the cluster's").noneMatch(n -> n.startsWith("org/apache/spark/") || n.startsWith("scala/"));
      assertThat(names).as("libraries Spark also ships are relocated")
          .noneMatch(n -> n.startsWith("com/fasterxml/jackson/") || n.startsWith("com/google/protobuf/") || n.startsWith("org/yaml/"))
          .anyMatch(n -> n.startsWith("dev/onfs/shaded/jackson/databind/"));
    }
  }

  private static final Path JOB_JAR = Path.of("target", "onfs-example-spark-push.jar");

  /**
   * Runs {@code ParquetFeaturePush.main} in a child JVM whose classpath is this test's minus every
   * onfs class and kafka-clients, followed by the job jar: whatever the job needs beyond Spark must
   * come from that jar. Returns the job's output.
   */
  private String runFromJobJar(String... args) throws Exception {
    List<String> classpath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      String name = p.getFileName().toString();
      boolean onfs = name.startsWith("onfs-") || p.endsWith(Path.of("target", "classes")) || p.endsWith(Path.of("target", "test-classes"));
      if (!onfs && !name.startsWith("kafka-clients-")) {
        classpath.add(entry);
      }
    }
    classpath.add(JOB_JAR.toAbsolutePath().toString());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the --add-opens Spark needs on Java 17, as this JVM got them
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("-Djdk.reflect") || arg.startsWith("-Dio.netty") || arg.startsWith("-Xmx")) {
        command.add(arg);
      }
    }
    command.addAll(List.of("-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.driver.bindAddress=127.0.0.1", "-cp", String.join(File.pathSeparator, classpath),
        ParquetFeaturePush.class.getName()));
    command.addAll(List.of(args));
    Path log = dir.resolve("job.log");
    Process job = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!job.waitFor(5, TimeUnit.MINUTES)) {
      job.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(job.exitValue()).as("job exit code; its output:%n%s", output).isZero();
    return output;
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
