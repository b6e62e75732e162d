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
import java.io.IOException;
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
 * Every metric the Prometheus rules and the Grafana dashboard use must exist in a real scrape: a demo
 * server started in-process, after retrieves (near cache on), a persist and a failing call.
 */
class MonitoredMetricsTest {
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

  private static OnfsServer server;
  private static Set<String> families;

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
    Set<String> missing = new TreeSet<>();
    for (String name : used) {
      if (!FROM_PROMETHEUS.contains(name) && !families.contains(name) && !families.contains(family(name))) {
        missing.add(name);
      }
    }
    assertThat(missing).as("metrics the %s use that a scrape of the server does not have (scrape in"
        + " target/scrape.txt)", where).isEmpty();
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
