package dev.onfs.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.controlplane.request.AddFeatures;
import dev.onfs.controlplane.request.ChangeRequest;
import dev.onfs.controlplane.request.FeatureSpec;
import dev.onfs.controlplane.request.RequestStatus;
import dev.onfs.controlplane.storage.DirectoryKeyValueStore;
import dev.onfs.controlplane.storage.KeyValueStore;
import dev.onfs.controlplane.storage.RegistryFilePublisher;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.registry.file.RegistryFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the directory store, and what only it does: the registry YAML file, restarts. */
class DirectoryControlPlaneTest extends ControlPlaneContract {
  @TempDir
  Path dir;

  private DirectoryKeyValueStore store;

  Path registryFile() {
    return dir.resolve("registry.yaml");
  }

  @Override
  KeyValueStore newStore() {
    store = DirectoryKeyValueStore.open(dir.resolve("state"));
    RegistryFilePublisher.attach(store, appName(), registryFile());
    return store;
  }

  @Override
  KeyValueStore secondConnection() {
    // One process owns the directory; a second control plane in it shares the store (close does nothing).
    return new KeyValueStore() {
      @Override
      public Range range(String prefix) {
        return store.range(prefix);
      }

      @Override
      public Entry get(String key) {
        return store.get(key);
      }

      @Override
      public long commit(List<Condition> conditions, List<Write> writes) {
        return store.commit(conditions, writes);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  String appName() {
    return "onfs";
  }

  @Override
  void tearDownControlPlane() {
    super.tearDownControlPlane();
    store.close();
  }

  @Test
  void publishesTheRegistryAsTheYamlFileAFileRegistryReads() {
    publishWorkedExample();
    RegistrySnapshot fromFile = RegistryFiles.load(registryFile());
    RegistrySnapshot published = cp.registry(vi);
    assertThat(fromFile.entities()).isEqualTo(published.entities());
    assertThat(fromFile.stores()).isEqualTo(published.stores());
    assertThat(fromFile.writer("user_daily_job").token()).startsWith("$pbkdf2-sha256$");
    assertThat(dir.resolve("registry.yaml.tmp")).doesNotExist();
  }

  @Test
  void everythingSurvivesARestart() {
    publishWorkedExample();
    ChangeRequest pending = cp.submit(ed, new AddFeatures("user", "user_stats", List.of(FeatureSpec.of("aov", "1"))));
    cp.close();
    store.close();

    try (ControlPlane again = ControlPlane.builder()
        .directory(dir.resolve("state"), registryFile())
        .storeConnection(StoreConnection.withoutSchema(1, "scylla"))
        .sessionSecret("a session secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8))
        .tokenHasher(TOKENS)
        .build()) {
      String admin = again.login("ada", PASSWORD, null).token();
      assertThat(again.request(admin, pending.id()).status()).isEqualTo(RequestStatus.PENDING);
      again.approve(admin, pending.id(), null);
      assertThat(RegistryFiles.load(registryFile()).featureGroup("user", "user_stats").activeVersion()).isEqualTo(2);
    }
    // The contract's tear-down closes these again: reopen so that it can.
    store = DirectoryKeyValueStore.open(dir.resolve("state2"));
    cp = builder(store).build();
  }

  @Test
  void aNewDirectoryStartsFromAnExistingRegistryFile() throws Exception {
    Path demo = dir.resolve("demo");
    Files.createDirectories(demo);
    Path file = demo.resolve("registry.yaml");
    Files.copy(Path.of("..", "examples", "registry", "demo-registry.yaml"), file);
    RegistrySnapshot original = RegistryFiles.load(file);
    try (ControlPlane demoPlane = ControlPlane.builder()
        .directory(demo.resolve("state"), file)
        .storeConnection(StoreConnection.withoutSchema(1, "redis_failover"))
        .demoMode(true)
        .singleAdminMode(true)
        .tokenHasher(TOKENS)
        .build()) {
      String password = demoPlane.bootstrapDemoAdmin("admin");
      String admin = demoPlane.login("admin", password.toCharArray(), null).token();
      assertThat(demoPlane.registry(admin).entities()).isEqualTo(original.entities());
      ChangeRequest request = demoPlane.submit(admin, new AddFeatures("user", "user_stats",
          List.of(FeatureSpec.of("visits", "0"))));
      demoPlane.approve(admin, request.id(), null);
    }
    assertThat(RegistryFiles.load(file).featureGroup("user", "user_stats").activeFeatures().labels()).contains("visits");
  }
}
