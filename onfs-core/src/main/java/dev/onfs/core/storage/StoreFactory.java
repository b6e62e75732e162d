package dev.onfs.core.storage;

import java.time.Clock;
import java.util.Map;

/**
 * Creates an {@link OnlineStore} from flat string settings. One per adapter, listed in
 * {@code META-INF/services/dev.onfs.core.storage.StoreFactory} and found by {@link #name()}.
 */
public interface StoreFactory {
  /** Short stable name used in configuration: {@code memory}, {@code redis}, {@code scylla}. */
  String name();

  /**
   * Creates a store on the system clock; unknown or malformed settings fail with
   * {@link dev.onfs.core.ErrorCode#INVALID_ARGUMENT} naming the setting.
   */
  default OnlineStore create(Map<String, String> settings) {
    return create(settings, Clock.systemUTC());
  }

  /**
   * Creates a store that judges block expiry (reads skipping expired blocks, the store's own TTLs) by
   * {@code clock}: give it the clock given to {@link dev.onfs.core.serving.OnlineFeatureStoreBuilder#clock}, so
   * that the store and serving agree on what has expired. Settings as {@link #create(Map)}.
   */
  OnlineStore create(Map<String, String> settings, Clock clock);
}
