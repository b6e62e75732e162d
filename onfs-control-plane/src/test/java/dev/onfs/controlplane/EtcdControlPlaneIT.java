package dev.onfs.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.controlplane.storage.EtcdKeyValueStore;
import dev.onfs.controlplane.storage.KeyValueStore;
import dev.onfs.registry.etcd.EtcdRegistryClient;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import dev.onfs.testing.EtcdServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The contract against a real etcd; each test publishes under its own app name. */
class EtcdControlPlaneIT extends ControlPlaneContract {
  private static final AtomicInteger APPS = new AtomicInteger();

  private String app;

  /** Picked on first use: the contract's set-up, which needs it, runs before this class's own. */
  @Override
  String appName() {
    if (app == null) {
      app = "cp" + APPS.incrementAndGet() + "_" + ProcessHandle.current().pid();
    }
    return app;
  }

  private EtcdRegistryConfig config() {
    return EtcdRegistryConfig.builder(EtcdServer.shared().endpoint()).appName(appName()).build();
  }

  @Override
  KeyValueStore newStore() {
    return EtcdKeyValueStore.connect(config());
  }

  @Override
  KeyValueStore secondConnection() {
    return EtcdKeyValueStore.connect(config());
  }

  @Override
  void tearDownControlPlane() {
    super.tearDownControlPlane();
    kv.close();
  }

  @Test
  void theDataPlanesRegistryClientReadsWhatApprovalsPublished() {
    publishWorkedExample();
    try (EtcdRegistryClient client = EtcdRegistryClient.connect(config())) {
      assertThat(client.read().entities()).isEqualTo(cp.registry(vi).entities());
      assertThat(client.readKeys()).containsEntry("/config/" + appName() + "/source/user|user_embedding|emb",
          "DELTA_GCS|gs://bucket/user_emb|emb_col|[0,0,0,0,0,0,0,0]");
    }
  }
}
