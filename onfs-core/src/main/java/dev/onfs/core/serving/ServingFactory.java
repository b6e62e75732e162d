package dev.onfs.core.serving;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.cache.NearCache;
import dev.onfs.core.metrics.OnfsStatsRecorder;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.storage.OnlineStore;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Assembles an {@link OnlineFeatureStore}; called by {@link OnlineFeatureStoreBuilder#build()}. */
final class ServingFactory {
  private ServingFactory() {}

  /**
   * @param nearCacheMaxBytes the near cache's bound, or 0 for no near cache
   * @param partialPersist what persists do with the features of a group they do not name
   */
  static OnlineFeatureStore create(
      FeatureRegistry registry,
      Map<String, OnlineStore> stores,
      @Nullable OnlineStore defaultStore,
      Clock clock,
      OnfsStatsRecorder stats,
      Executor executor,
      long nearCacheMaxBytes,
      Limits limits,
      PartialPersist partialPersist) {
    Function<String, OnlineStore> storeById = storeId -> {
      OnlineStore store = stores.get(storeId);
      if (store == null) {
        store = defaultStore;
      }
      if (store == null) {
        throw new OnfsException(ErrorCode.INVALID_REGISTRY, "no store is configured for registry store id '" + storeId + "'");
      }
      return store;
    };
    NearCache nearCache = nearCacheMaxBytes > 0 ? NearCache.create(nearCacheMaxBytes, clock) : null;
    ServingSchema.Source schemas = new RegistrySchemaSource(registry);
    RequestChecks checks = new RequestChecks(limits);
    Retriever retriever = new Retriever(schemas, storeById, nearCache, clock, stats, checks);
    Persister persister = new Persister(schemas, storeById, nearCache, clock, stats, checks, partialPersist);
    return new EmbeddedFeatureStore(retriever, persister, nearCache, executor, limits);
  }
}
