package dev.onfs.core.storage;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

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

  /** Every factory on the class or module path, by name; the first found of a name wins. */
  static Map<String, StoreFactory> available() {
    Map<String, StoreFactory> factories = new TreeMap<>();
    for (StoreFactory factory : ServiceLoader.load(StoreFactory.class, StoreFactory.class.getClassLoader())) {
      factories.putIfAbsent(factory.name(), factory);
    }
    return factories;
  }

  /**
   * The factory called {@code name}; fails with {@link ErrorCode#INVALID_ARGUMENT} naming {@code option}
   * (where the name came from, e.g. {@code option 'store'}) and the adapters there are.
   */
  static StoreFactory named(String name, String option) {
    Map<String, StoreFactory> factories = available();
    StoreFactory factory = factories.get(name);
    if (factory == null) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, option + " names no storage adapter: '" + name
          + "'; available: " + String.join(", ", factories.keySet()));
    }
    return factory;
  }
}
