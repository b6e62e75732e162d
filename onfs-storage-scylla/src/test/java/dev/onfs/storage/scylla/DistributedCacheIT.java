package dev.onfs.storage.scylla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.testing.WorkedExample;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.testing.TestBlocks;
import dev.onfs.storage.redis.DistributedCache;
import dev.onfs.storage.redis.DistributedCacheStore;
import dev.onfs.storage.redis.RedisStoreConfig;
import dev.onfs.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The distributed cache tier on a real Redis in front of a real Cassandra: read-through, hits, TTLs,
 * negative entries, invalidation on every write, the lease that keeps a slow reader from caching a value
 * older than a write it raced with, and a cache that goes away.
 */
class DistributedCacheIT {
  private static final StoreTable TABLE =
      new StoreTable("user", "1", "onfs_dcache_it", "user_features", List.of("user_id"));
  private static final StoreFeatureGroup STATS = StoreFeatureGroup.withReferenceColumnOrder(0, List.of("seg_0"));
  private static final StoreFeatureGroup EMBEDDING = StoreFeatureGroup.withReferenceColumnOrder(1, List.of("seg_1"));
  private static final List<StoreFeatureGroup> BOTH = List.of(STATS, EMBEDDING);
  private static final int CACHE_ID = 2;

  private static ScyllaStore cassandra;
  private static RedisServer redis;
  private static DistributedCache cache;

  private final InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(registry(true, true));
  private final PausingStore database = new PausingStore(cassandra);
  private DistributedCacheStore store;
  private RedisClient redisClient;

  @BeforeAll
  static void startServers() {
    cassandra = CassandraStores.open();
    CassandraStores.ensure(cassandra, TABLE, BOTH);
    redis = RedisServer.start();
    cache = DistributedCache.connect(CACHE_ID, RedisStoreConfig.builder()
        .node(redis.host(), redis.port())
        .socketTimeout(Duration.ofSeconds(2))
        .connectTimeout(Duration.ofSeconds(1))
        .build(), 10_000);
  }

  @AfterAll
  static void stopServers() {
    cache.close();
    redis.close();
    cassandra.close();
  }

  @BeforeEach
  void freshStore() {
    redis.flushAll();
    redisClient = RedisClient.builder().hostAndPort(redis.host(), redis.port()).build();
    store = DistributedCacheStore.wrap(database, registry, List.of(cache), Clock.systemUTC());
  }

  @AfterEach
  void closeClient() {
    redisClient.close();
  }

  /** The worked example's user entity: user_stats cached as configured, user_embedding as asked. */
  private static RegistrySnapshot registry(boolean entityCached, boolean embeddingCached) {
    Entity user = WorkedExample.user().toBuilder()
        .distributedCache(new CacheConfig(entityCached, 300, 10, CACHE_ID))
        .featureGroup(WorkedExample.userEmbedding().toBuilder().distributedCacheEnabled(embeddingCached).build())
        .build();
    return WorkedExample.snapshot().toBuilder().entity(user).build();
  }

  private static EntityKey key(String id) {
    return EntityKey.of(id);
  }

  private static ByteRange block(String id, int group, int version) {
    return TestBlocks.block(key(id), group, version, 12);
  }

