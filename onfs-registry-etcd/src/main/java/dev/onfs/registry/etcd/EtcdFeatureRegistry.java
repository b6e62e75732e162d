package dev.onfs.registry.etcd;

import static dev.onfs.registry.etcd.EtcdConnections.bytes;
import static java.util.Objects.requireNonNull;

import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.RegistryListener;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.quarantine.Quarantines;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FeatureRegistry} that follows the reference's etcd tree under {@code /config/<app>}.
 *
 * <p>It reads the whole tree with one prefix GET, then watches the prefix from the next revision.
 * Changes are applied to a local copy of the keys; after they settle ({@link
 * EtcdRegistryConfig#settleDelay()}, because control planes write one key at a time) the snapshot
 * is rebuilt and swapped in. Each feature group is validated on its own: one whose keys are invalid
 * is quarantined ({@link RegistrySnapshot#quarantined()}, logged once per change) and left out, or
 * keeps its last good definition when it had one, while changes to every other group still apply.
 * When the tree is invalid as a whole (a bad store or security entry) the last good snapshot stays
 * and the listeners hear {@link RegistryListener#onRejected}. When the watch fails (etcd restarted, the
 * revision was compacted) the registry reads the tree afresh and watches again from that read's
 * revision, retrying with backoff while etcd is away; the last snapshot keeps serving meanwhile.
 */
public final class EtcdFeatureRegistry implements FeatureRegistry {
  private static final System.Logger LOG = System.getLogger(EtcdFeatureRegistry.class.getName());
  private static final long MAX_BACKOFF_MILLIS = 2000;

  private final EtcdRegistryConfig config;
  private final Client client;
  private final InMemoryFeatureRegistry holder;
  private final ScheduledExecutorService executor;

  // Confined to the executor thread.
  private TreeMap<String, String> keys;
  private long revision;
  private long generation;
  private Watch.@Nullable Watcher watcher;
  private boolean rebuildScheduled;
  private long backoffMillis = 100;
  private volatile boolean closed;

  private EtcdFeatureRegistry(EtcdRegistryConfig config) {
    this.config = requireNonNull(config, "config is null");
    this.client = EtcdConnections.client(config);
    try {
      EtcdConnections.Tree tree = EtcdConnections.readTree(client, config);
      this.keys = tree.values();
      this.revision = tree.revision();
      RegistrySnapshot initial = EtcdKeyTree.readQuarantining(config.appName(), keys, revision);
      Quarantines.logChanges(LOG, config.basePath(), RegistrySnapshot.empty(), initial);
      this.holder = new InMemoryFeatureRegistry(initial);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "onfs-registry-etcd");
      thread.setDaemon(true);
      return thread;
    });
    executor.execute(() -> watchFrom(revision + 1));
  }

  /**
   * Loads the tree and starts watching it. Invalid feature groups are quarantined, not fatal.
   *
   * @throws OnfsException REGISTRY_UNAVAILABLE when etcd cannot be read, INVALID_REGISTRY (naming
   *     the key) when the tree is invalid as a whole (a bad store or security entry)
   */
  public static EtcdFeatureRegistry start(EtcdRegistryConfig config) {
    return new EtcdFeatureRegistry(config);
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

  private void watchFrom(long fromRevision) {
    if (closed) {
      return;
    }
    long watchGeneration = ++generation;
    WatchOption option = WatchOption.builder().isPrefix(true).withRevision(fromRevision).build();
    watcher = client.getWatchClient().watch(bytes(config.basePath() + "/"), option, Watch.listener(
        response -> submit(() -> onEvents(watchGeneration, response)),
        error -> submit(() -> onWatchFailure(watchGeneration, error)),
        () -> submit(() -> onWatchFailure(watchGeneration, null))));
  }

  private void submit(Runnable task) {
    if (!closed) {
      try {
        executor.execute(task);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  private void onEvents(long watchGeneration, WatchResponse response) {
    if (closed || watchGeneration != generation) {
      return;
    }
    String base = config.basePath();
    for (WatchEvent event : response.getEvents()) {
      KeyValue kv = event.getKeyValue();
      String key = kv.getKey().toString(StandardCharsets.UTF_8);
      if (!key.startsWith(base + "/")) {
        continue;
      }
      if (event.getEventType() == WatchEvent.EventType.PUT) {
        keys.put(key, kv.getValue().toString(StandardCharsets.UTF_8));
      } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
        keys.remove(key);
      }
      revision = Math.max(revision, kv.getModRevision());
    }
    backoffMillis = 100;
    if (!rebuildScheduled) {
      rebuildScheduled = true;
      executor.schedule(this::rebuild, config.settleDelay().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void rebuild() {
    rebuildScheduled = false;
    if (closed) {
      return;
    }
    try {
      RegistrySnapshot previous = holder.snapshot();
      RegistrySnapshot next = Quarantines.keepLastGood(
          EtcdKeyTree.readQuarantining(config.appName(), keys, revision), previous);
      Quarantines.logChanges(LOG, config.basePath(), previous, next);
      holder.update(next);
    } catch (OnfsException e) {
      LOG.log(Level.WARNING, "registry " + config.basePath() + ": change at revision " + revision
          + " rejected, keeping the last good snapshot: " + e.getMessage());
      holder.reject(e);
    }
  }

  private void onWatchFailure(long watchGeneration, @Nullable Throwable error) {
    if (closed || watchGeneration != generation) {
      return;
    }
    LOG.log(Level.INFO, "etcd watch on " + config.basePath() + " ended" + (error == null ? "" : ": " + error)
        + "; reading the tree again");
    closeWatcher();
    generation++;
    resync();
  }

  private void resync() {
    if (closed) {
      return;
    }
    try {
      EtcdConnections.Tree tree = EtcdConnections.readTree(client, config);
      keys = tree.values();
      revision = tree.revision();
      backoffMillis = 100;
      rebuild();
      watchFrom(revision + 1);
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "etcd still unavailable, retrying in " + backoffMillis + " ms: " + e.getMessage());
      long delay = backoffMillis;
      backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
      executor.schedule(this::resync, delay, TimeUnit.MILLISECONDS);
    }
  }

  private void closeWatcher() {
    Watch.Watcher current = watcher;
    watcher = null;
    if (current != null) {
      try {
        current.close();
      } catch (RuntimeException e) {
        // already broken
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      executor.submit(this::closeWatcher).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort
    }
    executor.shutdownNow();
    client.close();
    holder.close();
  }
}
