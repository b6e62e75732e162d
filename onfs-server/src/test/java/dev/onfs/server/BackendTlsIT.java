package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.client.OnfsClient;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.testing.EtcdServer;
import dev.onfs.testing.RedisServer;
import dev.onfs.testing.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onfs registry apply} and {@code serve}'s configuration against a TLS-only Redis with an ACL
 * user and an etcd with TLS, client certificates and authentication: the registry is published over
 * TLS, the server reads and watches it, and rows go through the TLS Redis.
 */
class BackendTlsIT {
  private static final String DEMO = Path.of("..", "examples", "registry", "demo-registry.yaml").toString();

  @TempDir Path dir;

  @Test
  void serveReadsEtcdAndWritesRedisOverTlsWithCredentialsFromFilesAndTheEnvironment() throws Exception {
    TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
    Path etcdPassword = dir.resolve("etcd-password");
    Files.writeString(etcdPassword, "r00t-pw\n");
    try (RedisServer redis = RedisServer.start(RedisServer.Options.builder()
            .tls(certs).tlsClientAuth(true).user("onfs", "redis-pw").build());
        EtcdServer etcd = EtcdServer.start(EtcdServer.Options.builder()
            .tls(certs).tlsClientAuth(true).rootPassword("r00t-pw").build())) {
      StringWriter err = new StringWriter();
      picocli.CommandLine cli = OnfsCommand.commandLine().setErr(new PrintWriter(err, true))
          .setOut(new PrintWriter(new StringWriter(), true));
      int applied = cli.execute("registry", "apply", "-f", DEMO,
          "--etcd", etcd.endpoint(), "--app", "tls_demo", "--etcd-user", "root",
          "--etcd-password-file", etcdPassword.toString(),
          "--etcd-tls-ca-file", certs.caFile().toString(),
          "--etcd-tls-cert-file", certs.client().certificateFile().toString(),
          "--etcd-tls-key-file", certs.client().keyFile().toString());
      assertThat(applied).as(err.toString()).isZero();

      Path yaml = dir.resolve("onfs.yaml");
      Files.writeString(yaml, String.join("\n",
          "bind-address: 127.0.0.1",
          "grpc-port: 0",
          "http-port: 0",
          "shutdown-grace: 2s",
          "store: redis",
          "store-settings:",
          "  nodes: 127.0.0.1:" + redis.port(),
          "  user: onfs",
          "  tls-ca-file: " + certs.caFile(),
          "  tls-cert-file: " + certs.client().certificateFile(),
          "  tls-key-file: " + certs.client().keyFile(),
          "registry: etcd",
          // no scheme: the TLS settings make it https://
          "etcd-endpoints: 127.0.0.1:" + etcd.port(),
          "app-name: tls_demo",
          "etcd-user: root",
          "etcd-password-file: " + etcdPassword,
          "etcd-tls-ca-file: " + certs.caFile(),
          "etcd-tls-cert-file: " + certs.client().certificateFile(),
          "etcd-tls-key-file: " + certs.client().keyFile(),
          ""));
      ServerConfig config = ServerConfig.load(yaml, Map.of("ONFS_STORE_SETTINGS__PASSWORD", "redis-pw"), Map.of());
      assertThat(config.toString()).doesNotContain("redis-pw");

      RegistrySnapshot registry = RegistryFiles.load(Path.of(DEMO));
      try (OnfsServer server = ServerLauncher.launch(config, new PrintWriter(new StringWriter()));
          OnfsClient client = OnfsClient.builder().target("127.0.0.1:" + server.grpcPort()).plaintext()
              .credentials("test", "test").maxRetries(1).retryBackoff(Duration.ofMillis(10)).build()) {
        for (PersistQuery query : DemoData.sampleRows(registry)) {
          client.persist(query);
        }
        RetrieveQuery query = new RetrieveQuery("user",
            List.of(new RetrieveQuery.FeatureGroup("user_stats", List.of("ctr", "orders_30d"))), List.of("user_id"),
            List.of(RetrieveQuery.Keys.of("1"), RetrieveQuery.Keys.of("2")));
        DecodedResult stored = client.retrieveDecoded(query);
        assertThat(stored.rows()).hasSize(2);
        // The rows came from Redis: once it is emptied, the registry's defaults come back instead.
        redis.flushAll();
        assertThat(client.retrieveDecoded(query).rows()).isNotEqualTo(stored.rows());
      }
    }
  }

  @Test
  void aWrongEtcdPasswordStopsServeWithTheReason() throws Exception {
    TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
    try (EtcdServer etcd = EtcdServer.start(EtcdServer.Options.builder().tls(certs).rootPassword("r00t-pw").build())) {
      ServerConfig config = ServerConfig.fromMap(Map.of("grpc-port", "0", "http-port", "0", "registry", "etcd",
          "etcd-endpoints", etcd.endpoint(), "etcd-user", "root", "etcd-password", "wrong-pw",
          "etcd-tls-ca-file", certs.caFile().toString()));
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
          () -> ServerLauncher.launch(config, new PrintWriter(new StringWriter())).close());
      assertThat(thrown).hasMessageContaining("authentication failed for user 'root'").hasMessageNotContaining("wrong-pw");
    }
  }
}
