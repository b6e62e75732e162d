package dev.onfs.storage.scylla;

import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.testing.OnlineStoreContractTest;
import dev.onfs.core.storage.testing.StoreFaultContract;
import dev.onfs.testing.CassandraServer;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** The contract suite and fault tests against Cassandra (the CQL stand-in for ScyllaDB). */
class CassandraStoreContractIT extends OnlineStoreContractTest implements StoreFaultContract {
  // One session for the class: connecting costs seconds; the suite's close() leaves it open.
  private static ScyllaStore shared;

  @AfterAll
  static void closeShared() {
    if (shared != null) {
      shared.close();
    }
  }

  @Override
  protected OnlineStore createStore() {
    if (shared == null) {
      shared = CassandraStores.open();
      CassandraStores.ensure(shared, table, FEATURE_GROUPS);
    }
    return new KeepOpenStore(shared);
  }

  @Override
  protected OnlineStore createStore(Clock clock) {
    return CassandraStores.open("", clock);
  }

  @Override
  public OnlineStore faultStore() {
    return store;
  }

  @Override
  public StoreTable faultTable() {
    return table;
  }

  @Override
  public void stopServer() {
    CassandraServer.shared().stop();
  }

  @Override
  public void restartServer() {
    CassandraServer.shared().restart();
  }
}
