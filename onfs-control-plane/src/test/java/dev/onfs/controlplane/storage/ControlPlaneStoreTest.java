package dev.onfs.controlplane.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.testing.WorkedExample;
import dev.onfs.registry.etcd.EtcdKeyTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The published registry is parsed again exactly when its tree changed. */
class ControlPlaneStoreTest {
  @TempDir Path dir;

  @Test
  void anUnchangedTreeIsNotParsedAgainAndAnyPutOrDeleteIs() {
    try (DirectoryKeyValueStore kv = DirectoryKeyValueStore.open(dir)) {
      List<KeyValueStore.Write> writes = new ArrayList<>();
      EtcdKeyTree.keys("onfs", WorkedExample.snapshot()).forEach((k, v) -> writes.add(new KeyValueStore.Write.Put(k, v)));
      kv.commit(List.of(), writes);
      ControlPlaneStore store = new ControlPlaneStore(kv, "onfs");

      RegistrySnapshot first = store.registry().snapshot();
      assertThat(first.entities()).isEqualTo(WorkedExample.snapshot().entities());
      // A write outside the tree (a session, an audit entry) leaves the parsed registry as it is.
      kv.commit(List.of(), List.of(new KeyValueStore.Write.Put("/onfs-control-plane/onfs/sessions/x", "{}")));
      assertThat(store.registry().snapshot()).isSameAs(first);

      // A changed value in the tree: parsed again.
      String ttlKey = EtcdKeyTree.featureGroupPath("onfs", "user", "user_stats") + "/ttl-in-seconds";
      kv.commit(List.of(), List.of(new KeyValueStore.Write.Put(ttlKey, "3600")));
      RegistrySnapshot changed = store.registry().snapshot();
      assertThat(changed).isNotSameAs(first);
      assertThat(changed.featureGroup("user", "user_stats").ttlInSeconds()).isEqualTo(3600);

      // A delete alone changes the key count.
      String readerKey = EtcdKeyTree.securityKey("onfs", false, "ranker");
      kv.commit(List.of(), List.of(new KeyValueStore.Write.Delete(readerKey)));
      assertThat(store.registry().snapshot().readers()).doesNotContainKey("ranker");
    }
  }
}