  private static byte[] cacheKey(String id) {
    return ("{user:" + id + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static ByteRange cell(ReadResult result, int k, int f) {
    return new ByteRange(result.array(k, f), result.offset(k, f), result.length(k, f));
  }

  @Test
  void aMissReadsTheDatabaseOnceAndLaterReadsComeFromTheCache() {
    store.write(TABLE, BOTH, List.of(new StoreRow(key("u1"), List.of(block("u1", 0, 1), block("u1", 1, 1)))));

    ReadResult first = store.read(TABLE, List.of(key("u1")), List.of(STATS));
    assertThat(cell(first, 0, 0)).isEqualTo(block("u1", 0, 1));
    assertThat(store.misses()).isEqualTo(1);
    assertThat(database.reads).isEqualTo(1);
    long ttl = redisClient.ttl(cacheKey("u1"));
    assertThat(ttl).as("300 s +- 10%").isBetween(270L, 330L);

    // The miss cached both of the entity's cached groups, so asking for the other one is a hit too.
    ReadResult second = store.read(TABLE, List.of(key("u1")), BOTH);
    assertThat(cell(second, 0, 0)).isEqualTo(block("u1", 0, 1));
    assertThat(cell(second, 0, 1)).isEqualTo(block("u1", 1, 1));
    assertThat(store.hits()).isEqualTo(1);
    assertThat(database.reads).isEqualTo(1);

    // Written behind the tier's back (not through it), the database changes but the cache answers.
    cassandra.write(TABLE, List.of(STATS), List.of(new StoreRow(key("u1"), List.of(block("u1", 0, 2)))));
    assertThat(cell(store.read(TABLE, List.of(key("u1")), List.of(STATS)), 0, 0)).isEqualTo(block("u1", 0, 1));
  }

  @Test
  void everyWriteThroughTheTierDropsTheCachedValue() {
    store.write(TABLE, List.of(STATS), List.of(new StoreRow(key("u2"), List.of(block("u2", 0, 1)))));
    store.read(TABLE, List.of(key("u2")), List.of(STATS));
    assertThat(redisClient.exists(cacheKey("u2"))).isTrue();

    store.write(TABLE, List.of(STATS), List.of(new StoreRow(key("u2"), List.of(block("u2", 0, 2)))));
    assertThat(redisClient.exists(cacheKey("u2"))).isFalse();
    assertThat(cell(store.read(TABLE, List.of(key("u2")), List.of(STATS)), 0, 0)).isEqualTo(block("u2", 0, 2));

    store.delete(TABLE, List.of(key("u2")));
    assertThat(store.read(TABLE, List.of(key("u2")), List.of(STATS)).isPresent(0, 0)).isFalse();
  }

  @Test
  void aKeyTheDatabaseDoesNotHoldIsCachedAsAbsent() {
    assertThat(store.read(TABLE, List.of(key("nobody")), BOTH).isPresent(0, 0)).isFalse();
    assertThat(store.read(TABLE, List.of(key("nobody")), BOTH).isPresent(0, 1)).isFalse();
    assertThat(database.reads).isEqualTo(1);
    assertThat(store.hits()).isEqualTo(1);
  }

  @Test
  void aReaderThatRacedWithAWriteCannotCacheWhatItReadBeforeIt() throws Exception {
    store.write(TABLE, List.of(STATS), List.of(new StoreRow(key("u3"), List.of(block("u3", 0, 1)))));
    database.pauseNextRead();
    CompletableFuture<ReadResult> slowReader =
        CompletableFuture.supplyAsync(() -> store.read(TABLE, List.of(key("u3")), List.of(STATS)));
    assertThat(database.paused.await(30, TimeUnit.SECONDS)).isTrue();
    // The reader holds version 1 from the database and has not written it back; a write lands now.
    store.write(TABLE, List.of(STATS), List.of(new StoreRow(key("u3"), List.of(block("u3", 0, 2)))));
    database.resume.countDown();
    assertThat(cell(slowReader.get(30, TimeUnit.SECONDS), 0, 0)).isEqualTo(block("u3", 0, 1));

    assertThat(redisClient.exists(cacheKey("u3"))).as("the stale write-back was refused").isFalse();
    assertThat(cell(store.read(TABLE, List.of(key("u3")), List.of(STATS)), 0, 0)).isEqualTo(block("u3", 0, 2));
  }

  @Test
  void groupsAndEntitiesWithoutCachingGoToTheDatabaseOnly() {
    registry.update(registry(true, false));
    store.write(TABLE, BOTH, List.of(new StoreRow(key("u4"), List.of(block("u4", 0, 1), block("u4", 1, 1)))));
    store.read(TABLE, List.of(key("u4")), BOTH);
    ReadResult again = store.read(TABLE, List.of(key("u4")), BOTH);
    assertThat(cell(again, 0, 1)).isEqualTo(block("u4", 1, 1));
    assertThat(database.reads).as("the uncached group is read every time").isEqualTo(3);

    registry.update(registry(false, true));
    redis.flushAll();
    store.read(TABLE, List.of(key("u4")), BOTH);
    assertThat(redisClient.exists(cacheKey("u4"))).isFalse();
  }

  @Test
  void withTheCacheDownReadsUseTheDatabaseAndWritesFailNamingTheCache() {
    store.write(TABLE, List.of(STATS), List.of(new StoreRow(key("u5"), List.of(block("u5", 0, 1)))));
    redis.stop();
    try {
      assertThat(cell(store.read(TABLE, List.of(key("u5")), List.of(STATS)), 0, 0)).isEqualTo(block("u5", 0, 1));
      assertThat(store.failures()).isPositive();
      assertThatThrownBy(() -> store.write(
              TABLE, List.of(STATS), List.of(new StoreRow(key("u5"), List.of(block("u5", 0, 2))))))
          .isInstanceOf(OnfsException.class)
          .satisfies(e -> assertThat(((OnfsException) e).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
          .hasMessageContaining("distributed cache 2 could not drop the old values of entity 'user'")
          .hasMessageContaining("safe to retry");
    } finally {
      redis.restart();
    }
    // The database took the write; the retry also clears the cache, and reads see it.
    store.write(TABLE, List.of(STATS), List.of(new StoreRow(key("u5"), List.of(block("u5", 0, 2)))));
    assertThat(cell(store.read(TABLE, List.of(key("u5")), List.of(STATS)), 0, 0)).isEqualTo(block("u5", 0, 2));
  }

  /** The class's Cassandra store, counting reads and able to hold one read after it returned. */
  private static final class PausingStore extends KeepOpenStore {
    volatile int reads;
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);
    private final AtomicReference<Boolean> pauseNext = new AtomicReference<>(false);

    PausingStore(OnlineStore database) {
      super(database);
    }

    void pauseNextRead() {
      pauseNext.set(true);
    }

    @Override
    public ReadResult read(StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
      ReadResult result = super.read(table, keys, featureGroups);
      reads++;
      if (pauseNext.compareAndSet(true, false)) {
        paused.countDown();
        try {
          resume.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return result;
    }
  }
}
