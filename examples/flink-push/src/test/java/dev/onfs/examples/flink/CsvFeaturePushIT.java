package dev.onfs.examples.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink job, run from the jar the README names ({@code main}, which starts a local MiniCluster
 * outside a cluster), against a real broker, with the real consumer writing into real Redis.
 */
class CsvFeaturePushIT {
  private static final int FILES = 2;
  private static final int ROWS_PER_FILE = 1000;
  private static final int ROWS = FILES * ROWS_PER_FILE;
  private static final String REGISTRY = String.join("\n",
      "stores:",
      "  \"1\": {db-type: redis_failover, conf-id: 1, table: t, primary-keys: [user_id], table-ttl: 0}",
      "entities:",
      "  user:",
      "    keys: [user_id]",
      "    feature-groups:",
      "      stats: {id: 0, data-type: FP32, store-id: 1, features: [{label: ctr, default: 0.0}, {label: score, default: 0.0}]}",
      "      counts: {id: 1, data-type: Int64, store-id: 1, features: [{label: clicks, default: 0}]}",
      "      emb: {id: 2, data-type: FP16Vector, store-id: 1, features: [{label: v, default: \"[0,0]\", vector-length: 2}]}",
      "");
  private static final String HEADER = "user_id,stats__ctr,stats__score,counts__clicks,emb__v";

  @TempDir Path dir;

  @Test
  void csvRowsArriveInTheStore() throws Exception {
    long started = System.nanoTime();
    KafkaBroker kafka = KafkaBroker.shared();
    String topic = "flink-push";
    kafka.createTopic(topic, 2);
    Path registryFile = dir.resolve("registry.yaml");
    Files.writeString(registryFile, REGISTRY);
    Path csv = Files.createDirectory(dir.resolve("features"));
    for (int f = 0; f < FILES; f++) {
      StringBuilder lines = new StringBuilder(HEADER).append('\n');
      for (int i = 0; i < ROWS_PER_FILE; i++) {
        int id = f * ROWS_PER_FILE + i;
        lines.append(id).append(',').append(id / 4.0).append(",1.5,").append(id * 10L).append(",0.5;").append(id % 8)
            .append('\n');
      }
      Files.writeString(csv.resolve("part-" + f + ".csv"), lines);
    }

    String output = runFromJobJar(csv.toString(), kafka.bootstrapServers(), topic, registryFile.toString(), "user");
    assertThat(output).contains("pushed " + ROWS + " rows to " + topic);
    System.out.printf("flink job done after %.1f s%n", (System.nanoTime() - started) / 1e9);

    FeatureRegistry registry = new InMemoryFeatureRegistry(RegistryFiles.load(registryFile));
    RedisServer redis = RedisServer.shared();
    try (OnlineStore store = new RedisStoreFactory().create(Map.of("mode", "standalone", "nodes", redis.host() + ":" + redis.port()));
        OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build();
        FeatureConsumer consumer = FeatureConsumer.create(
            ConsumerSettings.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic).groupId("flink-it").build(),
            new RegistryCatalog(registry), new StoreSink(features), IngestStats.disabled())) {
      Thread t = new Thread(consumer, "flink-it-consumer");
      t.start();
      List<RetrieveQuery.Keys> keys = new ArrayList<>();
      for (int id = 0; id < ROWS; id++) {
        keys.add(RetrieveQuery.Keys.of(Integer.toString(id)));
      }
      RetrieveQuery query = new RetrieveQuery("user",
          List.of(new RetrieveQuery.FeatureGroup("stats", List.of("ctr", "score")),
              new RetrieveQuery.FeatureGroup("counts", List.of("clicks")),
              new RetrieveQuery.FeatureGroup("emb", List.of("v"))),
          List.of("user_id"), keys);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!allStored(features.retrieveDecoded(query))) {
        assertThat(System.nanoTime()).as("all rows stored within 60 s").isLessThan(deadline);
        Thread.sleep(100);
      }
      assertThat(features.retrieveDecoded(query).rows().get(1003).columns()).containsExactly("250.75", "1.5", "10030", "0.5:3");
      consumer.close();
      t.join(30_000);
    }
    System.out.printf("flink push test took %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  @Test
  void aHeaderThatDoesNotFitTheRegistryFailsBeforeTheJobRuns() throws Exception {
    Path registryFile = dir.resolve("registry.yaml");
    Files.writeString(registryFile, REGISTRY);
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "user_id,stats__ctr,stats__aov\n1,0.5,2\n");
    assertThatThrownBy(() -> CsvFeaturePush.addPipeline(
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.createLocalEnvironment(1),
        new CsvFeaturePush.Job(csv.toString(), "127.0.0.1:1", "t", registryFile.toString(), "user")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 'stats__aov'");
  }

  /** What the README's {@code flink run} command takes: the job, its Kafka connector, kafka-clients and onfs. */
  @Test
  void jobJarCarriesTheJobAndWhatItNeedsButNotFlink() throws Exception {
    assertThat(Files.readString(Path.of("README.md"))).contains("flink run examples/flink-push/target/onfs-example-flink-push.jar");
    assertThat(JOB_JAR).as("the README's jar, built by package").isRegularFile();
    try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(CsvFeaturePush.class.getName());
      for (Class<?> needed : List.of(CsvFeaturePush.class, ParseCsvRows.class, FeatureRowSerializationSchema.class,
          dev.onfs.ingest.kafka.FeatureRows.class, RegistryFiles.class, InMemoryFeatureRegistry.class,
          dev.onfs.proto.persist.Query.class, org.apache.kafka.clients.producer.KafkaProducer.class,
          org.apache.flink.connector.kafka.sink.KafkaSink.class)) {
        assertThat(jar.getEntry(needed.getName().replace('.', '/') + ".class")).as(needed.getName()).isNotNull();
      }
      assertThat(jar.stream().map(JarEntry::getName))
          .as("Flink itself is the cluster's")
          .noneMatch(n -> n.startsWith("org/apache/flink/streaming/api/") || n.startsWith("org/apache/flink/runtime/")
              || n.startsWith("org/apache/flink/connector/file/"));
    }
  }

  private static final Path JOB_JAR = Path.of("target", "onfs-example-flink-push.jar");

  /**
   * Runs {@code CsvFeaturePush.main} in a child JVM, where it starts a local MiniCluster, with this
   * test's classpath minus every onfs class, kafka-clients and the Kafka connector, followed by the
   * job jar: whatever the job needs beyond Flink must come from that jar. Returns the job's output.
   */
  private String runFromJobJar(String... args) throws Exception {
    List<String> classpath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      String name = p.getFileName().toString();
      boolean onfs = name.startsWith("onfs-") || p.endsWith(Path.of("target", "classes")) || p.endsWith(Path.of("target", "test-classes"));
      if (!onfs && !name.startsWith("kafka-clients-") && !name.startsWith("flink-connector-kafka-")) {
        classpath.add(entry);
      }
    }
    classpath.add(JOB_JAR.toAbsolutePath().toString());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", String.join(File.pathSeparator, classpath), CsvFeaturePush.class.getName()));
    command.addAll(List.of(args));
    Path log = dir.resolve("job.log");
    Process job = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!job.waitFor(5, TimeUnit.MINUTES)) {
      job.destroyForcibly().waitFor();
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
