package dev.onfs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.Limits;
import dev.onfs.core.serving.PartialPersist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir Path dir;

  @Test
  void defaults() {
    ServerConfig config = ServerConfig.defaults();
    assertThat(config.grpcPort()).isEqualTo(8089);
    assertThat(config.httpPort()).isEqualTo(8090);
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.loopbackOnly()).isTrue();
    assertThat(config.authReadersMayPersist()).isFalse();
    assertThat(config.maxInboundMessageBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.store()).isEqualTo("memory");
    assertThat(config.storeSettings()).isEmpty();
    assertThat(config.registry()).isEqualTo("file");
    assertThat(config.appName()).isEqualTo("onfs");
    assertThat(config.nearCacheBytes()).isZero();
    assertThat(config.demo()).isFalse();
    assertThat(config.grpcExecutor()).isEqualTo(ServerConfig.EXECUTOR_POOL);
    assertThat(ServerConfig.fromMap(Map.of("grpc-executor", "direct")).grpcExecutor()).isEqualTo("direct");
    assertThat(config.grpcEventLoopThreads()).isZero();
    assertThat(ServerConfig.fromMap(Map.of("grpc-event-loop-threads", "8")).grpcEventLoopThreads()).isEqualTo(8);
    assertThat(config.partialPersist()).isEqualTo(PartialPersist.MERGE);
    assertThat(ServerConfig.fromMap(Map.of("partial-persist", "reset")).partialPersist()).isEqualTo(PartialPersist.RESET);
    assertThat(config.readyStoreTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(ServerConfig.fromMap(Map.of("ready-store-timeout", "2s")).readyStoreTimeout())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(config.grpcCallThreads()).isEqualTo(32);
    assertThat(config.maxConcurrentCalls()).isEqualTo(128);
    assertThat(config.maxConcurrentCallsPerCaller()).isZero();
    assertThat(config.limits()).isEqualTo(Limits.defaults());
  }

  @Test
  void limitOptionsSetTheCoreLimits() {
    ServerConfig config = ServerConfig.fromMap(Map.of("max-keys-per-request", "500", "max-key-bytes", "64",
        "max-feature-groups-per-request", "7", "max-features-per-request", "90", "max-cells-per-request", "20000",
        "grpc-call-threads", "8", "max-concurrent-calls", "40", "max-concurrent-calls-per-caller", "10"));
    assertThat(config.limits()).isEqualTo(new Limits(500, 64, 7, 90, 20_000));
    assertThat(config.grpcCallThreads()).isEqualTo(8);
    assertThat(config.maxConcurrentCalls()).isEqualTo(40);
    assertThat(config.maxConcurrentCallsPerCaller()).isEqualTo(10);
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("max-keys-per-request", "0")))
        .hasMessage("option 'max-keys-per-request' must be positive, got 0");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("max-cells-per-request", "0")))
        .hasMessage("option 'max-cells-per-request' must be positive, got 0");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("grpc-call-threads", "0")))
        .hasMessage("option 'grpc-call-threads' must be 1..4096, got 0");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("max-concurrent-calls", "-5")))
        .hasMessage("option 'max-concurrent-calls' must be positive, got -5");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("max-concurrent-calls-per-caller", "-1")))
        .hasMessage("option 'max-concurrent-calls-per-caller' must not be negative, got -1");
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFile() throws Exception {
    Path file = dir.resolve("onfs.yaml");
    Files.writeString(file, "grpc-port: 9000\nhttp-port: 9001\nshutdown-grace: 500ms\n"
        + "store: redis\nstore-settings:\n  host: cache.local\n  port: 6380\n");
    ServerConfig config = ServerConfig.load(file,
        Map.of("ONFS_HTTP_PORT", "9101", "ONFS_STORE_SETTINGS__PORT", "7000", "HOME", "/root"),
        Map.of("grpc-port", "9200"));
    assertThat(config.grpcPort()).isEqualTo(9200);
    assertThat(config.httpPort()).isEqualTo(9101);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.store()).isEqualTo("redis");
    assertThat(config.storeSettings()).containsExactlyInAnyOrderEntriesOf(Map.of("host", "cache.local", "port", "7000"));
  }

  @Test
  void environmentNamesMapToOptionNames() {
    assertThat(ServerConfig.fromEnvironment(Map.of("ONFS_MAX_INBOUND_MESSAGE_SIZE", "1", "ONFS_STORE_SETTINGS__KEY_PREFIX", "x",
        "PATH", "/bin"))).containsExactlyInAnyOrderEntriesOf(
            Map.of("max-inbound-message-size", "1", "store-settings.key-prefix", "x"));
  }

  @Test
  void badValuesNameTheOption() {
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("grpc-port", "http")))
        .isInstanceOf(OnfsException.class).hasMessage("option 'grpc-port' must be an integer, got 'http'");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("http-port", "70000")))
        .hasMessage("option 'http-port' must be a port between 0 and 65535, got 70000");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("registry", "zookeeper")))
        .hasMessage("option 'registry' must be one of file, etcd, got 'zookeeper'");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("shutdown-grace", "soon")))
        .hasMessageContaining("option 'shutdown-grace' must be a duration");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("grcp-port", "1")))
        .hasMessage("unknown option 'grcp-port'");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("demo", "yes")))
        .hasMessage("option 'demo' must be true or false, got 'yes'");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("grpc-executor", "inline")))
        .hasMessage("option 'grpc-executor' must be one of direct, pool, got 'inline'");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("grpc-event-loop-threads", "-1")))
        .hasMessage("option 'grpc-event-loop-threads' must be 0..1024, got -1");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("grpc-event-loop-threads", "many")))
        .hasMessage("option 'grpc-event-loop-threads' must be an integer, got 'many'");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("ready-store-timeout", "0ms")))
        .hasMessage("option 'ready-store-timeout' must be positive, got PT0S");
    assertThatThrownBy(() -> ServerConfig.fromMap(Map.of("partial-persist", "keep")))
        .hasMessage("option 'partial-persist' must be one of merge, reset, got 'keep'");
  }

  @Test
  void everyOptionIsDocumentedOnce() {
    assertThat(ServerConfig.OPTIONS).extracting(option -> option.name()).doesNotHaveDuplicates();
    assertThat(ServerConfig.OPTIONS).allSatisfy(option -> assertThat(option.description()).isNotBlank());
  }

  @Test
  void etcdAccessOptionsAndNoPasswordInToString() {
    ServerConfig config = ServerConfig.fromMap(Map.of(
        "registry", "etcd",
        "etcd-endpoints", "etcd:2379",
        "etcd-user", "onfs",
        "etcd-password", "etcd-secret",
        "etcd-tls-ca-file", "/etc/onfs/ca.pem",
        "store-settings.password", "store-secret",
        "store-settings.password-file", "/run/secrets/redis"));
    assertThat(config.etcdAccess()).isEqualTo(new EtcdRegistries.Access("onfs", "etcd-secret", null,
        "/etc/onfs/ca.pem", null, null));
    assertThat(config.toString()).doesNotContain("etcd-secret").doesNotContain("store-secret")
        .contains("password-file=/run/secrets/redis");
    dev.onfs.registry.etcd.EtcdRegistryConfig etcd =
        EtcdRegistries.config(config.etcdEndpoints(), config.appName(), config.etcdAccess());
    assertThat(etcd.endpoints()).containsExactly("https://etcd:2379");
    assertThat(etcd.tls()).isEqualTo(new dev.onfs.core.backend.ClientTls(java.nio.file.Path.of("/etc/onfs/ca.pem"), null, null));
    assertThatThrownBy(() -> EtcdRegistries.config("etcd:2379", "onfs",
        new EtcdRegistries.Access(null, "p", null, null, null, null)))
        .hasMessage("option 'etcd-password' is set without 'etcd-user'");
    assertThatThrownBy(() -> EtcdRegistries.config("http://etcd:2379", "onfs",
        new EtcdRegistries.Access(null, null, null, "/ca.pem", null, null)))
        .hasMessage("etcd endpoint http://etcd:2379 is not https:// but TLS is configured");
  }

  @Test
  void listensOnLoopbackUnlessToldOtherwise() {
    assertThat(ServerConfig.defaults().loopbackOnly()).isTrue();
    assertThat(ServerConfig.fromMap(Map.of("bind-address", "::1")).loopbackOnly()).isTrue();
    assertThat(ServerConfig.fromMap(Map.of("bind-address", "0.0.0.0")).loopbackOnly()).isFalse();
    assertThat(ServerConfig.fromMap(Map.of("auth-readers-may-persist", "true")).authReadersMayPersist()).isTrue();
  }

  @Test
  void toStringMasksSecretStoreSettings() {
    ServerConfig config = ServerConfig.fromMap(Map.of("store", "redis", "store-settings.password", "hunter2",
        "store-settings.user", "onfs", "store-settings.tls-key-passphrase", "pass-phrase-1", "store-settings.nodes", "r:6379"));
    assertThat(config.toString()).doesNotContain("hunter2").doesNotContain("pass-phrase-1")
        .contains("password=****").contains("user=onfs").contains("nodes=r:6379");
  }

  @Test
  void theControlPlanesSessionSecretIsNeverShown() {
    ServerConfig config = ServerConfig.fromMap(Map.of("control-plane", "true",
        "control-plane-session-secret", "0123456789abcdef0123456789abcdef-secret"));
    assertThat(config.controlPlane().enabled()).isTrue();
    assertThat(config.controlPlane().store()).isEqualTo("dir");
    assertThat(config.toString()).doesNotContain("-secret").contains("sessionSecret=(hidden)");
    assertThat(ServerConfig.defaults().controlPlane().enabled()).isFalse();
  }
}
