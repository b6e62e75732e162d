package dev.onfs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraServerIT {
  @Test
  void sharedServerAnswersCql() {
    CassandraServer cassandra = CassandraServer.shared();
    assertThat(CassandraServer.shared()).isSameAs(cassandra);
    try (CqlSession session = CqlSession.builder()
        .addContactPoint(cassandra.contactPoint())
        .withLocalDatacenter(cassandra.localDatacenter())
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
}
