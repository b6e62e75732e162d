package dev.onfs.core.registry.testing;

import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.types.DataType;
import java.util.Base64;
import java.util.List;

/**
 * The registry of the reference's worked example (one entity {@code user}, feature groups {@code
 * user_stats} FP32 and {@code user_embedding} FP16Vector), built through the model API. Shared with
 * the file and etcd registry tests through the test jar.
 */
public final class WorkedExample {
  private WorkedExample() {}

  public static byte[] b64(String text) {
    return Base64.getDecoder().decode(text);
  }

  public static FeatureGroup userStats() {
    return FeatureGroup.builder("user_stats")
        .id(0)
        .storeId("1")
        .dataType(DataType.FP32)
        .ttlInSeconds(86400)
        .jobId("user_daily_job")
        .inMemoryCacheEnabled(true)
        .distributedCacheEnabled(true)
        .activeVersion(1)
        .layoutVersion(1)
        .column("seg_0", 17)
        .version(FeatureVersion.builder(1).feature("ctr", b64("AAAAAA==")).feature("orders_30d", b64("AAAAAA==")).build())
        .build();
  }

  public static FeatureGroup userEmbedding() {
    return FeatureGroup.builder("user_embedding")
        .id(1)
        .storeId("1")
        .dataType(DataType.FP16_VECTOR)
        .ttlInSeconds(604800)
        .jobId("user_daily_job")
        .inMemoryCacheEnabled(false)
        .distributedCacheEnabled(true)
        .activeVersion(1)
        .layoutVersion(1)
        .column("seg_1", 25)
        .version(FeatureVersion.builder(1).feature("emb", b64("AAAAAAAAAAAAAAAAAAAAAA=="), 0, 8).build())
        .build();
  }

  public static Entity user() {
    return Entity.builder("user")
        .key("user_id", "user_id")
        .distributedCache(new CacheConfig(true, 300, 10, 2))
        .inMemoryCache(new CacheConfig(false, 0, 0, 3))
        .featureGroup(userStats())
        .featureGroup(userEmbedding())
        .build();
  }

  public static RegistrySnapshot snapshot() {
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "scylla", 1, "user_features", List.of("user_id"), 0))
        .writerToken("user_daily_job", "jtok")
        .readerToken("ranker", "rtok")
        .readerToken("test", "test")
        .entity(user())
        .build();
  }

  /** Follow-up 1 of the worked example: feature {@code aov} (default 1) added as version 2. */
  public static RegistrySnapshot afterAddingAov() {
    FeatureGroup stats = userStats().toBuilder()
        .column("seg_0", 21)
        .version(FeatureVersion.builder(2)
            .feature("ctr", b64("AAAAAA=="))
            .feature("orders_30d", b64("AAAAAA=="))
            .feature("aov", b64("AACAPw=="))
            .build())
        .activeVersion(2)
        .build();
    return snapshot().toBuilder().entity(user().toBuilder().featureGroup(stats).build()).build();
  }
}
