package dev.onfs.storage.scylla;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.testing.CassandraServer;
import dev.onfs.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Its own class: a Cassandra that presents an expired certificate is a server of its own. */
class ScyllaExpiredCertificateIT {
  @Test
  void expiredServerCertificateFailsTheHandshake(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
    Path passwordFile = dir.resolve("pw");
    Files.writeString(passwordFile, "cassandra");
    try (CassandraServer expired = CassandraServer.start(CassandraServer.Options.builder()
        .tls(certs, certs.expiredServer()).build())) {
      assertThat(ScyllaTlsIT.failure(ScyllaTlsIT.settings(expired, certs, passwordFile)).getMessage())
          .contains("TLS handshake failed", "server certificate expired");
    }
  }
}
