package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.metrics.OnfsStatsRecorder;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.storage.OnlineStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link OnlineFeatureStore}. Each setter validates its argument once; {@link #build()}
 * checks that the required parts are present.
 */
public final class OnlineFeatureStoreBuilder {
  static final long DEFAULT_NEAR_CACHE_MAX_BYTES = 64L * 1024 * 1024;

  private @Nullable FeatureRegistry registry;
  private @Nullable OnlineStore defaultStore;
  private final Map<String, OnlineStore> stores = new HashMap<>();
  private Clock clock = Clock.systemUTC();
  private OnfsStatsRecorder stats = OnfsStatsRecorder.disabled();
  private Executor executor = ForkJoinPool.commonPool();
  private long nearCacheMaxBytes;
  private boolean nearCache;
  private Limits limits = Limits.defaults();
  private PartialPersist partialPersist = PartialPersist.MERGE;

  OnlineFeatureStoreBuilder() {}

  /** The registry describing entities, feature groups and stores. Required. */
  public OnlineFeatureStoreBuilder registry(FeatureRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
    return this;
  }

  /** The store serving every registry store id not given its own with {@link #store(String, OnlineStore)}. */
  public OnlineFeatureStoreBuilder store(OnlineStore store) {
    this.defaultStore = requireNonNull(store, "store is null");
    return this;
  }

  /** The store serving the feature groups of registry store {@code storeId}. */
  public OnlineFeatureStoreBuilder store(String storeId, OnlineStore store) {
    requireNonNull(storeId, "storeId is null");
    if (storeId.isBlank()) {
      throw new IllegalArgumentException("storeId is blank");
    }
    stores.put(storeId, requireNonNull(store, "store is null"));
    return this;
  }

  /** The clock deciding block expiry and near-cache ages; {@code Clock.systemUTC()} by default. */
  public OnlineFeatureStoreBuilder clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock is null");
    return this;
  }

  /** Where serving reports its measurements; {@link OnfsStatsRecorder#disabled()} by default. */
  public OnlineFeatureStoreBuilder statsRecorder(OnfsStatsRecorder stats) {
    this.stats = requireNonNull(stats, "stats is null");
    return this;
  }

  /** Runs the async variants; the common fork-join pool by default. */
  public OnlineFeatureStoreBuilder executor(Executor executor) {
    this.executor = requireNonNull(executor, "executor is null");
    return this;
  }

  /** Bounds on the work one request may ask for; {@link Limits#defaults()} by default. */
  public OnlineFeatureStoreBuilder limits(Limits limits) {
    this.limits = requireNonNull(limits, "limits is null");
    return this;
  }

  /**
   * Enables the near cache, bounded to about {@code maximumBytes} of cached blocks. Only feature groups
   * whose entity and group both enable the registry's in-memory cache are cached, for the entity's
   * {@code ttl-in-seconds} (plus up to {@code jitter-percentage} percent). Off by default.
   */
  public OnlineFeatureStoreBuilder nearCache(long maximumBytes) {
    if (maximumBytes <= 0) {
      throw new IllegalArgumentException("nearCache maximumBytes must be positive, got " + maximumBytes);
    }
    this.nearCache = true;
    this.nearCacheMaxBytes = maximumBytes;
    return this;
  }

  /** Enables the near cache with a 64 MiB bound. */
  public OnlineFeatureStoreBuilder nearCache() {
    return nearCache(DEFAULT_NEAR_CACHE_MAX_BYTES);
  }

  /**
   * What a persist does with the features of a feature group that it does not name: {@link
   * PartialPersist#MERGE} (the default) keeps their stored values, at the cost of one store read and a
   * conditional write per partial persist; {@link PartialPersist#RESET} writes their registry defaults,
   * as the reference does. Persists naming every feature of their groups are blind writes either way.
   */
  public OnlineFeatureStoreBuilder partialPersist(PartialPersist mode) {
    this.partialPersist = requireNonNull(mode, "mode is null");
    return this;
  }

  /**
   * Builds the store.
   *
   * @throws IllegalStateException when no registry or no store was given
   */
  public OnlineFeatureStore build() {
    if (registry == null) {
      throw new IllegalStateException("registry is not set");
    }
    if (defaultStore == null && stores.isEmpty()) {
      throw new IllegalStateException("no store is set");
    }
    return ServingFactory.create(
        registry, Map.copyOf(stores), defaultStore, clock, stats, executor, nearCache ? nearCacheMaxBytes : 0, limits,
        partialPersist);
  }
}
