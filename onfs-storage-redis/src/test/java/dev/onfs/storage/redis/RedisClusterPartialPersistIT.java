package dev.onfs.storage.redis;

import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.testing.PartialPersistContractTest;
import dev.onfs.testing.RedisClusterServer;
import java.net.InetSocketAddress;

/** Partial persists through the serving layer on a three-master Redis Cluster (CSDB layout). */
class RedisClusterPartialPersistIT extends PartialPersistContractTest {
  @Override
  protected OnlineStore createStore() {
    RedisStoreConfig.Builder config = RedisStoreConfig.builder().mode(RedisMode.CLUSTER);
    for (InetSocketAddress node : RedisClusterServer.shared().nodes()) {
      config.node(node.getHostString(), node.getPort());
    }
    return RedisStore.create(config.build());
  }
}
