package dev.onfs.controlplane.storage;

import dev.onfs.registry.etcd.EtcdRegistryConfig;
import dev.onfs.testing.EtcdServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class EtcdKeyValueStoreIT extends KeyValueStoreContract {
  private static final AtomicInteger TESTS = new AtomicInteger();

  private EtcdKeyValueStore store;
  private String prefix;

  @BeforeEach
  void connect() {
    store = EtcdKeyValueStore.connect(EtcdRegistryConfig.builder(EtcdServer.shared().endpoint()).build());
    prefix = "/kv-contract/" + ProcessHandle.current().pid() + "-" + TESTS.incrementAndGet() + "/";
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Override
  KeyValueStore store() {
    return store;
  }

  @Override
  String prefix() {
    return prefix;
  }
}
