package dev.onfs.storage.scylla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.StoreFactory;
import dev.onfs.core.storage.testing.TestBlocks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ScyllaStoreTest {
  @Test
  void splitsIntoColumnSizedPiecesWithTheRemainderInTheLastColumn() {
    ByteRange block = ByteRange.of(new byte[2500]);

    assertThat(ScyllaStore.segments(block, 3, 1024)).extracting(ByteRange::length).containsExactly(1024, 1024, 452);
    assertThat(ScyllaStore.segments(block, 2, 1024)).extracting(ByteRange::length).containsExactly(1024, 1476);
    assertThat(ScyllaStore.segments(ByteRange.of(new byte[10]), 3, 1024))
        .extracting(ByteRange::length)
        .containsExactly(10, 0, 0);
  }

  @Test
  void ttlReachesTheLongestExpiryAndNeverMeansTableDefault() {
    long now = 1_800_000_000L;
    EntityKey key = EntityKey.of("k");
    ByteRange a = TestBlocks.block(key, 1, 1, 8, now + 10, now);
    ByteRange b = TestBlocks.block(key, 2, 1, 8, now + 100, now);

    assertThat(ScyllaStore.ttlSeconds(List.of(a, b), now * 1000)).isEqualTo(101);
    assertThat(ScyllaStore.ttlSeconds(List.of(a, TestBlocks.block(key, 3, 1, 8)), now * 1000)).isZero();
  }

  @Test
  void factoryParsesSettingsAndIsDiscoverable() {
    assertThat(ServiceLoader.load(StoreFactory.class).stream().map(p -> p.get().name())).contains("scylla");

    ScyllaStoreConfig config = ScyllaStoreFactory.parse(Map.of(
        "contact-points", "10.0.0.1:9042,10.0.0.2:9042",
        "local-datacenter", "dc2",
        "read-consistency", "one",
        "write-consistency", "local_quorum",
        "request-timeout-ms", "150",
        "username", "onfs",
        "password", "pw",
        "block-ttl", "false",
        "keyspace", "onfs"));

    assertThat(config.contactPoints()).hasSize(2);
    assertThat(config.keyspace()).isEqualTo("onfs");
    assertThat(config.readConsistency()).isEqualTo(DefaultConsistencyLevel.ONE);
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(150));
    assertThat(config.blockTtl()).isFalse();
    assertThat(config.toString()).doesNotContain("pw,").contains("****");
  }

  @Test
  void factoryParsesTlsAndPasswordFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path password = dir.resolve("pw");
    java.nio.file.Files.writeString(password, "from-file\n");
    ScyllaStoreConfig config = ScyllaStoreFactory.parse(Map.of(
        "contact-points", "h:9042",
        "username", "onfs",
        "password-file", password.toString(),
        "tls-ca-file", "/etc/onfs/ca.pem"));
    assertThat(config.password()).isEqualTo("from-file");
    assertThat(config.tls()).isEqualTo(new dev.onfs.core.backend.ClientTls(java.nio.file.Path.of("/etc/onfs/ca.pem"), null, null));
    assertThat(config.toString()).doesNotContain("from-file");
    assertInvalid(Map.of("contact-points", "h:9042", "tls-key-file", "/k.pem"),
        "scylla store: tls-key-file is set without tls-cert-file");
    assertInvalid(Map.of("contact-points", "h:9042", "username", "u", "password", "p", "password-file", "/pw"),
        "give password or password-file, not both");
  }

  @Test
  void factoryRejectsBadSettingsNamingThem() {
    assertInvalid(Map.of("contact-points", "h:1", "colour", "red"), "colour");
    assertInvalid(Map.of("contact-points", "h:1", "read-consistency", "most"), "most");
    assertInvalid(Map.of("contact-points", "h:1", "username", "u"), "both");
    assertInvalid(Map.of(), "contactPoints is empty");
    assertInvalid(Map.of("contact-points", "h:1", "keyspace", "onfs; DROP"), "keyspace 'onfs; DROP'");
  }

  private static void assertInvalid(Map<String, String> settings, String message) {
    assertThatThrownBy(() -> ScyllaStoreFactory.parse(settings))
        .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining(message);
  }
}
