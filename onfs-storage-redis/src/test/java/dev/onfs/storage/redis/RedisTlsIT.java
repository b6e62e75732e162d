package dev.onfs.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.testing.TestBlocks;
import dev.onfs.testing.RedisServer;
import dev.onfs.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store against a TLS-only Redis that requires a client certificate and an ACL user. */
class RedisTlsIT {
  private static final StoreTable USER = new StoreTable("user", "1", "", "", List.of("user_id"));
  private static final EntityKey KEY = EntityKey.of("42");

  @TempDir static Path dir;
  static TestCertificates certs;
  static RedisServer redis;
  static Path passwordFile;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir.resolve("certs"));
    redis = RedisServer.start(RedisServer.Options.builder()
        .tls(certs).tlsClientAuth(true).user("onfs", "s3cret").build());
    passwordFile = dir.resolve("redis-password");
    Files.writeString(passwordFile, "s3cret\n");
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  /** The settings a deployment gives: CA, client certificate, user and a password file. */
  private static Map<String, String> settings(int port) {
    Map<String, String> settings = new HashMap<>();
    settings.put("nodes", "127.0.0.1:" + port);
    settings.put("tls-ca-file", certs.caFile().toString());
    settings.put("tls-cert-file", certs.client().certificateFile().toString());
    settings.put("tls-key-file", certs.client().keyFile().toString());
    settings.put("user", "onfs");
    settings.put("password-file", passwordFile.toString());
    settings.put("connect-timeout-ms", "5000");
    settings.put("socket-timeout-ms", "5000");
    return settings;
  }

  @Test
  void writesAndReadsOverTlsAsTheAclUser() {
    try (RedisStore store = RedisStore.create(RedisStoreFactory.parse(settings(redis.port())))) {
      ByteRange block = TestBlocks.block(KEY, 1, 1, 16);
      store.write(USER, List.of(StoreFeatureGroup.of(1)), List.of(StoreRow.of(KEY, block)));
      assertThat(store.read(USER, List.of(KEY), List.of(StoreFeatureGroup.of(1))).block(0, 0)).isEqualTo(block);
      assertThat(store.config().toString()).doesNotContain("s3cret").contains("password=****");
    }
  }

  @Test
  void wrongCaFailsTheHandshakeNamingTheCertificateProblem() {
    Map<String, String> settings = settings(redis.port());
    settings.put("tls-ca-file", certs.otherCa().certificateFile().toString());
    assertUnavailable(settings, "TLS handshake", "certification path");
  }

  @Test
  void expiredServerCertificateFailsTheHandshake() {
    try (RedisServer expired = RedisServer.start(RedisServer.Options.builder()
        .tls(certs, certs.expiredServer()).user("onfs", "s3cret").build())) {
      assertUnavailable(settings(expired.port()), "TLS handshake", "validity check failed");
    }
  }

  @Test
  void plaintextClientAgainstTheTlsPortFailsSayingTlsMayBeNeeded() {
    Map<String, String> settings = settings(redis.port());
    settings.remove("tls-ca-file");
    settings.remove("tls-cert-file");
    settings.remove("tls-key-file");
    assertUnavailable(settings, "connection closed", "tls=true");
  }

  @Test
  void missingClientCertificateIsRefusedByTheServer() {
    Map<String, String> settings = settings(redis.port());
    settings.remove("tls-cert-file");
    settings.remove("tls-key-file");
    OnfsException e = failure(settings);
    assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
  }

  @Test
  void wrongPasswordFailsAuthenticationWithoutPrintingIt() {
    Map<String, String> settings = settings(redis.port());
    settings.remove("password-file");
    settings.put("password", "not-the-password");
    OnfsException e = failure(settings);
    assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
    assertThat(e.getMessage()).contains("authentication failed", "user 'onfs'", "WRONGPASS")
        .doesNotContain("not-the-password");
  }

  private static void assertUnavailable(Map<String, String> settings, String... phrases) {
    OnfsException e = failure(settings);
    assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
    assertThat(e.getMessage()).contains(phrases);
  }

  /** The failure of connecting or of the first call (connections are made when the pool first needs one). */
  private static OnfsException failure(Map<String, String> settings) {
    Throwable thrown = catchThrowable(() -> {
      try (RedisStore store = RedisStore.create(RedisStoreFactory.parse(settings))) {
        store.read(USER, List.of(KEY), List.of(StoreFeatureGroup.of(1)));
      }
    });
    assertThat(thrown).isInstanceOf(OnfsException.class);
    return (OnfsException) thrown;
  }
}
