package dev.onfs.server;

import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreFactory;
import java.util.Map;

/** Opens storage adapters by name, as the {@code store} option names them. */
public final class StoreFactories {
  private StoreFactories() {}

  /** Creates the store the named factory builds from {@code settings}. */
  public static OnlineStore create(String name, Map<String, String> settings) {
    return StoreFactory.named(name, "option 'store'").create(settings);
  }
}
