package dev.onfs.server.cli.consume;

import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.ingest.kafka.FeatureSink;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.ingest.kafka.SchemaCatalog;
import dev.onfs.ingest.kafka.StoreSink;
import dev.onfs.server.Backends;

/**
 * The store and registry {@code serve} opens too ({@link Backends}), and the core persist path
 * ({@link OnlineFeatureStore#persist}) over them as the consumers' sink.
 */
enum DefaultBackends implements ConsumeBackends {
  INSTANCE;

  @Override
  public Opened open(ConsumeConfig config) {
    Backends backends = Backends.open(config.backends(), "");
    FeatureRegistry registry = backends.registry();
    OnlineStore store = backends.store();
    OnlineFeatureStore features;
    try {
      features = OnlineFeatureStore.builder()
          .registry(registry)
          .store(store)
          .partialPersist(config.partialPersist())
          .build();
    } catch (RuntimeException e) {
      backends.close();
      throw e;
    }
    SchemaCatalog catalog = new RegistryCatalog(registry);
    FeatureSink sink = new StoreSink(features);
    return new Opened() {
      @Override
      public SchemaCatalog catalog() {
        return catalog;
      }

      @Override
      public FeatureSink sink() {
        return sink;
      }

      @Override
      public FeatureRegistry registry() {
        return registry;
      }

      @Override
      public OnlineStore store() {
        return store;
      }

      @Override
      public void close() {
        features.close();
        backends.close();
      }
    };
  }
}
