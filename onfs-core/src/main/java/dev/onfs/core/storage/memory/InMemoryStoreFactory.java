package dev.onfs.core.storage.memory;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreFactory;
import java.time.Clock;
import java.util.Map;

/**
 * Creates {@link InMemoryStore}s under the name {@code memory}. Settings: {@code max-batch-size}
 * (default 10000).
 */
public final class InMemoryStoreFactory implements StoreFactory {
  public static final String MAX_BATCH_SIZE = "max-batch-size";

  @Override
  public String name() {
    return InMemoryStore.NAME;
  }

  @Override
  public OnlineStore create(Map<String, String> settings, Clock clock) {
    InMemoryStore.Builder builder = InMemoryStore.builder().clock(clock);
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (e.getKey().equals(MAX_BATCH_SIZE)) {
        try {
          builder.maxBatchSize(Integer.parseInt(e.getValue().trim()));
        } catch (NumberFormatException ex) {
          throw new OnfsException(
              ErrorCode.INVALID_ARGUMENT, "memory store setting " + MAX_BATCH_SIZE + " is not a number: " + e.getValue());
        }
      } else {
        throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "unknown memory store setting '" + e.getKey() + "'");
      }
    }
    return builder.build();
  }
}
