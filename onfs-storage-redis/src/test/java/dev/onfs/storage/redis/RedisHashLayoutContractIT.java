package dev.onfs.storage.redis;

import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.testing.OnlineStoreContractTest;
import dev.onfs.testing.RedisServer;
import java.time.Clock;

/** The contract suite against standalone Redis with one hash field per feature group. */
class RedisHashLayoutContractIT extends OnlineStoreContractTest {
  @Override
  protected OnlineStore createStore() {
    return createStore(Clock.systemUTC());
  }

  @Override
  protected OnlineStore createStore(Clock clock) {
    RedisServer server = RedisServer.shared();
    return RedisStore.create(RedisStoreConfig.builder()
        .node(server.host(), server.port())
        .layout(RedisLayout.HASH)
        .keyPrefix("h:")
        .build(), clock);
  }
}
