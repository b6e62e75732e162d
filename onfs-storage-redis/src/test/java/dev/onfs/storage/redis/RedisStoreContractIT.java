package dev.onfs.storage.redis;

import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.testing.OnlineStoreContractTest;
import dev.onfs.core.storage.testing.StoreFaultContract;
import dev.onfs.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract suite and fault tests against one standalone Redis (CSDB layout). */
class RedisStoreContractIT extends OnlineStoreContractTest implements StoreFaultContract {
  private static RedisServer server;

  @BeforeAll
  static void startServer() {
    server = RedisServer.start(); // own server: the fault test stops it
  }

  @AfterAll
  static void closeServer() {
    server.close();
  }

  @Override
  protected OnlineStore createStore() {
    return RedisStore.create(RedisStoreConfig.builder()
        .node(server.host(), server.port())
        .connectTimeout(Duration.ofMillis(500))
        .socketTimeout(Duration.ofSeconds(1))
        .poolMaxWait(Duration.ofSeconds(1))
        .build());
  }

  /** Through the factory, as the server builds it. */
  @Override
  protected OnlineStore createStore(Clock clock) {
    return new RedisStoreFactory().create(Map.of("nodes", server.host() + ":" + server.port()), clock);
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
    server.stop();
  }

  @Override
  public void restartServer() {
    server.restart();
  }
}
