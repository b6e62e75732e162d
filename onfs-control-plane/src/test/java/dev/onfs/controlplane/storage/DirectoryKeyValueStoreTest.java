package dev.onfs.controlplane.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.storage.KeyValueStore.Condition;
import dev.onfs.controlplane.storage.KeyValueStore.Write;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryKeyValueStoreTest extends KeyValueStoreContract {
  @TempDir
  Path dir;

  private DirectoryKeyValueStore store;

  @BeforeEach
  void open() {
    store = DirectoryKeyValueStore.open(dir);
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
    return "/t/";
  }

  @Test
  void survivesARestart() {
    long rev = store.commit(List.of(), List.of(new Write.Put("/t/a", "1"), new Write.Put("/t/b", "2")));
    store.commit(List.of(), List.of(new Write.Delete("/t/b")));
    store.close();

    store = DirectoryKeyValueStore.open(dir);
    assertThat(store.get("/t/a")).isEqualTo(new KeyValueStore.Entry("/t/a", "1", rev, rev));
    assertThat(store.get("/t/b")).isNull();
    // Revisions continue where they were.
    assertThat(store.commit(List.of(new Condition("/t/a", rev)), List.of(new Write.Put("/t/a", "3")))).isEqualTo(rev + 2);
    assertThat(dir.resolve("state.json.tmp")).doesNotExist();
  }

  @Test
  void oneProcessAtATime() {
    assertThatThrownBy(() -> DirectoryKeyValueStore.open(dir))
        .isInstanceOf(ControlPlaneException.class)
        .hasMessageContaining("in use by another control plane");
  }

  @Test
  void aFailedWriteChangesNothing() throws Exception {
    store.commit(List.of(), List.of(new Write.Put("/t/a", "1")));
    String before = Files.readString(dir.resolve("state.json"));
    // A directory in place of the temporary file makes the next write fail.
    Files.createDirectory(dir.resolve("state.json.tmp"));
    assertThatThrownBy(() -> store.commit(List.of(), List.of(new Write.Put("/t/a", "2"))))
        .isInstanceOf(ControlPlaneException.class)
        .hasMessageContaining("cannot write");
    assertThat(store.get("/t/a").value()).isEqualTo("1");
    assertThat(Files.readString(dir.resolve("state.json"))).isEqualTo(before);
  }
}
