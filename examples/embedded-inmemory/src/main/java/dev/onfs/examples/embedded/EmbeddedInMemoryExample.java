package dev.onfs.examples.embedded;

import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.DefaultValues;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.serving.DecodedResult;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.core.serving.Values;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.core.types.DataType;
import java.io.PrintStream;
import java.util.List;

/**
 * OnFS as a library: describe an entity and two feature groups in code, write features for two users,
 * then read them back as stored bytes and as text. No server, no network.
 */
public final class EmbeddedInMemoryExample {
  private EmbeddedInMemoryExample() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the example, printing what it reads to {@code out}. */
  public static void run(PrintStream out) {
    try (OnlineFeatureStore onfs = OnlineFeatureStore.builder()
        .registry(new InMemoryFeatureRegistry(registry()))
        .store(InMemoryStore.create())
        .nearCache()
        .build()) {

      onfs.persist(new PersistQuery(
          "user",
          List.of("user_id"),
          List.of(
              new PersistQuery.FeatureGroupSchema("user_stats", List.of("ctr", "orders_30d")),
              new PersistQuery.FeatureGroupSchema("user_embedding", List.of("emb"))),
          List.of(new PersistQuery.Data(
              List.of("42"),
              List.of(Values.fp32(0.125, 3), Values.vectors(Values.fp32(0.5, -1, 2, 0)))))));

      RetrieveQuery query = new RetrieveQuery(
          "user",
          List.of(
              new RetrieveQuery.FeatureGroup("user_stats", List.of("orders_30d", "ctr")),
              new RetrieveQuery.FeatureGroup("user_embedding", List.of("emb"))),
          List.of("user_id"),
          List.of(RetrieveQuery.Keys.of("42"), RetrieveQuery.Keys.of("7")));

      RetrieveResult stored = onfs.retrieve(query);
      out.println("columns: " + stored.featureSchemas());
      out.println("user 42 emb cell: " + stored.rows().get(0).column(2).length + " bytes");

      DecodedResult decoded = onfs.retrieveDecoded(query);
      for (DecodedResult.DecodedRow row : decoded.rows()) {
        out.println("user " + row.keys().get(0) + ": " + row.columns());
      }
    }
  }

  static RegistrySnapshot registry() {
    FeatureGroup stats = FeatureGroup.builder("user_stats")
        .id(0)
        .storeId("1")
        .dataType(DataType.FP32)
        .ttlInSeconds(86_400)
        .inMemoryCacheEnabled(true)
        .activeVersion(1)
        .column("seg_0", 17)
        .version(FeatureVersion.builder(1)
            .feature("ctr", DefaultValues.encode(DataType.FP32, "0.0", 0, 0))
            .feature("orders_30d", DefaultValues.encode(DataType.FP32, "0.0", 0, 0))
            .build())
        .build();
    FeatureGroup embedding = FeatureGroup.builder("user_embedding")
        .id(1)
        .storeId("1")
        .dataType(DataType.FP16_VECTOR)
        .ttlInSeconds(604_800)
        .activeVersion(1)
        .column("seg_1", 17)
        .version(FeatureVersion.builder(1).feature("emb", new byte[8], 0, 4).build())
        .build();
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "memory", 0, "user_features", List.of("user_id"), 0))
        .entity(Entity.builder("user")
            .key("user_id", "user_id")
            .inMemoryCache(new CacheConfig(true, 60, 10, 0))
            .featureGroup(stats)
            .featureGroup(embedding)
            .build())
        .build();
  }
}
