package dev.onfs.bulkload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.ingest.kafka.PersistQueryCodec;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.testing.KafkaBroker;
import dev.onfs.testing.RedisServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** onfs-load against a real Redis and a real Kafka broker, on generated Parquet and CSV files. */
class BulkLoadIT {
  static final Path REGISTRY = Path.of("../examples/registry/demo-registry.yaml");

  @TempDir Path dir;

  /** Exit code, stdout and stderr of one onfs-load run. */
  record Run(int exit, String out, String err) {}

  static Run load(String... args) {
    CommandLine cli = LoadCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static List<String> storeArgs(String prefix) {
    RedisServer redis = RedisServer.shared();
    return List.of("--store", "redis", "--store-setting", "mode=standalone",
        "--store-setting", "nodes=" + redis.host() + ":" + redis.port(), "--store-setting", "key-prefix=" + prefix);
  }

  static DecodedResult read(String prefix, List<String> userIds) throws Exception {
    RedisServer redis = RedisServer.shared();
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(RegistryFiles.load(REGISTRY));
    try (OnlineStore store = LoadCommand.openStore("redis", Map.of("mode", "standalone",
            "nodes", redis.host() + ":" + redis.port(), "key-prefix", prefix));
        OnlineFeatureStore features = OnlineFeatureStore.builder().registry(registry).store(store).build()) {
      List<RetrieveQuery.Keys> keys = userIds.stream().map(RetrieveQuery.Keys::of).toList();
      return features.retrieveDecoded(new RetrieveQuery("user", List.of(
          new RetrieveQuery.FeatureGroup("user_stats", List.of("ctr", "orders_30d", "aov")),
          new RetrieveQuery.FeatureGroup("user_profile", List.of("city", "segment")),
          new RetrieveQuery.FeatureGroup("user_embedding", List.of("emb"))), List.of("user_id"), keys));
    } finally {
      registry.close();
    }
  }

  static void assertRow(DecodedResult.DecodedRow row, int i) {
    assertThat(row.keys()).containsExactly(TestFiles.userId(i));
    assertThat(Float.parseFloat(row.columns().get(0))).as("ctr of row %d", i).isEqualTo(TestFiles.ctr(i));
    assertThat(Double.parseDouble(row.columns().get(1))).as("orders_30d of row %d", i).isEqualTo(i % 50);
    assertThat(Double.parseDouble(row.columns().get(2))).as("aov of row %d", i).isEqualTo(100 + i % 7);
    assertThat(row.columns().get(3)).isEqualTo(TestFiles.city(i));
    assertThat(row.columns().get(4)).isEqualTo("s" + i % 3);
    assertThat(row.columns().get(5)).isEqualTo((i % 5) + ":0.5:0:0:0:0:0:1");
  }

  @Test
  void parquetDirectoryIntoRedis() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    // The codecs Spark and pandas write most: Snappy (their default), ZSTD and GZIP.
    TestFiles.writeParquet(data.resolve("part-0.parquet"), 1, 1201, CompressionCodecName.SNAPPY);
    TestFiles.writeParquet(data.resolve("part-1.parquet"), 1201, 1601, CompressionCodecName.ZSTD);
    TestFiles.writeParquet(data.resolve("part-2.parquet"), 1601, 2001, CompressionCodecName.GZIP);
    Files.writeString(data.resolve("_SUCCESS"), "");
    String prefix = "bl-" + UUID.randomUUID() + ":";
    List<String> args = new ArrayList<>(List.of("-e", "user", "--registry-file", REGISTRY.toString()));
    args.addAll(storeArgs(prefix));
    args.add(data.toString());

    Run run = load(args.toArray(String[]::new));

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("loaded 2,000 of 2,000 rows from 3 files into store redis");
    DecodedResult result = read(prefix, List.of("u1", "u777", "u1500", "u1601", "u2000"));
    int[] ids = {1, 777, 1500, 1601, 2000};
    for (int k = 0; k < ids.length; k++) {
      assertRow(result.rows().get(k), ids[k]);
    }
  }

