package dev.onfs.core;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.metrics.OnfsStatsRecorder;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link OnlineFeatureStore}. Each setter validates its argument once; {@link #build()}
 * checks that the required parts are present.
 */
public final class OnlineFeatureStoreBuilder {
  static final long DEFAULT_NEAR_CACHE_MAX_BYTES = 64L * 1024 * 1024;

  private Clock clock = Clock.systemUTC();
  private OnfsStatsRecorder stats = OnfsStatsRecorder.disabled();
  private Executor executor = ForkJoinPool.commonPool();
  private long nearCacheMaxBytes;
  private boolean nearCache;

  OnlineFeatureStoreBuilder() {}

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

  /** Builds the store. */
  public OnlineFeatureStore build() {
    throw new IllegalStateException("registry and store are not set");
  }

  Clock clock() {
    return clock;
  }

  OnfsStatsRecorder stats() {
    return stats;
  }

  Executor executor() {
    return executor;
  }

  @Nullable
  Long nearCacheMaxBytes() {
    return nearCache ? nearCacheMaxBytes : null;
  }
}
