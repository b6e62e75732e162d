package dev.onfs.storage.redis;

import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.testing.OnlineStoreContractTest;
import dev.onfs.testing.RedisClusterServer;
import java.net.InetSocketAddress;
import java.time.Clock;

/** The contract suite against a three-master Redis Cluster (CSDB layout). */
class RedisClusterStoreContractIT extends OnlineStoreContractTest {
  @Override
  protected OnlineStore createStore() {
    return createStore(Clock.systemUTC());
  }

  @Override
  protected OnlineStore createStore(Clock clock) {
    RedisStoreConfig.Builder config = RedisStoreConfig.builder().mode(RedisMode.CLUSTER);
    for (InetSocketAddress node : RedisClusterServer.shared().nodes()) {
      config.node(node.getHostString(), node.getPort());
    }
    return RedisStore.create(config.build(), clock);
  }
}