  @Test
  void csvGlobToTopic() throws Exception {
    TestFiles.writeCsv(dir.resolve("a.csv"), 1, 301);
    TestFiles.writeCsv(dir.resolve("b.csv"), 301, 501);
    Files.writeString(dir.resolve("notes.txt"), "not matched by the glob");
    KafkaBroker kafka = KafkaBroker.shared();
    String topic = "bulk-load-" + UUID.randomUUID();
    kafka.createTopic(topic, 3);

    Run run = load("-e", "user", "--registry-file", REGISTRY.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
        "--topic", topic, dir + "/*.csv");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("loaded 500 of 500 rows from 2 files to topic " + topic);
    Map<String, PersistQuery.Data> byKey = new HashMap<>();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (byKey.size() < 500 && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          PersistQuery q = PersistQueryCodec.decode(r.value());
          assertThat(q.entityLabel()).isEqualTo("user");
          assertThat(q.featureGroupSchema().get(0).label()).isEqualTo("user_stats");
          for (PersistQuery.Data d : q.data()) {
            byKey.put(d.keyValues().get(0), d);
          }
        }
      }
    }
    assertThat(byKey).hasSize(500);
    PersistQuery.Data row = byKey.get("u123");
    assertThat(row.featureValues().get(0).fp32Values()).containsExactly(Double.parseDouble(Float.toString(TestFiles.ctr(123))), 23.0, 104.0);
    assertThat(row.featureValues().get(1).stringValues()).containsExactly("c6", "s0");
    assertThat(row.featureValues().get(2).vectors().get(0).fp32Values()).containsExactly(3.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0);
  }

  @Test
  void badRowsStopTheLoadNamingFileRowAndColumn() throws Exception {
    Path csv = dir.resolve("bad.csv");
    TestFiles.writeCsv(csv, 1, 4);
    Files.writeString(csv, TestFiles.csvLine(4).replace(",4,", ",four,") + "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    String prefix = "bl-" + UUID.randomUUID() + ":";
    List<String> args = new ArrayList<>(List.of("-e", "user", "--registry-file", REGISTRY.toString()));
    args.addAll(storeArgs(prefix));
    args.add(csv.toString());

    Run run = load(args.toArray(String[]::new));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains(csv + ":4: column 'user_stats__orders_30d': needs a number (fp32), got 'four'")
        .contains("the 3 rows before it are stored").contains("--rejects");
    DecodedResult result = read(prefix, List.of("u1", "u2", "u3"));
    for (int i = 1; i <= 3; i++) {
      assertRow(result.rows().get(i - 1), i);
    }
  }

  @Test
  void badRowsGoToTheRejectsFileAndTheRestLoads() throws Exception {
    Path csv = dir.resolve("mixed.csv");
    TestFiles.writeCsv(csv, 1, 11);
    List<String> lines = new ArrayList<>(Files.readAllLines(csv));
    lines.set(3, lines.get(3).replace("u3,", ",")); // row 3: empty key
    lines.set(5, lines.get(5).replace("\"[0,0.5,0,0,0,0,0,1]\"", "\"[0,0.5]\"")); // row 5: vector too short
    lines.set(7, lines.get(7).replace("u7,", "u|7,")); // row 7: the store refuses '|' in a key
    lines.set(9, lines.get(9) + ",extra"); // row 9: one cell too many
    Files.write(csv, lines);
    Path rejects = dir.resolve("rejects.jsonl");
    String prefix = "bl-" + UUID.randomUUID() + ":";
    List<String> args = new ArrayList<>(List.of("-e", "user", "--registry-file", REGISTRY.toString(),
        "--rejects", rejects.toString()));
    args.addAll(storeArgs(prefix));
    args.add(csv.toString());

    Run run = load(args.toArray(String[]::new));

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("loaded 6 of 10 rows").contains("4 rejected, written to " + rejects);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> rejected = Files.readAllLines(rejects).stream().map(l -> {
      try {
        return json.readTree(l);
      } catch (Exception e) {
        throw new AssertionError(l, e);
      }
    }).toList();
    // Every row is refused as it is read, the store's checks included: in row order.
    assertThat(rejected).extracting(n -> n.get("row").asLong()).containsExactly(3L, 5L, 7L, 9L);
    assertThat(rejected).allSatisfy(n -> assertThat(n.get("file").asText()).isEqualTo(csv.toString()));
    assertThat(rejected.get(0).get("column").asText()).isEqualTo("user_id");
    assertThat(rejected.get(1).get("column").asText()).as(rejected.get(1).toString()).isEqualTo("user_embedding__emb");
    assertThat(rejected.get(1).get("error").asText()).contains("vector-length is 8");
    assertThat(rejected.get(2).get("error").asText()).contains("user_id").contains("|");
    assertThat(rejected.get(2).get("cells").get("user_id").asText()).isEqualTo("u|7");
    assertThat(rejected.get(3).get("error").asText()).contains("8 cells");
    assertThat(run.err()).contains(csv + ":5: column 'user_embedding__emb'");

    DecodedResult result = read(prefix, List.of("u1", "u2", "u4", "u6", "u8", "u10"));
    int[] ids = {1, 2, 4, 6, 8, 10};
    for (int k = 0; k < ids.length; k++) {
      assertRow(result.rows().get(k), ids[k]);
    }
  }

  @Test
  void aMissingFeatureColumnFailsBeforeAnyRowNamingIt() throws Exception {
    Path csv = dir.resolve("partial.csv");
    Files.writeString(csv, "user_id,user_stats__ctr,user_stats__orders_30d\nu1,0.5,3\n");
    List<String> args = new ArrayList<>(List.of("-e", "user", "--registry-file", REGISTRY.toString()));
    args.addAll(storeArgs("bl-" + UUID.randomUUID() + ":"));
    args.add(csv.toString());

    Run run = load(args.toArray(String[]::new));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains(csv + ": feature group 'user_stats' has no column for [user_stats__aov]");
  }
}
