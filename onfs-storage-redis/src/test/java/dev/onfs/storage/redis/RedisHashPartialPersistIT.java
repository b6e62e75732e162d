package dev.onfs.storage.redis;

import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.testing.PartialPersistContractTest;
import dev.onfs.testing.RedisServer;

/** Partial persists through the serving layer on standalone Redis, hash-per-entity layout. */
class RedisHashPartialPersistIT extends PartialPersistContractTest {
  @Override
  protected OnlineStore createStore() {
    RedisServer server = RedisServer.shared();
    return RedisStore.create(RedisStoreConfig.builder()
        .node(server.host(), server.port())
        .layout(RedisLayout.HASH)
        .keyPrefix("h:")
        .build());
  }
}
