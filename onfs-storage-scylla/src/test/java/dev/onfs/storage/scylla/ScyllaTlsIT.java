package dev.onfs.storage.scylla;

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
import dev.onfs.testing.CassandraServer;
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

/** The store against a Cassandra whose native port is TLS-only, with client certificates and passwords. */
class ScyllaTlsIT {
  private static final StoreTable TABLE =
      new StoreTable("user", "1", "onfs_tls", "user_store", List.of("user_id"), 8);
  private static final StoreFeatureGroup FG = StoreFeatureGroup.withReferenceColumnOrder(1, List.of("seg_0"));

  @TempDir static Path dir;
  static TestCertificates certs;
  static CassandraServer cassandra;
  static Path passwordFile;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir.resolve("certs"));
    cassandra = CassandraServer.start(CassandraServer.Options.builder()
        .tls(certs).tlsClientAuth(true).passwordAuthentication().build());
    passwordFile = dir.resolve("cassandra-password");
    Files.writeString(passwordFile, cassandra.password() + "\n");
  }

  @AfterAll
  static void stop() {
    if (cassandra != null) {
      cassandra.close();
    }
  }

  static Map<String, String> settings(CassandraServer server, TestCertificates certs, Path passwordFile) {
    Map<String, String> settings = new HashMap<>();
    settings.put("contact-points", "127.0.0.1:" + server.contactPoint().getPort());
    settings.put("local-datacenter", server.localDatacenter());
    settings.put("tls-ca-file", certs.caFile().toString());
    settings.put("tls-cert-file", certs.client().certificateFile().toString());
    settings.put("tls-key-file", certs.client().keyFile().toString());
    settings.put("username", "cassandra");
    settings.put("password-file", passwordFile.toString());
    // Schema changes flush on a small shared machine.
    settings.put("request-timeout-ms", "30000");
    settings.put("connect-timeout-ms", "10000");
    return settings;
  }

  @Test
  void writesAndReadsOverTlsAsThePasswordUser() {
    try (ScyllaStore store = ScyllaStore.create(ScyllaStoreFactory.parse(settings(cassandra, certs, passwordFile)))) {
      ScyllaSchema schema = store.schema();
      schema.createKeyspace(TABLE.keyspace(), 1);
      schema.createTable(TABLE, 0);
      schema.addColumns(TABLE, FG.columns());
      EntityKey key = EntityKey.of("42");
      ByteRange block = TestBlocks.block(key, 1, 1, 12);
      store.write(TABLE, List.of(FG), List.of(StoreRow.of(key, block)));
      assertThat(store.read(TABLE, List.of(key), List.of(FG)).block(0, 0)).isEqualTo(block);
      assertThat(store.config().toString()).contains("password=****").doesNotContain("password=cassandra");
    }
  }

  @Test
  void wrongCaFailsTheHandshake() {
    Map<String, String> settings = settings(cassandra, certs, passwordFile);
    settings.put("tls-ca-file", certs.otherCa().certificateFile().toString());
    assertThat(failure(settings).getMessage()).contains("TLS handshake failed", "certification path");
  }

  @Test
  void plaintextClientAgainstTheTlsPortFailsSayingTlsMayBeNeeded() {
    Map<String, String> settings = settings(cassandra, certs, passwordFile);
    settings.remove("tls-ca-file");
    settings.remove("tls-cert-file");
    settings.remove("tls-key-file");
    assertThat(failure(settings).getMessage()).contains("set tls=true");
  }

  @Test
  void wrongPasswordFailsAuthenticationWithoutPrintingIt() {
    Map<String, String> settings = settings(cassandra, certs, passwordFile);
    settings.remove("password-file");
    settings.put("password", "not-the-password");
    assertThat(failure(settings).getMessage())
        .contains("authentication failed", "as user 'cassandra'")
        .doesNotContain("not-the-password");
  }

  @Test
  void missingCredentialsFailAuthentication() {
    Map<String, String> settings = settings(cassandra, certs, passwordFile);
    settings.remove("username");
    settings.remove("password-file");
    assertThat(failure(settings).getMessage()).contains("authentication failed", "without credentials");
  }

  static OnfsException failure(Map<String, String> settings) {
    Throwable thrown = catchThrowable(() -> ScyllaStore.create(ScyllaStoreFactory.parse(settings)).close());
    assertThat(thrown).isInstanceOf(OnfsException.class);
    OnfsException e = (OnfsException) thrown;
    assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
    return e;
  }
}
