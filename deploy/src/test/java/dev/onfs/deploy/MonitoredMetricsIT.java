package dev.onfs.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.onfs.client.OnfsClient;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.server.OnfsServer;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.ServerLauncher;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.ingest.kafka.FeaturePusher;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.testing.KafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric the Prometheus rules and the Grafana dashboard use must exist in a real scrape of the process
 * that exports it: a demo server started in-process, after retrieves (near cache on), a persist and a failing
 * call; and {@code onfs consume} in its own JVM against a real Kafka broker, after it stored pushed rows and
 * dead-lettered a bad record. {@code onfs_ingest_*} metrics come from the consumer, the readiness, JVM and
 * process meters from both, the rest from the server.
 */
class MonitoredMetricsIT {
  private static final Path RULES = Path.of("prometheus", "onfs-rules.yaml");
  private static final Path DASHBOARD = Path.of("grafana", "onfs-dashboard.json");
  /** Series Prometheus itself makes, not the server. */
  private static final Set<String> FROM_PROMETHEUS = Set.of("up");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> PROMQL_WORDS = Set.of(
      "sum", "min", "max", "avg", "count", "by", "without", "on", "ignoring", "group_left", "group_right",
      "rate", "irate", "increase", "delta", "histogram_quantile", "and", "or", "unless", "bool", "offset",
      "clamp_min", "clamp_max", "abs", "vector", "scalar", "time", "max_over_time", "min_over_time",
      "avg_over_time", "topk", "bottomk", "absent", "label_replace", "le", "inf", "nan");

  /** Meters both processes export. */
  private static final Pattern SHARED = Pattern.compile("onfs_ready|jvm_.*|process_.*");
  private static final Path DEMO_REGISTRY = Path.of("..", "examples", "registry", "demo-registry.yaml");
  private static final Duration WAIT = Duration.ofSeconds(90);

  private static OnfsServer server;
  private static Set<String> families;
  private static Set<String> consumerFamilies;

