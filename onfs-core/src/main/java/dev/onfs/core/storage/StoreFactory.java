package dev.onfs.core.storage;

import java.util.Map;

/**
 * Creates an {@link OnlineStore} from flat string settings. One per adapter, listed in
 * {@code META-INF/services/dev.onfs.core.storage.StoreFactory} and found by {@link #name()}.
 */
public interface StoreFactory {
  /** Short stable name used in configuration: {@code memory}, {@code redis}, {@code scylla}. */
  String name();

  /**
   * Creates a store; unknown or malformed settings fail with
   * {@link dev.onfs.core.ErrorCode#INVALID_ARGUMENT} naming the setting.
   */
  OnlineStore create(Map<String, String> settings);
}
