package dev.onfs.server.cli.consume;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.ingest.kafka.FeaturePusher;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.testing.KafkaBroker;
import dev.onfs.testing.RedisServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code onfs consume}'s HTTP port against a real broker and a real Redis: the scrape carries the ingest
 * meters with HELP text, and {@code /health/ready} (and {@code onfs_ready}) tell the truth when Redis hangs
 * (SIGSTOP) or the broker goes away, and recover when they come back.
 */
class ConsumeHealthIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void servesMetricsAndReadinessThatFollowsTheStoreAndTheBroker() throws Exception {
    String topic = "consume-health";
    try (KafkaBroker kafka = KafkaBroker.start(); RedisServer redis = RedisServer.start()) {
      kafka.createTopic(topic, 2);
      Path registryFile = dir.resolve("registry.yaml");
      Files.writeString(registryFile, ConsumeCommandIT.REGISTRY);
      Path config = dir.resolve("consume.yaml");
      Files.writeString(config, String.join("\n",
          "bootstrap-servers: " + kafka.bootstrapServers(),
          "topic: " + topic,
          "group-id: consume-health",
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
      StringWriter out = new StringWriter();
      AtomicInteger exit = new AtomicInteger(-1);
      Thread runner = new Thread(() -> exit.set(new CommandLine(command).setOut(new PrintWriter(out, true))
          .execute("--config", config.toString())));
      runner.start();
      try {
        awaitUntil("the HTTP port is bound", () -> command.httpPort() > 0);
        int port = command.httpPort();
        assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
        long started = System.nanoTime();
        awaitReady(port, 200, r -> true);
        System.out.printf("consume ready %d ms after its HTTP port answered%n", elapsedMillis(started));

        push(kafka.bootstrapServers(), topic, registryFile, 200);
        awaitUntil("rows are stored", () -> sample(scrape(port), "onfs_ingest_rows_stored_total", "") >= 200);
        awaitUntil("the garbage record is counted",
            () -> sample(scrape(port), "onfs_ingest_records_dead_lettered_total", "reason=\"invalid_argument\"") >= 1);
        awaitUntil("lag is reported for both partitions", () -> scrape(port).split("\nonfs_ingest_lag_records\\{").length == 3);
        // The GC pause meter exists only once this JVM has seen a collection, and the JVM reports a
        // collection to its listeners asynchronously: collect until the meter shows up.
        awaitUntil("a GC pause is metered", () -> {
          System.gc();
          return scrape(port).contains("jvm_gc_pause_seconds");
        });
        String scrape = scrape(port);
        System.out.printf("consume scrape: %d bytes, %d lines%n", scrape.length(), scrape.split("\n").length);
        assertThat(sample(scrape, "onfs_ready", "")).isEqualTo(1.0);
        double freshness = sample(scrape, "onfs_ingest_freshness_seconds", "entity=\"user\",feature_group=\"stats\"");
        assertThat(freshness).isBetween(0.0, WAIT.toSeconds() * 1.0);
        assertThat(scrape).contains("onfs_ingest_delay_seconds_bucket", "onfs_ingest_batch_write_seconds_bucket",
            "onfs_ingest_retries_total", "onfs_ingest_commit_failures_total", "onfs_ingest_records_in_total",
            "jvm_memory_used_bytes", "jvm_gc_pause_seconds", "process_cpu_usage");
        assertEveryOnfsFamilyHasHelp(scrape);

        // Redis hangs: the store ping stops answering.
        redis.pause();
        long paused = System.nanoTime();
        String down = awaitReady(port, 503, body -> body.contains("\"name\":\"store:redis\",\"state\":\"DOWN\""));
        System.out.printf("ready -> 503 %d ms after SIGSTOP of Redis%n", elapsedMillis(paused));
        assertThat(down).contains("\"name\":\"consumer-0\",\"state\":\"UP\"");
        assertThat(sample(scrape(port), "onfs_ready", "")).isEqualTo(0.0);
        redis.resume();
        long resumed = System.nanoTime();
        awaitReady(port, 200, r -> true);
        System.out.printf("ready -> 200 %d ms after SIGCONT of Redis%n", elapsedMillis(resumed));

        // The broker goes away: the consumer loses its group coordinator.
        kafka.stop();
        long stopped = System.nanoTime();
        awaitReady(port, 503, body -> body.contains("group coordinator"));
        System.out.printf("ready -> 503 %d ms after the broker stopped%n", elapsedMillis(stopped));
        assertThat(get(port, "/health/live").statusCode()).as("alive while it waits for the broker").isEqualTo(200);
        kafka.restart();
        long restarted = System.nanoTime();
        awaitReady(port, 200, r -> true);
        System.out.printf("ready -> 200 %d ms after the broker restarted%n", elapsedMillis(restarted));
        push(kafka.bootstrapServers(), topic, registryFile, 10);
        awaitUntil("rows pushed after the restart are stored",
            () -> sample(scrape(port), "onfs_ingest_rows_stored_total", "") >= 210);
      } finally {
        command.stop();
        runner.join(60_000);
      }
      assertThat(exit.get()).as("exit code; output:%n%s", out).isZero();
    }
  }

  @Test
  void servesHttpsWithTheGivenCertificate() throws Exception {
    Path registryFile = dir.resolve("registry.yaml");
    Files.writeString(registryFile, ConsumeCommandIT.REGISTRY);
    dev.onfs.server.tls.TestCertificates.Ca ca = dev.onfs.server.tls.TestCertificates.ca("consume-test-ca");
    dev.onfs.server.tls.TestCertificates.Issued cert = ca.server("localhost");
    ConsumeCommand command = new ConsumeCommand(DefaultBackends.INSTANCE, Map.of());
    AtomicInteger exit = new AtomicInteger(-1);
    Thread runner = new Thread(() -> exit.set(new CommandLine(command).execute(
        "--bootstrap-servers", KafkaBroker.shared().bootstrapServers(), "--topic", "consume-https",
        "--registry-file", registryFile.toString(), "--metrics-log-interval-s", "0", "--http-port", "0",
        "--http-tls-cert-file", cert.writeCertificate(dir.resolve("cert.pem")).toString(),
        "--http-tls-key-file", cert.writeKey(dir.resolve("key.pem")).toString())));
    runner.start();
    try {
      awaitUntil("the HTTPS port is bound", () -> command.httpPort() > 0);
      HttpClient https = HttpClient.newBuilder().sslContext(ca.trustingContext())
          .connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> live = https.send(HttpRequest.newBuilder(
          URI.create("https://localhost:" + command.httpPort() + "/health/live")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
      int plainStatus;
      try {
        plainStatus = get(command.httpPort(), "/health/live").statusCode();
      } catch (java.io.UncheckedIOException refused) {
        plainStatus = -1;
      }
      assertThat(plainStatus).as("plain HTTP gets no health answer").isNotEqualTo(200);
    } finally {
      command.stop();
      runner.join(60_000);
    }
    assertThat(exit.get()).isZero();
  }

  @Test
  void aTakenHttpPortStopsTheCommandWithOneLine() throws Exception {
    Path registryFile = dir.resolve("registry.yaml");
    Files.writeString(registryFile, ConsumeCommandIT.REGISTRY);
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      StringWriter err = new StringWriter();
      int code = new CommandLine(new ConsumeCommand(DefaultBackends.INSTANCE, Map.of()))
          .setErr(new PrintWriter(err, true))
          .execute("--bootstrap-servers", KafkaBroker.shared().bootstrapServers(), "--registry-file",
              registryFile.toString(), "--connect-timeout-ms", "0",
              "--http-port", Integer.toString(taken.getLocalPort()), "--metrics-log-interval-s", "0");
      assertThat(code).isEqualTo(2);
      assertThat(err.toString()).startsWith("onfs consume: cannot listen on HTTP port 127.0.0.1:" + taken.getLocalPort())
          .doesNotContain("\tat ");
    }
  }

  private static void assertEveryOnfsFamilyHasHelp(String scrape) {
    Matcher type = Pattern.compile("(?m)^# TYPE (onfs_\\w+) ").matcher(scrape);
    int families = 0;
    while (type.find()) {
      families++;
      assertThat(scrape).as("HELP of %s", type.group(1)).containsPattern("(?m)^# HELP " + type.group(1) + " \\S");
    }
    assertThat(families).isGreaterThan(8);
  }

  private static void push(String bootstrap, String topic, Path registryFile, int users) throws Exception {
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(RegistryFiles.load(registryFile));
    try (FeaturePusher pusher = FeaturePusher.builder()
        .bootstrapServers(bootstrap).topic(topic).catalog(new RegistryCatalog(registry)).build()) {
      for (int i = 0; i < users; i++) {
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        groups.put("stats", Map.of("ctr", i / 4.0, "score", 1.5));
        groups.put("counts", Map.of("clicks", (long) i));
        pusher.push(new FeatureRow("user", List.of(Integer.toString(i)), groups));
      }
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, "user".getBytes(UTF_8), "not a query".getBytes(UTF_8))).get();
    }
  }

  /** The value of the sample {@code name{labels}} (labels as the scrape writes them, in order), or -1. */
  static double sample(String scrape, String name, String labels) {
    String prefix = labels.isEmpty() ? name + " " : name + "{" + labels;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  private static String awaitReady(int port, int status, Predicate<String> body) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = get(port, "/health/ready");
      if (last.statusCode() == status && body.test(last.body())) {
        return last.body();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("/health/ready did not answer " + status + " in time; last: "
        + (last == null ? "none" : last.statusCode() + " " + last.body()));
  }

  private static String scrape(int port) {
    HttpResponse<String> response = get(port, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static HttpResponse<String> get(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long elapsedMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static void awaitUntil(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }
}
