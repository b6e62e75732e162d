package dev.onfs.benchmarks.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.benchmarks.serving.RetrieveBenchmarkEntity;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.storage.redis.RedisLayout;
import dev.onfs.storage.redis.RedisStore;
import dev.onfs.storage.redis.RedisStoreConfig;
import dev.onfs.testing.RedisServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Redis memory per stored entity, for sizing: {@code used_memory} of a real {@code redis-server}
 * before and after persisting {@code n} entities of the {@code RetrieveBenchmark} entity (FP32 x 10,
 * INT64 x 5, one FP16 vector of 32 in three feature groups) through the store, in each layout.
 *
 * <p>Run: {@code java -cp <benchmarks test classpath> dev.onfs.benchmarks.storage.RedisFootprintBenchmark [n]}.
 * Not a JMH benchmark: it measures space, not time.
 */
class RedisFootprintBenchmark {

  record Footprint(RedisLayout layout, int entities, long bytesPerEntity) {}

  static Footprint measure(RedisLayout layout, int entities) {
    RedisServer server = RedisServer.shared();
    server.flushAll();
    try (RedisClient raw = RedisClient.builder().hostAndPort(server.host(), server.port()).build();
        RedisStore store = RedisStore.create(RedisStoreConfig.builder().layout(layout)
            .node(server.host(), server.port()).build());
        OnlineFeatureStore onfs = OnlineFeatureStore.builder()
            .registry(new InMemoryFeatureRegistry(RetrieveBenchmarkEntity.registry()))
            .store(store)
            .build()) {
      long before = usedMemory(raw);
      RetrieveBenchmarkEntity.persist(onfs, entities);
      long after = usedMemory(raw);
      assertThat(raw.dbSize()).isPositive();
      return new Footprint(layout, entities, (after - before) / entities);
    }
  }

  private static long usedMemory(RedisClient raw) {
    for (String line : raw.info("memory").split("\r?\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).trim());
      }
    }
    throw new IllegalStateException("INFO memory has no used_memory");
  }

  public static void main(String[] args) {
    int entities = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    for (RedisLayout layout : RedisLayout.values()) {
      Footprint f = measure(layout, entities);
      System.out.printf("%s layout: %,d entities, %,d bytes of Redis memory per entity%n", f.layout(), entities,
          f.bytesPerEntity());
    }
    RedisServer.shared().close();
  }

  @Test
  void everyStoredEntityTakesAtLeastItsValues() {
    // 20,000 entities take megabytes; the blocks alone are over 144 bytes of values per entity.
    assertThat(measure(RedisLayout.CSDB, 20_000).bytesPerEntity()).isGreaterThan(144);
  }
}
