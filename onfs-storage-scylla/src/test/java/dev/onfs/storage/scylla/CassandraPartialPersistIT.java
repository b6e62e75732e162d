package dev.onfs.storage.scylla;

import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.testing.PartialPersistContractTest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** Partial persists through the serving layer on Cassandra (the CQL stand-in for ScyllaDB). */
class CassandraPartialPersistIT extends PartialPersistContractTest {
  private static final String KEYSPACE = "onfs_partial";
  private static ScyllaStore shared;

  @AfterAll
  static void closeShared() {
    if (shared != null) {
      shared.close();
    }
  }

  /** Lightweight transactions cost a Paxos round each; fewer writes keep the run to about a minute. */
  @Override
  protected int writesPerWriter() {
    return 25;
  }

  @Override
  protected OnlineStore createStore() {
    if (shared == null) {
      shared = CassandraStores.open(KEYSPACE);
      CassandraStores.ensure(shared, new StoreTable(TABLE.entityLabel(), TABLE.storeId(), KEYSPACE, TABLE.table(),
          TABLE.primaryKeyColumns(), TABLE.maxColumnSizeBytes()), List.of(STORE_GROUP));
    }
    return new KeepOpenStore(shared);
  }
}
