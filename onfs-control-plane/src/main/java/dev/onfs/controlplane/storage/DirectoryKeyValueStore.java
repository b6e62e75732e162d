package dev.onfs.controlplane.storage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's keys in a local directory, for demos and single-node installs.
 *
 * <p>All keys live in one file, {@code state.json}, rewritten whole by every transaction: written to
 * a temporary file, forced to disk, renamed over the old one (an atomic replace) and the directory
 * forced, so after a crash the file holds the state before or after the transaction, never a mix.
 * Conditions are checked under a lock, so transactions have the same compare-and-set semantics as
 * in etcd. One process at a time: the directory is locked while open.
 *
 * <p>An optional listener hears about every committed transaction (the control plane uses it to
 * write the registry YAML file).
 */
public final class DirectoryKeyValueStore implements KeyValueStore {
  static final String STATE_FILE = "state.json";
  private static final String LOCK_FILE = ".lock";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final System.Logger LOG = System.getLogger(DirectoryKeyValueStore.class.getName());

  private final Path directory;
  private final Path stateFile;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final List<BiConsumer<SortedMap<String, Entry>, Set<String>>> listeners = new ArrayList<>();
  private TreeMap<String, Entry> entries;
  private long revision;
  private boolean closed;

  private DirectoryKeyValueStore(Path directory, FileChannel lockChannel, FileLock lock, TreeMap<String, Entry> entries,
      long revision) {
    this.directory = directory;
    this.stateFile = directory.resolve(STATE_FILE);
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.entries = entries;
    this.revision = revision;
  }

  /** Opens (creating it if needed) the store in {@code directory}; fails if another process has it open. */
  public static DirectoryKeyValueStore open(Path directory) {
    requireNonNull(directory, "directory is null");
    FileChannel channel = null;
    try {
      Files.createDirectories(directory);
      channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new ControlPlaneException(Reason.UNAVAILABLE, null, "control-plane directory " + directory
            + " is in use by another control plane");
      }
      TreeMap<String, Entry> entries = new TreeMap<>();
      long revision = 0;
      Path state = directory.resolve(STATE_FILE);
      if (Files.exists(state)) {
        JsonNode root = JSON.readTree(state.toFile());
        revision = root.path("revision").asLong();
        for (JsonNode e : root.path("entries")) {
          Entry entry = new Entry(e.path("key").asText(), e.path("value").asText(), e.path("create").asLong(),
              e.path("mod").asLong());
          entries.put(entry.key(), entry);
        }
      }
      return new DirectoryKeyValueStore(directory, channel, lock, entries, revision);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new ControlPlaneException(Reason.UNAVAILABLE, null, "cannot open control-plane directory " + directory
          + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /**
   * Calls {@code listener} after every committed transaction with the whole state and the keys the
   * transaction wrote or deleted, under the store's lock (so calls come in commit order).
   */
  public synchronized void addListener(BiConsumer<SortedMap<String, Entry>, Set<String>> listener) {
    listeners.add(requireNonNull(listener, "listener is null"));
  }

  /** The directory this store lives in. */
  public Path directory() {
    return directory;
  }

  @Override
  public synchronized Range range(String prefix) {
    checkOpen();
    TreeMap<String, Entry> result = new TreeMap<>();
    for (Entry entry : entries.tailMap(prefix, true).values()) {
      if (!entry.key().startsWith(prefix)) {
        break;
      }
      result.put(entry.key(), entry);
    }
    return new Range(Collections.unmodifiableSortedMap(result), revision);
  }

  @Override
  public synchronized @Nullable Entry get(String key) {
    checkOpen();
    return entries.get(key);
  }

  /** All keys and values, in key order (for listeners and tests). */
  public synchronized SortedMap<String, Entry> entries() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  @Override
  public synchronized long commit(List<Condition> conditions, List<Write> writes) {
    checkOpen();
    for (Condition condition : conditions) {
      Entry entry = entries.get(condition.key());
      long mod = entry == null ? 0 : entry.modRevision();
      if (mod != condition.modRevision()) {
        return -1;
      }
    }
    long next = revision + 1;
    TreeMap<String, Entry> updated = new TreeMap<>(entries);
    Set<String> changed = new LinkedHashSet<>();
    for (Write write : writes) {
      changed.add(write.key());
      if (write instanceof Write.Put put) {
        Entry old = updated.get(put.key());
        updated.put(put.key(), new Entry(put.key(), put.value(), old == null ? next : old.createRevision(), next));
      } else {
        updated.remove(write.key());
      }
    }
    persist(updated, next);
    entries = updated;
    revision = next;
    SortedMap<String, Entry> view = Collections.unmodifiableSortedMap(updated);
    for (BiConsumer<SortedMap<String, Entry>, Set<String>> listener : listeners) {
      try {
        listener.accept(view, Collections.unmodifiableSet(changed));
      } catch (RuntimeException e) {
        // The transaction is durable; a listener (the registry file) catches up on the next change or start.
        LOG.log(System.Logger.Level.WARNING, "after commit " + next + " in " + directory + ": " + e.getMessage(), e);
      }
    }
    return next;
  }

  private void persist(TreeMap<String, Entry> state, long newRevision) {
    Path temp = directory.resolve(STATE_FILE + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream out = Channels.newOutputStream(channel);
        try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
          json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
          json.writeStartObject();
          json.writeNumberField("revision", newRevision);
          json.writeArrayFieldStart("entries");
          for (Entry entry : state.values()) {
            json.writeStartObject();
            json.writeStringField("key", entry.key());
            json.writeStringField("value", entry.value());
            json.writeNumberField("create", entry.createRevision());
            json.writeNumberField("mod", entry.modRevision());
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeEndObject();
        }
        channel.force(true);
      }
      Files.move(temp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(directory);
    } catch (IOException e) {
      throw new ControlPlaneException(Reason.UNAVAILABLE, null, "cannot write " + stateFile + ": " + e.getMessage(), e);
    }
  }

  /** Makes a rename in {@code directory} durable (a no-op where directories cannot be opened). */
  static void forceDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (UnsupportedOperationException | AccessDeniedException e) {
      // Some platforms cannot open a directory for syncing; the rename is still atomic there.
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("control-plane directory store is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel releases it anyway.
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(@Nullable FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }
}
