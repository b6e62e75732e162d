package dev.onfs.core.registry.file;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.RegistryListener;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.quarantine.Quarantines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FeatureRegistry} read from one file or from every {@code .yaml}, {@code .yml} and {@code
 * .json} file of a directory (not recursive), and reloaded when the content changes.
 *
 * <p>Changes are found by polling: every interval the files are read and compared byte for byte
 * with the last load, which also catches editors that replace a file by renaming and changes
 * that keep the modification time.
 *
 * <p>Each feature group is validated on its own: one whose definition is invalid is quarantined
 * ({@link RegistrySnapshot#quarantined()}) and left out, or keeps its last good definition when it
 * had one, while the rest of the change applies. A change that fails as a whole (a file that does
 * not parse, an invalid store or token, a file that cannot be read) is logged, reported to the
 * listeners ({@link RegistryListener#onRejected}), and the last good snapshot stays in force; the
 * same bad content is reported once.
 */
public final class FileFeatureRegistry implements FeatureRegistry {
  private static final System.Logger LOG = System.getLogger(FileFeatureRegistry.class.getName());

  /** The polling interval when none is given. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  private final Path path;
  private final DocumentParser parser;
  private final InMemoryFeatureRegistry holder;
  private final @Nullable ScheduledExecutorService poller;
  private final Object reloadLock = new Object();
  private Map<String, byte[]> lastContent;
  private @Nullable String lastReadError;
  private long loads;

  private FileFeatureRegistry(Path path, DocumentParser parser, @Nullable Duration pollInterval) {
    this.path = requireNonNull(path, "path is null");
    this.parser = requireNonNull(parser, "parser is null");
    Map<String, byte[]> content = readAll(path);
    RegistrySnapshot initial = parseQuarantining(parser, content, 1);
    Quarantines.logChanges(LOG, path.toString(), RegistrySnapshot.empty(), initial);
    this.holder = new InMemoryFeatureRegistry(initial);
    this.lastContent = content;
    this.loads = 1;
    if (pollInterval == null) {
      this.poller = null;
    } else {
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
      }
      this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "onfs-registry-file-poller");
        thread.setDaemon(true);
        return thread;
      });
      long millis = Math.max(1, pollInterval.toMillis());
      poller.scheduleWithFixedDelay(this::reloadQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Loads the registry and watches it for changes. Invalid feature groups are quarantined, not fatal.
   *
   * @throws OnfsException when the files cannot be read (REGISTRY_UNAVAILABLE) or are invalid as a
   *     whole (INVALID_REGISTRY)
   */
  public static FileFeatureRegistry watch(Path path, DocumentParser parser, Duration pollInterval) {
    return new FileFeatureRegistry(path, parser, requireNonNull(pollInterval, "pollInterval is null"));
  }

  /** Loads the registry once; {@link #reload()} re-reads it on demand. */
  public static FileFeatureRegistry open(Path path, DocumentParser parser) {
    return new FileFeatureRegistry(path, parser, null);
  }

  /**
   * Reads and validates a file or directory into a snapshot without keeping anything; any invalid
   * definition fails it (nothing is quarantined).
   */
  public static RegistrySnapshot load(Path path, DocumentParser parser) {
    return parse(parser, readAll(path), 1);
  }

  /**
   * Re-reads the files now; applies them when they changed and are valid as a whole (quarantining
   * invalid feature groups).
   *
   * @return true when a new snapshot was applied
   * @throws OnfsException when the changed files are invalid as a whole or unreadable (the last
   *     snapshot stays)
   */
  public boolean reload() {
    synchronized (reloadLock) {
      Map<String, byte[]> content;
      try {
        content = readAll(path);
      } catch (OnfsException e) {
        // A missing or unreadable file is reported once, not on every poll.
        if (!e.getMessage().equals(lastReadError)) {
          lastReadError = e.getMessage();
          rejected(e);
        }
        throw e;
      }
      lastReadError = null;
      if (sameContent(content, lastContent)) {
        return false;
      }
      // Remember the content first, so a bad edit is reported once rather than on every poll.
      lastContent = content;
      RegistrySnapshot next;
      try {
        next = parseQuarantining(parser, content, loads + 1);
      } catch (OnfsException e) {
        rejected(e);
        throw e;
      }
      loads++;
      RegistrySnapshot previous = holder.snapshot();
      next = Quarantines.keepLastGood(next, previous);
      Quarantines.logChanges(LOG, path.toString(), previous, next);
      holder.update(next);
      return true;
    }
  }

  private void rejected(OnfsException e) {
    LOG.log(System.Logger.Level.WARNING, "registry " + path + ": change rejected, keeping the last good snapshot: "
        + e.getMessage());
    holder.reject(e);
  }

  private void reloadQuietly() {
    try {
      reload();
    } catch (RuntimeException e) {
      // Already reported to the listeners; keep polling.
    }
  }

  @Override
  public RegistrySnapshot snapshot() {
    return holder.snapshot();
  }

  @Override
  public void addListener(RegistryListener listener) {
    holder.addListener(listener);
  }

  @Override
  public void removeListener(RegistryListener listener) {
    holder.removeListener(listener);
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
    holder.close();
  }

  /**
   * Parses documents held in memory (name to content) as {@link #load} parses files: an empty document
   * adds nothing, and a parser failure names the document.
   */
  public static RegistrySnapshot parse(DocumentParser parser, Map<String, byte[]> content, long revision) {
    return RegistryDocument.toSnapshot(parseAll(parser, content), revision);
  }

  private static RegistrySnapshot parseQuarantining(DocumentParser parser, Map<String, byte[]> content, long revision) {
    return RegistryDocument.toSnapshotQuarantining(parseAll(parser, content), revision);
  }

  private static Map<String, @Nullable Object> parseAll(DocumentParser parser, Map<String, byte[]> content) {
    Map<String, @Nullable Object> documents = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> file : content.entrySet()) {
      documents.put(file.getKey(), parseOne(parser, file.getKey(), file.getValue()));
    }
    return documents;
  }

  private static @Nullable Object parseOne(DocumentParser parser, String name, byte[] bytes) {
    try {
      return parser.parse(name, bytes);
    } catch (OnfsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new OnfsException(ErrorCode.INVALID_REGISTRY, name + ": cannot parse: " + e.getMessage(), e);
    }
  }

  private static boolean sameContent(Map<String, byte[]> a, Map<String, byte[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, byte[]> e : a.entrySet()) {
      if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** File name (or, for a directory, the files' names in sorted order) to content. */
  private static Map<String, byte[]> readAll(Path path) {
    try {
      List<Path> files = new ArrayList<>();
      if (Files.isDirectory(path)) {
        try (Stream<Path> list = Files.list(path)) {
          list.filter(Files::isRegularFile).filter(FileFeatureRegistry::isRegistryFile).sorted().forEach(files::add);
        }
        if (files.isEmpty()) {
          throw new OnfsException(ErrorCode.REGISTRY_UNAVAILABLE,
              "registry directory " + path + " has no .yaml, .yml or .json files");
        }
      } else {
        files.add(path);
      }
      Map<String, byte[]> content = new LinkedHashMap<>();
      for (Path file : files) {
        content.put(file.getFileName().toString(), Files.readAllBytes(file));
      }
      return content;
    } catch (IOException e) {
      throw new OnfsException(ErrorCode.REGISTRY_UNAVAILABLE, "cannot read registry " + path + ": " + e, e);
    }
  }

  private static boolean isRegistryFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }
}
