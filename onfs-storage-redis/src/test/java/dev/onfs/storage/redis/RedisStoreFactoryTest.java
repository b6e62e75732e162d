package dev.onfs.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.StoreFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class RedisStoreFactoryTest {
  @Test
  void isFoundThroughServiceLoader() {
    assertThat(ServiceLoader.load(StoreFactory.class).stream().map(p -> p.get().name()))
        .contains("redis", "memory");
  }

  @Test
  void parsesEverySetting() {
    RedisStoreConfig config = RedisStoreFactory.parse(Map.ofEntries(
        Map.entry("mode", "cluster"),
        Map.entry("nodes", "10.0.0.1:7000, 10.0.0.2:7001"),
        Map.entry("user", "onfs"),
        Map.entry("password", "s3cret"),
        Map.entry("connect-timeout-ms", "300"),
        Map.entry("socket-timeout-ms", "700"),
        Map.entry("pool-max-total", "64"),
        Map.entry("pool-max-idle", "16"),
        Map.entry("pool-min-idle", "2"),
        Map.entry("pool-max-wait-ms", "50"),
        Map.entry("layout", "hash"),
        Map.entry("key-prefix", "fs:"),
        Map.entry("max-batch-size", "250"),
        Map.entry("cluster-max-attempts", "3")));

    assertThat(config.mode()).isEqualTo(RedisMode.CLUSTER);
    assertThat(config.nodes()).isEqualTo(List.of("10.0.0.1:7000", "10.0.0.2:7001"));
    assertThat(config.socketTimeout()).isEqualTo(Duration.ofMillis(700));
    assertThat(config.poolMaxTotal()).isEqualTo(64);
    assertThat(config.poolMaxIdle()).isEqualTo(16);
    assertThat(config.poolMinIdle()).isEqualTo(2);
    assertThat(config.layout()).isEqualTo(RedisLayout.HASH);
    assertThat(config.maxBatchSize()).isEqualTo(250);
    assertThat(config.toString()).doesNotContain("s3cret");
  }

  @Test
  void parsesTlsAndPasswordFileSettings(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path password = dir.resolve("pw");
    java.nio.file.Files.writeString(password, "from-file\n");
    RedisStoreConfig config = RedisStoreFactory.parse(Map.of(
        "nodes", "h:1",
        "password-file", password.toString(),
        "tls-ca-file", "/etc/onfs/ca.pem",
        "tls-cert-file", "/etc/onfs/client.pem",
        "tls-key-file", "/etc/onfs/client-key.pem"));
    assertThat(config.password()).isEqualTo("from-file");
    assertThat(config.tls()).isEqualTo(new dev.onfs.core.backend.ClientTls(java.nio.file.Path.of("/etc/onfs/ca.pem"),
        java.nio.file.Path.of("/etc/onfs/client.pem"), java.nio.file.Path.of("/etc/onfs/client-key.pem")));
    assertThat(config.toString()).doesNotContain("from-file").contains("tls=ClientTls[caFile=/etc/onfs/ca.pem");
    assertThat(RedisStoreFactory.parse(Map.of("nodes", "h:1", "tls", "true")).tls())
        .isEqualTo(dev.onfs.core.backend.ClientTls.systemTrust());
    assertThat(RedisStoreFactory.parse(Map.of("nodes", "h:1")).tls()).isNull();
    assertInvalid(Map.of("nodes", "h:1", "password", "a", "password-file", password.toString()),
        "redis store: give password or password-file, not both");
    assertInvalid(Map.of("nodes", "h:1", "tls-cert-file", "/c.pem"), "redis store: tls-cert-file is set without tls-key-file");
    assertInvalid(Map.of("nodes", "h:1", "tls", "false", "tls-ca-file", "/ca.pem"), "tls is false but tls-ca-file is set");
  }

  @Test
  void rejectsBadSettingsNamingThem() {
    assertInvalid(Map.of("nodes", "h:1", "colour", "red"), "colour");
    assertInvalid(Map.of("nodes", "no-port"), "no-port");
    assertInvalid(Map.of("nodes", "h:1", "layout", "columnar"), "layout");
    assertInvalid(Map.of("nodes", "h:1", "mode", "sentinel"), "masterName");
    assertInvalid(Map.of("nodes", "h:1,h:2"), "exactly one node");
    assertInvalid(Map.of(), "nodes is empty");
  }

  private static void assertInvalid(Map<String, String> settings, String message) {
    assertThatThrownBy(() -> RedisStoreFactory.parse(settings))
        .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining(message);
  }

  @Test
  void ttlFollowsTheLongestBlockAndNeverMeansNone() {
    long now = 1_800_000_000L;
    var shortBlock = dev.onfs.core.storage.testing.TestBlocks.block(
        dev.onfs.core.storage.EntityKey.of("k"), 1, 1, 8, now + 10, now);
    var longBlock = dev.onfs.core.storage.testing.TestBlocks.block(
        dev.onfs.core.storage.EntityKey.of("k"), 2, 1, 8, now + 100, now);
    var forever = dev.onfs.core.storage.testing.TestBlocks.block(dev.onfs.core.storage.EntityKey.of("k"), 3, 1, 8);

    assertThat(RedisStore.ttlMillis(List.of(shortBlock, longBlock), now * 1000)).isEqualTo(101_000);
    assertThat(RedisStore.ttlMillis(List.of(shortBlock, forever), now * 1000)).isZero();
  }
}
