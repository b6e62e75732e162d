package dev.onfs.registry.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.RegistryListener;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.file.FileFeatureRegistry;
import dev.onfs.core.registry.quarantine.Quarantines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFeatureRegistryTest {
  private static final String V1 = "stores: {'1': {db-type: scylla, primary-keys: [id]}}\n"
      + "entities: {user: {keys: [id], feature-groups: {g: {id: 0, store-id: 1, data-type: FP32,"
      + " versions: {1: [{label: a}]}}}}}\n";
  private static final String V2 = "stores: {'1': {db-type: scylla, primary-keys: [id]}}\n"
      + "entities: {user: {keys: [id], feature-groups: {g: {id: 0, store-id: 1, data-type: FP32,"
      + " versions: {1: [{label: a}], 2: [{label: a}, {label: b, default: 1}]}}}}}\n";

  @TempDir Path dir;

  /** Records what the registry tells its listeners. */
  private static final class Events implements RegistryListener {
    final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    @Override
    public void onChange(RegistrySnapshot previous, RegistrySnapshot current) {
      queue.add(current);
    }

    @Override
    public void onRejected(OnfsException error) {
      queue.add(error);
    }

    Object next() throws InterruptedException {
      Object event = queue.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("an event within 10 s").isNotNull();
      return event;
    }
  }

  private static void replace(Path file, String content) throws IOException {
    // Write then rename, as editors and config-management tools do.
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void hotReloadAppliesGoodEditsQuarantinesBadGroupsAndKeepsTheLastGoodSnapshotOnBadFiles() throws Exception {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, V1);
    Events events = new Events();
    try (FileFeatureRegistry registry = RegistryFiles.watch(file, Duration.ofMillis(20))) {
      registry.addListener(events);
      assertThat(registry.featureGroup("user", "g").activeVersion()).isEqualTo(1);

      replace(file, V2);
      RegistrySnapshot second = (RegistrySnapshot) events.next();
      assertThat(second.featureGroup("user", "g").activeVersion()).isEqualTo(2);
      assertThat(registry.snapshot()).isSameAs(second);
      assertThat(second.revision()).isEqualTo(2);

      // A bad edit to the group quarantines it; it keeps its last good definition.
      replace(file, V2.replace("default: 1", "default: one"));
      RegistrySnapshot third = (RegistrySnapshot) events.next();
      assertThat(third.quarantined()).containsOnlyKeys("user/g");
      assertThat(third.quarantined().get("user/g")).contains("registry.yaml: entities.user.feature-groups.g.versions.2[1]"
          + " (b).default: 'one' is not a valid DataTypeFP32 value").endsWith(Quarantines.SERVING_LAST_GOOD);
      assertThat(third.featureGroup("user", "g")).isEqualTo(second.featureGroup("user", "g"));
      assertThat(registry.snapshot()).isSameAs(third);

      replace(file, "entities: [");
      assertThat(events.next()).isInstanceOf(OnfsException.class);
      assertThat(registry.snapshot()).isSameAs(third);

      Files.delete(file);
      assertThat((OnfsException) events.next()).hasMessageContaining("cannot read registry");
      Thread.sleep(100); // several polls: the missing file is reported once
      assertThat(events.queue).isEmpty();
      assertThat(registry.snapshot()).isSameAs(third);

      replace(file, V1);
      RegistrySnapshot fourth = (RegistrySnapshot) events.next();
      assertThat(fourth.featureGroup("user", "g").activeVersion()).isEqualTo(1);
      assertThat(fourth.quarantined()).isEmpty();
      assertThat(events.queue).isEmpty();
    }
  }

  @Test
  void directoryReloadPicksUpNewFiles() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), V1);
    Events events = new Events();
    try (FileFeatureRegistry registry = RegistryFiles.watch(dir, Duration.ofMillis(20))) {
      registry.addListener(events);
      Files.writeString(dir.resolve("b.yaml"), "security: {readers: {ranker: rtok}}");
      RegistrySnapshot next = (RegistrySnapshot) events.next();
      assertThat(next.reader("ranker").token()).isEqualTo("rtok");
      assertThat(registry.reader("ranker").token()).isEqualTo("rtok");
    }
  }

  @Test
  void manualReloadAndInvalidStart() throws IOException {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, V1);
    try (FileFeatureRegistry registry = FileFeatureRegistry.open(file, RegistryFiles.parser())) {
      assertThat(registry.reload()).isFalse();
      Files.writeString(file, V2);
      assertThat(registry.reload()).isTrue();
      assertThat(registry.featureGroup("user", "g").activeVersion()).isEqualTo(2);
    }
    // An invalid store is not a feature group's problem: the whole file is rejected.
    Files.writeString(file, V1.replace("db-type: scylla", "db-type: scylla, bogus: 1"));
    assertThatThrownBy(() -> RegistryFiles.watch(file)).hasMessageContaining("stores.1.bogus is not a known field");
    Files.writeString(file, "entities: [");
    assertThatThrownBy(() -> RegistryFiles.watch(file)).hasMessageContaining("registry.yaml");
    assertThatThrownBy(() -> RegistryFiles.load(dir.resolve("missing.yaml")))
        .hasMessageContaining("cannot read registry");
  }
}
