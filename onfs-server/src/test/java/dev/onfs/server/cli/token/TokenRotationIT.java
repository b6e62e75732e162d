package dev.onfs.server.cli.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.TokenHash;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.registry.etcd.EtcdRegistryClient;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import dev.onfs.server.OnfsServer;
import dev.onfs.server.ServerConfig;
import dev.onfs.server.ServerLauncher;
import dev.onfs.testing.EtcdServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token rotation on a running server, through {@code onfs token}: a second token is accepted beside
 * the first, and once the first is gone it is refused, with no restart; for a registry file and for
 * etcd. The registry never holds a token, only hashes.
 */
class TokenRotationIT {
  private static final String FAST = Integer.toString(TokenHash.MIN_ITERATIONS);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static final RetrieveQuery QUERY = new RetrieveQuery("user",
      List.of(new RetrieveQuery.FeatureGroup("user_stats", List.of("ctr"))), List.of("user_id"),
      List.of(RetrieveQuery.Keys.of("1")));

  /** "OK", or the status line of the failure. */
  private static String read(OnfsServer server, String caller, String token) {
    try (OnfsClient client = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
        .credentials(caller, token).maxRetries(0).build()) {
      client.retrieveDecoded(QUERY);
      return "OK";
    } catch (OnfsException e) {
      return e.getMessage();
    }
  }

  /** Waits until the server's registry watch has applied the change: {@code check} returns {@code expected}. */
  private static void await(Supplier<List<String>> check, List<String> expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> last = check.get();
    while (!last.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      last = check.get();
    }
    assertThat(last).isEqualTo(expected);
  }

  private static String token(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--hash-iterations", FAST));
    TokenCommandTest.Run run = TokenCommandTest.run(all.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out().strip();
  }

  private static void promote(String... args) {
    TokenCommandTest.Run run = TokenCommandTest.run(args);
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  private static OnfsServer launch(Map<String, String> settings) {
    Map<String, String> values = new java.util.HashMap<>(Map.of("grpc-port", "0", "http-port", "0", "shutdown-grace", "1s"));
    values.putAll(settings);
    return ServerLauncher.launch(ServerConfig.fromMap(values), new PrintWriter(new StringWriter()));
  }

  private static final String UNAUTHENTICATED = "UNAUTHENTICATED: Invalid auth token";

  @Test
  void rotationThroughARegistryFile() throws Exception {
    Path registry = dir.resolve("registry.yaml");
    Files.copy(Path.of("..", "examples", "registry", "demo-registry.yaml"), registry);
    String[] target = {"--reader", "ranker", "-f", registry.toString()};
    try (OnfsServer server = launch(Map.of("registry", "file", "registry-file", registry.toString()))) {
      assertThat(read(server, "ranker", "rtok")).isEqualTo("OK");

      String first = token("token", "create", target[0], target[1], target[2], target[3]);
      await(() -> List.of(read(server, "ranker", "rtok"), read(server, "ranker", first)), List.of(UNAUTHENTICATED, "OK"));

      String second = token("token", "create", "--next", target[0], target[1], target[2], target[3]);
      await(() -> List.of(read(server, "ranker", first), read(server, "ranker", second)), List.of("OK", "OK"));

      promote("token", "promote", target[0], target[1], target[2], target[3]);
      await(() -> List.of(read(server, "ranker", first), read(server, "ranker", second)), List.of(UNAUTHENTICATED, "OK"));

      assertThat(Files.readString(registry)).doesNotContain(first).doesNotContain(second);
    }
  }

  @Test
  void rotationThroughEtcd() throws Exception {
    String etcd = EtcdServer.shared().endpoint();
    String app = "rotate" + ProcessHandle.current().pid();
    TokenCommandTest.Run apply = TokenCommandTest.run("registry", "apply", "-f",
        Path.of("..", "examples", "registry", "demo-registry.yaml").toString(), "--etcd", etcd, "--app", app,
        "--hash-iterations", FAST);
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    String[] target = {"--writer", "user_daily_job", "--etcd", etcd, "--app", app};
    try (OnfsServer server = launch(Map.of("registry", "etcd", "etcd-endpoints", etcd, "app-name", app));
        EtcdRegistryClient client = EtcdRegistryClient.connect(EtcdRegistryConfig.builder(etcd).appName(app).build())) {
      // The tokens were applied as hashes, and the server verifies them.
      assertThat(read(server, "test", "test")).isEqualTo("OK");
      assertThat(client.readKeys().values()).noneMatch(v -> v.contains("\"rtok\"") || v.contains("\"jtok\""));

      String first = token("token", "create", target[0], target[1], target[2], target[3], target[4], target[5]);
      Supplier<List<String>> writes = () -> List.of(write(server, "jtok"), write(server, first));
      await(writes, List.of(UNAUTHENTICATED, "OK"));

      String second = token("token", "create", "--next", target[0], target[1], target[2], target[3], target[4], target[5]);
      await(() -> List.of(write(server, first), write(server, second)), List.of("OK", "OK"));

      promote("token", "promote", target[0], target[1], target[2], target[3], target[4], target[5]);
      await(() -> List.of(write(server, first), write(server, second)), List.of(UNAUTHENTICATED, "OK"));

      assertThat(client.readKeys().values()).noneMatch(v -> v.contains(first) || v.contains(second));
      assertThat(client.readKeys().get("/config/" + app + "/security/writer/user_daily_job"))
          .contains("$pbkdf2-sha256$").contains("\"feature-groups\":[\"user:user_embedding\",\"user:user_stats\"]");
    }
  }

  /** "OK", or the status line of a persist by the writer {@code user_daily_job}. */
  private static String write(OnfsServer server, String token) {
    try (OnfsClient client = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
        .credentials("user_daily_job", token).maxRetries(0).build()) {
      client.persist(new dev.onfs.core.serving.PersistQuery("user", List.of("user_id"),
          List.of(new dev.onfs.core.serving.PersistQuery.FeatureGroupSchema("user_stats", List.of("ctr", "orders_30d", "aov"))),
          List.of(new dev.onfs.core.serving.PersistQuery.Data(List.of("1"),
              List.of(dev.onfs.core.serving.Values.fp32(0.5, 1, 2))))));
      return "OK";
    } catch (OnfsException e) {
      return e.getMessage();
    }
  }
}
