package dev.onfs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraServerIT {
  // Schema changes flush to disk; on a busy shared machine they take longer than the 2 s default.
  static DriverConfigLoader patientDriver() {
    Duration timeout = Duration.ofSeconds(30);
    return DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, timeout)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, timeout)
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, timeout)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, timeout)
        .build();
  }

  @Test
  void sharedServerAnswersCql() {
    CassandraServer cassandra = CassandraServer.shared();
    assertThat(CassandraServer.shared()).isSameAs(cassandra);
    try (CqlSession session = CqlSession.builder()
        .addContactPoint(cassandra.contactPoint())
        .withLocalDatacenter(cassandra.localDatacenter())
        .withConfigLoader(patientDriver())
        .build()) {
      session.execute("CREATE KEYSPACE IF NOT EXISTS onfs_it WITH replication = "
          + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
      session.execute("CREATE TABLE IF NOT EXISTS onfs_it.features (entity text PRIMARY KEY, payload blob)");
      session.execute("INSERT INTO onfs_it.features (entity, payload) VALUES ('user-1', 0xcafe)");
      session.execute("INSERT INTO onfs_it.features (entity, payload) VALUES ('user-2', 0xbeef)");

      List<Row> rows = session.execute("SELECT entity, payload FROM onfs_it.features WHERE entity = 'user-1'").all();
      assertThat(rows).singleElement().satisfies(row -> {
        assertThat(row.getString("entity")).isEqualTo("user-1");
        assertThat(row.getByteBuffer("payload").remaining()).isEqualTo(2);
        assertThat(row.getByteBuffer("payload").getShort() & 0xFFFF).isEqualTo(0xCAFE);
      });
      assertThat(session.execute("SELECT count(*) FROM onfs_it.features").one().getLong(0)).isEqualTo(2);
      assertThat(session.getMetadata().getNodes().values())
          .singleElement()
          .satisfies(node -> assertThat(node.getDatacenter()).isEqualTo(cassandra.localDatacenter()));
    }
  }

  @Test
  void tlsServerWithPasswordAuthenticationServesTheSuperuser(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    TestCertificates certs = TestCertificates.create(dir);
    try (CassandraServer cassandra = CassandraServer.start(CassandraServer.Options.builder()
        .tls(certs).tlsClientAuth(true).passwordAuthentication().build())) {
      try (CqlSession session = CqlSession.builder()
          .addContactPoint(cassandra.contactPoint())
          .withLocalDatacenter(cassandra.localDatacenter())
          .withConfigLoader(patientDriver())
          .withSslContext(certs.clientSslContext())
          .withAuthCredentials(cassandra.username(), cassandra.password())
          .build()) {
        assertThat(session.execute("SELECT role FROM system_auth.roles WHERE role = 'cassandra'").one())
            .isNotNull();
      }
    }
  }
}
