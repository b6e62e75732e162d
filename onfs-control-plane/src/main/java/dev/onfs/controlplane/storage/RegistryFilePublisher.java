package dev.onfs.controlplane.storage;

import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.controlplane.storage.KeyValueStore.Entry;
import dev.onfs.controlplane.storage.KeyValueStore.Write;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.registry.etcd.EtcdKeyTree;
import dev.onfs.registry.file.RegistryFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Publishes the registry kept in a {@link DirectoryKeyValueStore} as the YAML file a file registry
 * (the server's {@code --registry-file}) reads and hot-reloads.
 *
 * <p>The state file is the truth; the YAML file is rewritten from it after every transaction that
 * changed the registry, atomically (temporary file, forced, renamed over the old one), so a server
 * never reads half a file. A crash between the two leaves the YAML one change behind; attaching again
 * (the next start) rewrites it. When the state has no registry yet, an existing YAML file is
 * imported, so a demo starts from its bundled registry.
 */
public final class RegistryFilePublisher {
  private final String appName;
  private final Path file;
  private final String treePrefix;

  private RegistryFilePublisher(String appName, Path file) {
    this.appName = appName;
    this.file = file;
    this.treePrefix = new RegistryKeys(appName).treePrefix();
  }

  /** Imports or rewrites {@code file} now and after every registry change of {@code store}. */
  public static void attach(DirectoryKeyValueStore store, String appName, Path file) {
    requireNonNull(store, "store is null");
    RegistryFilePublisher publisher = new RegistryFilePublisher(requireNonNull(appName, "appName is null"),
        requireNonNull(file, "file is null").toAbsolutePath());
    KeyValueStore.Range tree = store.range(publisher.treePrefix);
    if (tree.entries().isEmpty() && Files.exists(publisher.file)) {
      publisher.importFile(store);
    } else {
      publisher.write(tree.entries());
    }
    store.addListener((state, changed) -> {
      if (changed.stream().anyMatch(k -> k.startsWith(publisher.treePrefix))) {
        publisher.write(state);
      }
    });
  }

  private void importFile(DirectoryKeyValueStore store) {
    RegistrySnapshot snapshot = RegistryFiles.load(file);
    List<Write> writes = new ArrayList<>();
    EtcdKeyTree.keys(appName, snapshot).forEach((k, v) -> writes.add(new Write.Put(k, v)));
    List<KeyValueStore.Condition> conditions = new ArrayList<>();
    for (Write write : writes) {
      conditions.add(KeyValueStore.Condition.absent(write.key()));
    }
    if (!writes.isEmpty() && store.commit(conditions, writes) < 0) {
      throw new ControlPlaneException(Reason.CONFLICT, null, "registry keys appeared while importing " + file);
    }
  }

  private void write(Map<String, Entry> state) {
    SortedMap<String, String> values = new TreeMap<>();
    long revision = 0;
    for (Entry entry : state.values()) {
      if (entry.key().startsWith(treePrefix)) {
        values.put(entry.key(), entry.value());
        revision = Math.max(revision, entry.modRevision());
      }
    }
    String yaml = "# Published by the OnFS control plane; edits here are overwritten. Change the registry\n"
        + "# through change requests instead.\n" + RegistryFiles.toYaml(EtcdKeyTree.read(appName, values, revision));
    byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
    try {
      if (Files.exists(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
        return;
      }
      Path dir = requireNonNull(file.getParent()); // the path is absolute and names a file
      Files.createDirectories(dir);
      Path temp = dir.resolve(file.getFileName() + ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      DirectoryKeyValueStore.forceDirectory(dir);
    } catch (IOException e) {
      throw new ControlPlaneException(Reason.UNAVAILABLE, null, "cannot write registry file " + file + ": "
          + e.getMessage(), e);
    }
  }
}
