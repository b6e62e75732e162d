package dev.onfs.core.metrics;

/**
 * Receives serving and registry measurements. Implementations must be thread-safe and fast (they run on the
 * request path); every method defaults to doing nothing, so an implementation overrides only what it
 * reports. The server binds Micrometer to this interface; core never depends on a metrics library.
 */
public interface OnfsStatsRecorder {

  /** A retrieve of {@code keyRows} key rows for {@code entityLabel} finished in {@code nanos}. */
  default void recordRetrieve(String entityLabel, int keyRows, long nanos) {}

  /** A persist of {@code rows} rows for {@code entityLabel} finished in {@code nanos}. */
  default void recordPersist(String entityLabel, int rows, long nanos) {}

  /** A request for {@code entityLabel} failed with {@code errorCode} (an {@code ErrorCode} name). */
  default void recordError(String entityLabel, String errorCode) {}

  /** Near-cache lookups: {@code hits} entity keys found, {@code misses} not found. */
  default void recordNearCache(String entityLabel, int hits, int misses) {}

  /** One store multi-get of {@code keys} entity keys took {@code nanos}. */
  default void recordStoreRead(String entityLabel, int keys, long nanos) {}

  /** One store batch write of {@code rows} rows took {@code nanos}. */
  default void recordStoreWrite(String entityLabel, int rows, long nanos) {}

  /**
   * Blocks read for {@code featureGroupLabel} in one request: {@code valid} live, {@code expired}
   * (expired, or written with a schema version the registry no longer has), {@code missing}.
   */
  default void recordValidity(String entityLabel, String featureGroupLabel, int valid, int expired, int missing) {}

  /**
   * The registry in force quarantines {@code featureGroups} feature groups: their definition in the
   * source is invalid (see {@code FeatureRegistry#quarantined()}). Reported at start and on every change.
   */
  default void recordQuarantinedFeatureGroups(int featureGroups) {}

  /**
   * A change of the registry's source was rejected as a whole and the last good snapshot stays.
   *
   * @param source the kind of registry: {@code file} or {@code etcd}
   */
  default void recordRegistryReloadFailure(String source) {}

  /** A recorder that records nothing. */
  static OnfsStatsRecorder disabled() {
    return DisabledStatsRecorder.INSTANCE;
  }
}
