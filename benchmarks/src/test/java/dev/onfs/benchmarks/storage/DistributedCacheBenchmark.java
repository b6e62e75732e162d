package dev.onfs.benchmarks.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.types.DataType;
import dev.onfs.storage.redis.DistributedCache;
import dev.onfs.storage.redis.DistributedCacheStore;
import dev.onfs.storage.redis.RedisStoreConfig;
import dev.onfs.testing.RedisServer;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * A multi-get of 100 entities x 3 feature groups from Cassandra, straight and through a warm distributed
 * cache tier on Redis, in the same run. Run with {@code main}; prints both throughputs and their ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// A freshly started Cassandra keeps speeding up for about a minute (its own JIT), hence the long warm-up.
@Warmup(iterations = 12, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@Threads(4)
public class DistributedCacheBenchmark {
  private CassandraStorageFixture cassandra;
  private DistributedCache cache;
  private DistributedCacheStore tiered;
  private final List<EntityKey> keys = StorageFixture.keys();

  @Setup(Level.Trial)
  public void setUp() {
    cassandra = new CassandraStorageFixture();
    RedisServer redis = RedisServer.shared();
    redis.flushAll();
    cache = DistributedCache.connect(
        2, RedisStoreConfig.builder().node(redis.host(), redis.port()).build(), 10_000);
    tiered = DistributedCacheStore.wrap(
        cassandra.store(), new InMemoryFeatureRegistry(registry()), List.of(cache), Clock.systemUTC());
    tiered.read(CassandraStorageFixture.TABLE, keys, StorageFixture.GROUPS); // warms the tier
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cache.close();
    cassandra.close();
  }

  /** The fixture's entity with all three groups cached for an hour in cache 2. */
  static RegistrySnapshot registry() {
    Entity.Builder entity = Entity.builder("bench_user")
        .key("user_id", "user_id")
        .key("region", "region")
        .distributedCache(new CacheConfig(true, 3600, 10, 2));
    for (StoreFeatureGroup group : StorageFixture.GROUPS) {
      FeatureGroup.Builder g = FeatureGroup.builder("fg_" + group.id())
          .id(group.id())
          .storeId("1")
          .dataType(DataType.INT32)
          .distributedCacheEnabled(true)
          .activeVersion(1)
          .layoutVersion(1)
          .version(FeatureVersion.builder(1).feature("f", new byte[4]).build());
      group.columns().forEach(c -> g.column(c, 1024));
      entity.featureGroup(g.build());
    }
    return RegistrySnapshot.builder()
        .store(StoreConfig.of("1", "scylla", 1, "bench_user", List.of("user_id", "region"), 0))
        .entity(entity.build())
        .build();
  }

  @Benchmark
  public long cassandra() {
    return StorageFixture.presentBytes(cassandra.store().read(CassandraStorageFixture.TABLE, keys, StorageFixture.GROUPS));
  }

  @Benchmark
  public long warmTier() {
    return StorageFixture.presentBytes(tiered.read(CassandraStorageFixture.TABLE, keys, StorageFixture.GROUPS));
  }

  /** Runs both and prints the ratio; both measured in one JVM, close together in time. */
  public static void main(String[] args) throws RunnerException {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(DistributedCacheBenchmark.class.getName() + "\\.")
        .build()).run();
    double straight = 0;
    double warm = 0;
    for (RunResult r : results) {
      if (r.getParams().getBenchmark().endsWith("warmTier")) {
        warm = r.getPrimaryResult().getScore();
      } else {
        straight = r.getPrimaryResult().getScore();
      }
    }
    System.out.printf("| Cassandra ops/s | warm tier ops/s | warm / Cassandra |%n|---|---|---|%n| %.0f | %.0f | %.2f |%n",
        straight, warm, warm / straight);
  }

  /** Both paths return every block, and the second one from the tier. */
  @Test
  void bothPathsReadEveryBlock() {
    DistributedCacheBenchmark b = new DistributedCacheBenchmark();
    b.setUp();
    try {
      assertThat(b.cassandra()).isEqualTo(StorageFixture.expectedBytes());
      assertThat(b.warmTier()).isEqualTo(StorageFixture.expectedBytes());
      assertThat(b.tiered.hits()).isEqualTo(StorageFixture.ENTITIES);
    } finally {
      b.tearDown();
    }
  }
}
