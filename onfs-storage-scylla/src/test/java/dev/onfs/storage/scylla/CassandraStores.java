package dev.onfs.storage.scylla;

import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.testing.CassandraServer;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Stores and tables on the shared Cassandra server for this module's integration tests. */
final class CassandraStores {
  private static final Object LOCK = new Object();
  private static final List<String> CREATED = new ArrayList<>();

  private CassandraStores() {}

  static ScyllaStore open() {
    return open("");
  }

  /** A store whose tables without a keyspace (as the serving layer builds them) live in {@code keyspace}. */
  static ScyllaStore open(String keyspace) {
    return open(keyspace, Clock.systemUTC());
  }

  /** As {@link #open(String)}, judging expiry by {@code clock}. */
  static ScyllaStore open(String keyspace, Clock clock) {
    CassandraServer server = CassandraServer.shared();
    InetSocketAddress point = server.contactPoint();
    return ScyllaStore.create(ScyllaStoreConfig.builder()
        .contactPoint(point.getHostString(), point.getPort())
        .localDatacenter(server.localDatacenter())
        // Generous: the test machine is small and shared; a stopped server still fails fast.
        .requestTimeout(Duration.ofSeconds(10))
        .maxConcurrentRequests(64)
        .connectTimeout(Duration.ofSeconds(2))
        .reconnectBaseDelay(Duration.ofMillis(200))
        .keyspace(keyspace)
        .build(), clock);
  }

  /** Creates keyspace, table and the feature groups' columns once per JVM. */
  static StoreTable ensure(ScyllaStore store, StoreTable table, List<StoreFeatureGroup> groups) {
    synchronized (LOCK) {
      String id = table.keyspace() + "." + table.table();
      if (!CREATED.contains(id)) {
        ScyllaSchema schema = store.schema();
        schema.createKeyspace(table.keyspace(), 1);
        schema.createTable(table, 0);
        List<String> columns = new ArrayList<>();
        groups.forEach(g -> columns.addAll(g.columns()));
        schema.addColumns(table, columns);
        CREATED.add(id);
      }
      return table;
    }
  }
}
