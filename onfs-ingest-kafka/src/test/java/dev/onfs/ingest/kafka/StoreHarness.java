package dev.onfs.ingest.kafka;

import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.registry.file.RegistryFiles;
import dev.onfs.storage.redis.RedisStoreFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real write path for the fault tests: registry, Redis adapter, core {@link OnlineFeatureStore},
 * and {@link StoreSink} over it; plus reading the stored state back through the same store.
 */
final class StoreHarness implements AutoCloseable {
  static final String REGISTRY_YAML = String.join("\n",
      "stores:",
      "  \"1\": {db-type: redis_failover, conf-id: 1, table: user_features, primary-keys: [user_id], table-ttl: 0}",
      "entities:",
      "  user:",
      "    keys: [user_id]",
      "    feature-groups:",
      "      counts: {id: 0, data-type: Int64, store-id: 1, features: [{label: clicks, default: 0}]}",
      "      flags: {id: 1, data-type: Bool, store-id: 1, features: [{label: active, default: false}]}",
      "");

  final FeatureRegistry registry = new InMemoryFeatureRegistry(RegistryFiles.parse("registry.yaml", REGISTRY_YAML));
  final SchemaCatalog catalog = new RegistryCatalog(registry);
  private final OnlineStore store;
  final OnlineFeatureStore features;
  final StoreSink sink;

  StoreHarness(String host, int port) {
    // A long socket timeout: a write that times out on the client keeps running on the server
    // (every command is fsynced here, slow on a loaded machine) and races its own retry; these tests
    // are about servers going away, which fails fast on a refused or reset connection.
    store = new RedisStoreFactory().create(Map.of(
        "mode", "standalone", "nodes", host + ":" + port, "connect-timeout-ms", "1000", "socket-timeout-ms", "30000"));
    features = OnlineFeatureStore.builder().registry(registry).store(store).build();
    sink = new StoreSink(features);
  }

  /** "u<id>" -> [clicks, active] as the store decodes them, for ids 0..entities-1; empty if unreadable. */
  Map<String, List<String>> read(int entities) {
    List<RetrieveQuery.Keys> keys = new ArrayList<>();
    for (int id = 0; id < entities; id++) {
      keys.add(RetrieveQuery.Keys.of("u" + id));
    }
    RetrieveQuery query = new RetrieveQuery("user",
        List.of(new RetrieveQuery.FeatureGroup("counts", List.of("clicks")),
            new RetrieveQuery.FeatureGroup("flags", List.of("active"))),
        List.of("user_id"), keys);
    Map<String, List<String>> state = new HashMap<>();
    try {
      DecodedResult result = features.retrieveDecoded(query);
      for (DecodedResult.DecodedRow row : result.rows()) {
        state.put(row.keys().get(0), row.columns());
      }
    } catch (RuntimeException storeDown) {
      return Map.of();
    }
    return state;
  }

  @Override
  public void close() {
    features.close();
    try {
      store.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    registry.close();
  }
}
