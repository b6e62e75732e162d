package dev.onfs.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.server.OnfsCommand;
import dev.onfs.testing.EtcdServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code onfs serve --registry etcd} starts on a tree where one feature group has a feature label the
 * reference's control plane accepted but we cannot serve ({@code avg price}): the rest serves, the
 * bad group answers FAILED_PRECONDITION naming the problem, and the quarantine shows in /metrics.
 */
class ServeEtcdQuarantineIT {
  private static final String DEMO = Path.of("..", "examples", "registry", "demo-registry.yaml").toString();

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void serveStartsWithABadFeatureLabelInEtcdAndServesTheRest() throws Exception {
    String etcd = EtcdServer.shared().endpoint();
    String app = "serve" + ProcessHandle.current().pid();
    assertThat(OnfsCommand.commandLine().execute("registry", "apply", "-f", DEMO, "--etcd", etcd, "--app", app))
        .isZero();
    // What the reference's control plane writes for a group created with feature "avg price".
    String p = "/config/" + app + "/entities/user/feature-groups/prices";
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put(p + "/id", "900");
    bad.put(p + "/store-id", "1");
    bad.put(p + "/data-type", "DataTypeFP32");
    bad.put(p + "/active-version", "1");
    bad.put(p + "/layout-version", "1");
    bad.put(p + "/columns/seg_900/label", "seg_900");
    bad.put(p + "/columns/seg_900/current-size-in-bytes", "13");
    bad.put(p + "/features/1/labels", "avg price");
    bad.put(p + "/features/1/feature-meta",
        "{\"avg price\":{\"sequence\":0,\"default-value\":\"AAAAAA==\",\"string-length\":0,\"vector-length\":0}}");
    try (Client client = Client.builder().endpoints(etcd).build()) {
      for (Map.Entry<String, String> e : bad.entrySet()) {
        client.getKVClient().put(ByteSequence.from(e.getKey(), StandardCharsets.UTF_8),
            ByteSequence.from(e.getValue(), StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
      }
    }

    int grpcPort = freePort();
    int httpPort = freePort();
    CommandLine serve = OnfsCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    serve.setOut(new PrintWriter(out, true));
    serve.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(() -> serve.execute("serve",
        "--registry", "etcd", "--etcd-endpoints", etcd, "--store", "memory",
        "--grpc-port", Integer.toString(grpcPort), "--http-port", Integer.toString(httpPort),
        "--set", "app-name=" + app, "--set", "bind-address=127.0.0.1", "--set", "shutdown-grace=1s"));
    ServeCommand command = serve.getSubcommands().get("serve").getCommand();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (command.running == null && !serving.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(serving).as("serve exited early: %s %s", out, err).isNotDone();
    assertThat(command.running).as("server did not start").isNotNull();
    try (OnfsClient client = OnfsClient.builder().target("127.0.0.1:" + grpcPort).plaintext()
        .credentials("test", "test").deadline(Duration.ofSeconds(10)).maxRetries(0).build()) {
      RetrieveQuery stats = new RetrieveQuery("user",
          List.of(new RetrieveQuery.FeatureGroup("user_stats", List.of("ctr", "aov"))),
          List.of("user_id"), List.of(RetrieveQuery.Keys.of("1")));
      assertThat(client.retrieveDecoded(stats).rows()).singleElement()
          .satisfies(row -> assertThat(row.columns()).containsExactly("0", "1"));

      RetrieveQuery prices = new RetrieveQuery("user",
          List.of(new RetrieveQuery.FeatureGroup("prices", List.of("avg price"))),
          List.of("user_id"), List.of(RetrieveQuery.Keys.of("1")));
      assertThatThrownBy(() -> client.retrieve(prices))
          .isInstanceOf(OnfsException.class)
          .hasMessageStartingWith("FAILED_PRECONDITION: feature group 'prices' of entity 'user' is quarantined")
          .hasMessageContaining(p + "/features/1/feature-meta: feature label 'avg price' contains a whitespace");

      String metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("onfs_registry_quarantined_feature_groups 1.0")
          .contains("onfs_registry_reload_failures_total{source=\"etcd\"} 0.0");
    } finally {
      command.stop.countDown();
      assertThat(serving.get(30, TimeUnit.SECONDS)).isZero();
    }
  }
}
