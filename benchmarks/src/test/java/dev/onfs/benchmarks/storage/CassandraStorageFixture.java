package dev.onfs.benchmarks.storage;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.storage.scylla.ScyllaSchema;
import dev.onfs.storage.scylla.ScyllaStore;
import dev.onfs.storage.scylla.ScyllaStoreConfig;
import dev.onfs.testing.CassandraServer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Cassandra (CQL stand-in for ScyllaDB), adapter vs hand-written async driver calls. */
final class CassandraStorageFixture implements StorageFixture {
  static final StoreTable TABLE = new StoreTable("bench_user", "1", "onfs_bench", "bench_user", PK, 32);

  private final ScyllaStore store;
  private final CqlSession raw;
  private final PreparedStatement select;
  private final List<EntityKey> keys = StorageFixture.keys();

  CassandraStorageFixture() {
    CassandraServer server = CassandraServer.shared();
    InetSocketAddress point = server.contactPoint();
    store = ScyllaStore.create(ScyllaStoreConfig.builder()
        .contactPoint(point.getHostString(), point.getPort())
        .localDatacenter(server.localDatacenter())
        .readConsistency(DefaultConsistencyLevel.LOCAL_ONE)
        .build());
    ScyllaSchema schema = store.schema();
    schema.createKeyspace(TABLE.keyspace(), 1);
    schema.createTable(TABLE, 0);
    List<String> columns = new ArrayList<>();
    GROUPS.forEach(g -> columns.addAll(g.columns()));
    schema.addColumns(TABLE, columns);
    StorageFixture.load(store, TABLE, keys);
    raw = CqlSession.builder().addContactPoint(point).withLocalDatacenter(server.localDatacenter()).build();
    select = raw.prepare("SELECT seg_0,seg_1,seg_2,seg_3,seg_4,seg_5 FROM onfs_bench.bench_user"
        + " WHERE user_id = ? AND region = ?");
  }

  /** The loaded adapter, for benchmarks that put something in front of it. */
  ScyllaStore store() {
    return store;
  }

  @Override
  public long adapterRead() {
    return StorageFixture.presentBytes(store.read(TABLE, keys, GROUPS));
  }

  @Override
  public long rawRead() {
    @SuppressWarnings("unchecked")
    CompletableFuture<AsyncResultSet>[] futures = new CompletableFuture[keys.size()];
    for (int i = 0; i < futures.length; i++) {
      EntityKey key = keys.get(i);
      futures[i] = raw.executeAsync(select.bind(key.get(0), key.get(1))
          .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_ONE)).toCompletableFuture();
    }
    long bytes = 0;
    for (CompletableFuture<AsyncResultSet> future : futures) {
      Row row = future.join().one();
      if (row == null) {
        continue;
      }
      for (int g = 0; g < 3; g++) {
        // Join each feature group's two segment columns, as the adapter does.
        ByteBuffer a = row.getBytesUnsafe(2 * g);
        ByteBuffer b = row.getBytesUnsafe(2 * g + 1);
        int n = (a == null ? 0 : a.remaining()) + (b == null ? 0 : b.remaining());
        byte[] block = new byte[n];
        int pos = 0;
        if (a != null) {
          int len = a.remaining();
          a.duplicate().get(block, 0, len);
          pos = len;
        }
        if (b != null) {
          b.duplicate().get(block, pos, b.remaining());
        }
        bytes += block.length;
      }
    }
    return bytes;
  }

  @Override
  public void close() {
    store.close();
    raw.close();
  }
}
