package dev.onfs.server;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreFactory;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds storage adapters by name among the {@link StoreFactory} services on the class path. */
public final class StoreFactories {
  private StoreFactories() {}

  /** Every factory found, by name. */
  public static Map<String, StoreFactory> available() {
    Map<String, StoreFactory> factories = new TreeMap<>();
    for (StoreFactory factory : ServiceLoader.load(StoreFactory.class, StoreFactories.class.getClassLoader())) {
      factories.putIfAbsent(factory.name(), factory);
    }
    return factories;
  }

  /** Creates the store the named factory builds from {@code settings}. */
  public static OnlineStore create(String name, Map<String, String> settings) {
    Map<String, StoreFactory> factories = available();
    StoreFactory factory = factories.get(name);
    if (factory == null) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT,
          "option 'store' names no storage adapter: '" + name + "'; available: " + String.join(", ", factories.keySet()));
    }
    return factory.create(settings);
  }
}