  @BeforeAll
  static void startServerAndScrape() throws Exception {
    ServerConfig config = ServerConfig.fromMap(Map.of("demo", "true", "bind-address", "127.0.0.1",
        "grpc-port", "0", "http-port", "0", "shutdown-grace", "1s", "near-cache-bytes", "1048576"));
    server = ServerLauncher.launch(config, new PrintWriter(new StringWriter()));
    try (OnfsClient client = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
        .credentials("test", "test").build()) {
      RetrieveQuery retrieve = new RetrieveQuery("user",
          List.of(new RetrieveQuery.FeatureGroup("user_stats", List.of("ctr", "orders_30d"))),
          List.of("user_id"), List.of(RetrieveQuery.Keys.of("1"), RetrieveQuery.Keys.of("2")));
      for (int i = 0; i < 20; i++) {
        client.retrieve(retrieve);
      }
      client.persist(new PersistQuery("user", List.of("user_id"),
          List.of(new PersistQuery.FeatureGroupSchema("user_stats", List.of("ctr"))),
          List.of(new PersistQuery.Data(List.of("42"), List.of(Values.fp32(0.25f))))));
      assertThatThrownBy(() -> client.retrieve(new RetrieveQuery("no_such_entity",
          List.of(new RetrieveQuery.FeatureGroup("user_stats", List.of("ctr"))),
          List.of("user_id"), List.of(RetrieveQuery.Keys.of("1")))))
          .isInstanceOf(OnfsException.class);
    }
    System.gc(); // so that the GC meters have seen a collection
    HttpResponse<String> scrape = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + ServerDefaults.METRICS_PATH))
            .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "scrape.txt"), scrape.body());
    families = families(scrape.body());
    String consumerScrape = scrapeConsumer();
    Files.writeString(Path.of("target", "consumer-scrape.txt"), consumerScrape);
    consumerFamilies = families(consumerScrape);
  }

  /** Runs {@code onfs consume} as its own process on a fresh topic, pushes rows and a bad record, scrapes it. */
  private static String scrapeConsumer() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String topic = "monitored-" + ProcessHandle.current().pid();
    kafka.createTopic(topic, 2);
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(RegistryFiles.load(DEMO_REGISTRY));
    try (FeaturePusher pusher = FeaturePusher.builder().bootstrapServers(kafka.bootstrapServers()).topic(topic)
        .catalog(new RegistryCatalog(registry)).build()) {
      for (int i = 0; i < 50; i++) {
        pusher.push(new FeatureRow("user", List.of(Integer.toString(i)),
            Map.of("user_stats", Map.of("ctr", 0.5, "orders_30d", 3.0, "aov", 20.0))));
      }
    }
    Properties producer = new Properties();
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> garbage =
        new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer())) {
      garbage.send(new ProducerRecord<>(topic, "not a query".getBytes(StandardCharsets.UTF_8))).get();
    }
    Path log = Path.of("target", "consumer.log");
    // A small young generation: the consumer collects garbage within its first seconds, so its GC pause
    // meter (created at the first collection) is in the scrape like every other JVM meter.
    Process consumer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Xmn4m", "-cp", System.getProperty("java.class.path"), "dev.onfs.server.OnfsCommand", "consume",
        "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--group-id", topic,
        "--registry-file", DEMO_REGISTRY.toString(), "--store", "memory", "--http-port", "0",
        "--metrics-log-interval-s", "0")
        .redirectError(log.toFile())
        .start();
    try {
      int port = consumerPort(consumer);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        String scrape = get(port, ServerDefaults.METRICS_PATH).body();
        if (scrape.contains("onfs_ingest_records_dead_lettered_total{") && scrape.contains("onfs_ingest_lag_records{")
            && scrape.contains("onfs_ingest_freshness_seconds{") && scrape.contains("\nonfs_ready 1")
            && scrape.contains("onfs_ingest_rows_stored_total 50")) {
          return scrape;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the consumer did not store the rows and dead-letter the bad record in time;"
              + " last scrape:\n" + scrape + "\nlog: " + log);
        }
        Thread.sleep(200);
      }
    } finally {
      consumer.destroy();
      assertThat(consumer.waitFor(60, TimeUnit.SECONDS)).as("consume stops on SIGTERM").isTrue();
    }
  }

  /** The HTTP port {@code onfs consume} prints on its first line of output. */
  private static int consumerPort(Process consumer) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(consumer.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("consume's first line (log in target/consumer.log)").isNotNull();
    Matcher port = Pattern.compile("http://[^:]+:(\\d+)").matcher(line);
    assertThat(port.find()).as("a port in: %s", line).isTrue();
    return Integer.parseInt(port.group(1));
  }

  private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyMetricOfTheRulesIsScraped() throws IOException {
    JsonNode rules = new YAMLMapper().readTree(RULES.toFile());
    Set<String> recorded = new TreeSet<>();
    StringBuilder expressions = new StringBuilder();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("record")) {
          recorded.add(rule.path("record").asText());
        }
        expressions.append(rule.path("expr").asText()).append('\n');
      }
    }
    Set<String> used = metricNames(expressions.toString());
    used.removeAll(recorded);
    assertThat(used).isNotEmpty();
    assertScraped(used, "rules " + RULES);
  }

  @Test
  void everyMetricOfTheDashboardIsScrapedOrRecorded() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    Set<String> recorded = new TreeSet<>();
    for (JsonNode group : new YAMLMapper().readTree(RULES.toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("record")) {
          recorded.add(rule.path("record").asText());
        }
      }
    }
    StringBuilder expressions = new StringBuilder();
    for (JsonNode expr : dashboard.findValues("expr")) {
      expressions.append(expr.asText()).append('\n');
    }
    Set<String> used = metricNames(expressions.toString());
    assertThat(used).isNotEmpty();
    Set<String> unknownRecordings = new TreeSet<>();
    for (String name : used) {
      if (name.contains(":") && !recorded.contains(name)) {
        unknownRecordings.add(name);
      }
    }
    assertThat(unknownRecordings).as("recording rules the dashboard uses but %s does not define", RULES).isEmpty();
    used.removeIf(name -> name.contains(":"));
    assertScraped(used, "dashboard " + DASHBOARD);
  }

  private static void assertScraped(Set<String> used, String where) {
    Set<String> missingFromServer = new TreeSet<>();
    Set<String> missingFromConsumer = new TreeSet<>();
    for (String name : used) {
      if (FROM_PROMETHEUS.contains(name)) {
        continue;
      }
      boolean consumer = name.startsWith("onfs_ingest_") || SHARED.matcher(name).matches();
      boolean serverToo = !name.startsWith("onfs_ingest_");
      if (consumer && !in(consumerFamilies, name)) {
        missingFromConsumer.add(name);
      }
      if (serverToo && !in(families, name)) {
        missingFromServer.add(name);
      }
    }
    assertThat(missingFromServer).as("metrics the %s use that a scrape of the server does not have (scrape in"
        + " target/scrape.txt)", where).isEmpty();
    assertThat(missingFromConsumer).as("metrics the %s use that a scrape of onfs consume does not have (scrape in"
        + " target/consumer-scrape.txt)", where).isEmpty();
  }

  private static boolean in(Set<String> scraped, String name) {
    return scraped.contains(name) || scraped.contains(family(name));
  }

  @Test
  void theRulesAndDashboardWatchTheConsumer() throws IOException {
    String rules = Files.readString(RULES);
    String dashboard = Files.readString(DASHBOARD);
    for (String metric : List.of("onfs_ingest_lag_records", "onfs_ingest_freshness_seconds",
        "onfs_ingest_records_dead_lettered_total", "onfs_ingest_rows_stored_total", "onfs_ready")) {
      assertThat(rules).as("rules use %s", metric).contains(metric);
    }
    assertThat(dashboard).contains("onfs:ingest_rows_stored:rate5m", "onfs_ingest_lag_records",
        "onfs:ingest_freshness_seconds:min", "onfs:ingest_dead_lettered:rate5m", "onfs_ready");
  }

  /** Metric names in PromQL: identifiers that are not keywords, functions, label names or label values. */
  static Set<String> metricNames(String promql) {
    String withoutStrings = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    String withoutMatchers = withoutStrings.replaceAll("\\{[^}]*}", "{}");
    String withoutGroupings = withoutMatchers.replaceAll(
        "(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "$1");
    String withoutRanges = withoutGroupings.replaceAll("\\[[^\\]]*]", "");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(withoutRanges);
    while (m.find()) {
      String word = m.group();
      int after = m.end();
      boolean call = after < withoutRanges.length() && withoutRanges.charAt(after) == '(';
      boolean number = m.start() > 0 && Character.isDigit(withoutRanges.charAt(m.start() - 1));
      if (!call && !number && !PROMQL_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT))
          && !word.startsWith("$") && !word.matches("\\d.*|e\\d*")) {
        names.add(word);
      }
    }
    return names;
  }

  /** The family a sample name belongs to: histogram and summary series carry a suffix. */
  private static String family(String name) {
    for (String suffix : List.of("_bucket", "_count", "_sum")) {
      if (name.endsWith(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }

  /** Families named by the scrape's {@code # TYPE} lines, plus every sample name as written. */
  private static Set<String> families(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        names.add(line.split(" ")[2]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        Matcher m = IDENTIFIER.matcher(line);
        if (m.lookingAt()) {
          names.add(m.group());
        }
      }
    }
    return names;
  }
}
