package dev.onfs.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.backend.ClientTls;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.testing.WorkedExample;
import dev.onfs.testing.EtcdServer;
import dev.onfs.testing.TestCertificates;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry against an etcd that serves only TLS, asks for client certificates and has auth on. */
class EtcdTlsIT {
  private static final String PASSWORD = "r00t-pw";

  @TempDir static Path dir;
  static TestCertificates certs;
  static EtcdServer etcd;

  @BeforeAll
  static void start() {
    certs = TestCertificates.create(dir.resolve("certs"));
    etcd = EtcdServer.start(EtcdServer.Options.builder().tls(certs).tlsClientAuth(true).rootPassword(PASSWORD).build());
  }

  @AfterAll
  static void stop() {
    if (etcd != null) {
      etcd.close();
    }
  }

  private static ClientTls clientTls() {
    return new ClientTls(certs.caFile(), certs.client().certificateFile(), certs.client().keyFile());
  }

  private static EtcdRegistryConfig.Builder config(String endpoints, String app) {
    return EtcdRegistryConfig.builder(endpoints).appName(app)
        .settleDelay(Duration.ofMillis(50)).connectTimeout(Duration.ofSeconds(3));
  }

  @Test
  void opensAndWatchesTheRegistryOverTlsAsTheEtcdUser() throws Exception {
    String app = "tls_open";
    EtcdRegistryConfig config = config(etcd.endpoint(), app).credentials("root", PASSWORD).tls(clientTls()).build();
    assertThat(config.toString()).doesNotContain(PASSWORD).contains("password=****");
    try (Client writer = Client.builder().endpoints(etcd.endpoint())
        .sslContext(b -> b.trustManager(certs.caFile().toFile())
            .keyManager(certs.client().certificateFile().toFile(), certs.client().keyFile().toFile()))
        .user(bytes("root")).password(bytes(PASSWORD)).build()) {
      put(writer, app, WorkedExampleTree.load());
      try (EtcdFeatureRegistry registry = EtcdFeatureRegistry.start(config)) {
        assertThat(registry.snapshot()).isEqualTo(WorkedExample.snapshot());
        put(writer, app, WorkedExampleTree.followUp1());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        RegistrySnapshot seen = registry.snapshot();
        while (seen.featureGroup("user", "user_stats").activeVersion() != 2 && System.nanoTime() < deadline) {
          Thread.sleep(20);
          seen = registry.snapshot();
        }
        assertThat(seen).isEqualTo(WorkedExample.afterAddingAov());
      }
    }
  }

  @Test
  void schemelessEndpointsGetHttpsWhenTlsIsSet() {
    EtcdRegistryConfig config = config(etcd.endpoint().substring("https://".length()), "x")
        .credentials("root", PASSWORD).tls(clientTls()).build();
    assertThat(config.endpoints()).containsExactly(etcd.endpoint());
  }

  @Test
  void wrongCaFailsNamingTheTlsHandshake() {
    EtcdRegistryConfig config = config(etcd.endpoint(), "tls_wrong_ca").credentials("root", PASSWORD)
        .tls(new ClientTls(certs.otherCa().certificateFile(), certs.client().certificateFile(),
            certs.client().keyFile()))
        .build();
    assertThat(failure(config).getMessage()).contains("TLS handshake failed", "certification path");
  }

  @Test
  void expiredServerCertificateFailsNamingTheExpiry() {
    try (EtcdServer expired = EtcdServer.start(EtcdServer.Options.builder()
        .tls(certs, certs.expiredServer()).build())) {
      EtcdRegistryConfig config = config(expired.endpoint(), "tls_expired").tls(clientTls()).build();
      assertThat(failure(config).getMessage()).contains("TLS handshake failed", "server certificate expired");
    }
  }

  @Test
  void plaintextClientAgainstTheTlsPortFailsSayingTlsMayBeNeeded() {
    String plain = etcd.endpoint().replace("https://", "http://");
    EtcdRegistryConfig config = config(plain, "tls_plain").credentials("root", PASSWORD).build();
    assertThat(failure(config).getMessage()).contains("use https:// endpoints");
  }

  @Test
  void wrongPasswordFailsAuthenticationWithoutPrintingIt() {
    EtcdRegistryConfig config = config(etcd.endpoint(), "tls_wrong_pw").credentials("root", "not-the-password")
        .tls(clientTls()).build();
    assertThat(failure(config).getMessage())
        .contains("authentication failed", "user 'root'")
        .doesNotContain("not-the-password");
  }

  private static OnfsException failure(EtcdRegistryConfig config) {
    Throwable thrown = catchThrowable(() -> EtcdFeatureRegistry.start(config).close());
    assertThat(thrown).isInstanceOf(OnfsException.class);
    OnfsException e = (OnfsException) thrown;
    assertThat(e.code()).isEqualTo(ErrorCode.REGISTRY_UNAVAILABLE);
    return e;
  }

  private static void put(Client client, String app, Map<String, String> keys) throws Exception {
    for (Map.Entry<String, String> e : keys.entrySet()) {
      client.getKVClient().put(bytes(e.getKey().replace("/config/onfs", "/config/" + app)), bytes(e.getValue()))
          .get(10, TimeUnit.SECONDS);
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
