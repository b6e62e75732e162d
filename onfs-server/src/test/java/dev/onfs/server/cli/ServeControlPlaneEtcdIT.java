package dev.onfs.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onfs.client.OnfsClient;
import dev.onfs.controlplane.ControlPlane;
import dev.onfs.controlplane.users.Role;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import dev.onfs.server.OnfsCommand;
import dev.onfs.testing.EtcdServer;
import dev.onfs.testing.RedisServer;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The control plane hosted by {@code serve --registry etcd} over real etcd and Redis: an editor submits
 * a new feature group over HTTP, an admin approves it, and the same running server serves it (through
 * its etcd watch, no restart) once rows are persisted. A breaking edit is refused naming the change.
 */
class ServeControlPlaneEtcdIT {
  private static final String DEMO = Path.of("..", "examples", "registry", "demo-registry.yaml").toString();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "a-long-password-1";
  private final HttpClient http = HttpClient.newHttpClient();

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private HttpResponse<String> post(String url, String session, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      request.header("Authorization", "Bearer " + session);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String login(String api, String user) throws Exception {
    HttpResponse<String> r = post(api + "login", null, "{\"name\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("token").asText();
  }

  @Test
  void anApprovedFeatureGroupIsServedThroughTheEtcdWatch() throws Exception {
    String etcd = EtcdServer.shared().endpoint();
    RedisServer redis = RedisServer.shared();
    String app = "cpapi" + ProcessHandle.current().pid();
    assertThat(OnfsCommand.commandLine().execute("registry", "apply", "-f", DEMO, "--etcd", etcd, "--app", app)).isZero();
    byte[] secretBytes = new byte[32];
    new SecureRandom().nextBytes(secretBytes);
    String secret = Base64.getEncoder().encodeToString(secretBytes);
    // The first admin and the users, as a setup step would create them.
    try (ControlPlane setup = ControlPlane.builder().etcd(EtcdRegistryConfig.builder(etcd).appName(app).build())
        .sessionSecret(secret.getBytes(StandardCharsets.UTF_8)).build()) {
      setup.bootstrapAdmin("root", PASSWORD.toCharArray());
      String root = setup.login("root", PASSWORD.toCharArray(), null).token();
      setup.createUser(root, "ada", Role.ADMIN, PASSWORD.toCharArray());
      setup.createUser(root, "ed", Role.EDITOR, PASSWORD.toCharArray());
    }

    int grpcPort = freePort();
    int httpPort = freePort();
    CommandLine serve = OnfsCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    serve.setOut(new PrintWriter(out, true));
    serve.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(() -> serve.execute("serve",
        "--registry", "etcd", "--etcd-endpoints", etcd, "--store", "redis",
        "--grpc-port", Integer.toString(grpcPort), "--http-port", Integer.toString(httpPort),
        "--set", "store-settings.mode=standalone", "--set", "store-settings.nodes=" + redis.host() + ":" + redis.port(),
        "--set", "control-plane=true", "--set", "control-plane-store=etcd",
        "--set", "control-plane-session-secret=" + secret,
        "--set", "app-name=" + app, "--set", "bind-address=127.0.0.1", "--set", "shutdown-grace=1s"));
    ServeCommand command = serve.getSubcommands().get("serve").getCommand();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (command.running == null && !serving.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(command.running).as("server did not start: %s %s", out, err).isNotNull();
    assertThat(out.toString()).doesNotContain(secret);
    String api = "http://127.0.0.1:" + httpPort + "/api/";
    try (OnfsClient client = OnfsClient.builder().target("127.0.0.1:" + grpcPort).plaintext()
        .credentials("test", "test").deadline(Duration.ofSeconds(10)).maxRetries(0).build()) {
      String ed = login(api, "ed");
      String ada = login(api, "ada");

      HttpResponse<String> breaking = post(api + "requests", ed, "{\"kind\":\"edit-feature-group\",\"payload\":"
          + "{\"entity\":\"user\",\"feature-group\":\"user_stats\",\"data-type\":\"FP64\"}}");
      assertThat(breaking.statusCode()).isEqualTo(422);
      assertThat(breaking.body()).contains("FP32 -> FP64");

      HttpResponse<String> submitted = post(api + "requests", ed, "{\"kind\":\"create-feature-group\",\"payload\":{"
          + "\"entity\":\"user\",\"feature-group\":\"user_clicks\",\"data-type\":\"FP32\",\"store-id\":\"1\","
          + "\"ttl-in-seconds\":0,\"job-id\":\"user_daily_job\",\"layout-version\":1,"
          + "\"features\":[{\"label\":\"clicks\",\"default-value\":\"0\"}]}}");
      assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
      long id = JSON.readTree(submitted.body()).path("id").asLong();
      HttpResponse<String> approved = post(api + "requests/" + id + "/approve", ada, "{}");
      assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

      PersistQuery rows = new PersistQuery("user", List.of("user_id"),
          List.of(new PersistQuery.FeatureGroupSchema("user_clicks", List.of("clicks"))),
          List.of(new PersistQuery.Data(List.of("501"), List.of(Values.fp32(42)))));
      RetrieveQuery query = new RetrieveQuery("user",
          List.of(new RetrieveQuery.FeatureGroup("user_clicks", List.of("clicks"))),
          List.of("user_id"), List.of(RetrieveQuery.Keys.of("501")));
      // The watch delivers the approval within moments; until then the group is unknown.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      boolean persisted = false;
      while (!persisted && System.nanoTime() < until) {
        try {
          client.persist(rows);
          persisted = true;
        } catch (RuntimeException notYet) {
          Thread.sleep(100);
        }
      }
      assertThat(persisted).as("the approved group was never served").isTrue();
      assertThat(client.retrieveDecoded(query).rows()).singleElement()
          .satisfies(row -> assertThat(row.columns()).containsExactly("42"));
    } finally {
      command.stop.countDown();
      assertThat(serving.get(30, TimeUnit.SECONDS)).isZero();
    }
  }
}
