package dev.onfs.server.cli.consume;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.ingest.kafka.FeatureSink;
import dev.onfs.ingest.kafka.RegistryCatalog;
import dev.onfs.ingest.kafka.SchemaCatalog;
import dev.onfs.ingest.kafka.StoreSink;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.server.EtcdRegistries;
import dev.onfs.server.StoreFactories;
import java.nio.file.Path;

/**
 * The server's store and registry selection, as {@code serve} makes it: a storage adapter by factory
 * name with its settings, the registry from a file (hot-reloaded) or etcd (watched), and the core persist path
 * ({@link OnlineFeatureStore#persist}) as the consumers' sink.
 */
enum DefaultBackends implements ConsumeBackends {
  INSTANCE;

  @Override
  public Opened open(ConsumeConfig config) {
    FeatureRegistry registry = registry(config);
    OnlineStore store;
    try {
      store = StoreFactories.create(config.get(ConsumeConfig.Option.STORE), config.storeSettings());
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    OnlineFeatureStore features;
    try {
      features = OnlineFeatureStore.builder()
          .registry(registry)
          .store(store)
          .partialPersist(config.partialPersist())
          .build();
    } catch (RuntimeException e) {
      closeQuietly(store);
      registry.close();
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
        closeQuietly(store);
        registry.close();
      }
    };
  }

  private static FeatureRegistry registry(ConsumeConfig config) {
    String kind = config.get(ConsumeConfig.Option.REGISTRY);
    if (kind.equals("file")) {
      String file = config.get(ConsumeConfig.Option.REGISTRY_FILE);
      if (file.isEmpty()) {
        throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "option 'registry-file' is required when registry=file");
      }
      return RegistryFiles.watch(Path.of(file));
    }
    if (kind.equals("etcd")) {
      return EtcdRegistries.open(config.get(ConsumeConfig.Option.ETCD_ENDPOINTS), config.get(ConsumeConfig.Option.APP_NAME),
          config.etcdAccess());
    }
    throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "option 'registry' must be file or etcd, got '" + kind + "'");
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      System.getLogger(DefaultBackends.class.getName()).log(System.Logger.Level.WARNING, "close failed", e);
    }
  }
}
