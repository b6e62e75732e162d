package dev.onfs.benchmarks.serving;

import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;
import dev.onfs.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The entity the serving benchmarks read and the footprint benchmarks size: {@code user}, keyed by
 * {@code user_id}, with groups {@code stats} (FP32 x 10), {@code counts} (INT64 x 5) and
 * {@code embedding} (one FP16 vector of 32).
 */
public final class RetrieveBenchmarkEntity {
  private RetrieveBenchmarkEntity() {}

  public static RegistrySnapshot registry() {
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "memory", 0, "user_features", List.of("user_id"), 0))
        .entity(Entity.builder("user")
            .key("user_id", "user_id")
            .inMemoryCache(new CacheConfig(true, 300, 10, 0))
            .featureGroup(group("stats", 0, DataType.FP32, labels("s", 10), 0))
            .featureGroup(group("counts", 1, DataType.INT64, labels("c", 5), 0))
            .featureGroup(group("embedding", 2, DataType.FP16_VECTOR, List.of("emb"), 32))
            .build())
        .build();
  }

  /** Users {@code u0} to {@code u<entities - 1>} with random values, 500 per persist. */
  public static void persist(OnlineFeatureStore onfs, int entities) {
    persist(onfs, entities, new SplittableRandom(7));
  }

  static void persist(OnlineFeatureStore onfs, int entities, SplittableRandom random) {
    for (int from = 0; from < entities; from += 500) {
      List<PersistQuery.Data> rows = new ArrayList<>();
      for (int id = from; id < Math.min(entities, from + 500); id++) {
        double[] stats = new double[10];
        for (int i = 0; i < stats.length; i++) {
          stats[i] = random.nextDouble();
        }
        long[] counts = random.longs(5, 0, 1_000_000).toArray();
        double[] emb = random.doubles(32, -1, 1).toArray();
        rows.add(new PersistQuery.Data(List.of("u" + id),
            List.of(Values.fp32(stats), Values.int64(counts), Values.vectors(Values.fp32(emb)))));
      }
      onfs.persist(new PersistQuery("user", List.of("user_id"),
          List.of(new PersistQuery.FeatureGroupSchema("stats", labels("s", 10)),
              new PersistQuery.FeatureGroupSchema("counts", labels("c", 5)),
              new PersistQuery.FeatureGroupSchema("embedding", List.of("emb"))),
          rows));
    }
  }

  static List<String> labels(String prefix, int n) {
    List<String> labels = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      labels.add(prefix + i);
    }
    return labels;
  }

  private static FeatureGroup group(String label, int id, DataType type, List<String> features, int vectorLength) {
    FeatureVersion.Builder version = FeatureVersion.builder(1);
    for (String f : features) {
      version.feature(f, new byte[type.width() * Math.max(1, vectorLength)], 0, vectorLength);
    }
    return FeatureGroup.builder(label)
        .id(id)
        .storeId("1")
        .dataType(type)
        .ttlInSeconds(86_400)
        .inMemoryCacheEnabled(true)
        .activeVersion(1)
        .column("seg_" + id, 128)
        .version(version.build())
        .build();
  }
}
