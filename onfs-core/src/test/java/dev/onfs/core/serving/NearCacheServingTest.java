package dev.onfs.core.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.codec.PsdbCompression;
import dev.onfs.core.codec.PsdbEncoder;
import dev.onfs.core.codec.PsdbLayout;
import dev.onfs.core.metrics.OnfsStatsRecorder;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.core.testing.TestingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NearCacheServingTest {
  private final TestingClock clock = new TestingClock(Instant.parse("2026-05-01T10:00:00Z"));
  private final CountingStore store = new CountingStore(InMemoryStore.builder().clock(clock).build());
  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicInteger misses = new AtomicInteger();
  private final List<String> errors = new ArrayList<>();
  private final List<String> validity = new ArrayList<>();
  private final OnfsStatsRecorder stats = new OnfsStatsRecorder() {
    @Override
    public void recordNearCache(String entityLabel, int h, int m) {
      hits.addAndGet(h);
      misses.addAndGet(m);
    }

    @Override
    public synchronized void recordValidity(String entityLabel, String fg, int valid, int expired, int missing) {
      validity.add(fg + ":" + valid + "/" + expired + "/" + missing);
    }

    @Override
    public synchronized void recordError(String entityLabel, String errorCode) {
      errors.add(entityLabel + ":" + errorCode);
    }
  };

  private OnlineFeatureStore build(boolean entityCache) {
    return OnlineFeatureStore.builder()
        .registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(entityCache)))
        .store(store)
        .clock(clock)
        .statsRecorder(stats)
        .nearCache(1 << 20)
        .build();
  }

  private static RetrieveQuery query(List<String> groups, String... ids) {
    List<RetrieveQuery.FeatureGroup> fgs = new ArrayList<>();
    for (String g : groups) {
      fgs.add(new RetrieveQuery.FeatureGroup(g, List.of("a", "b")));
    }
    List<RetrieveQuery.Keys> keys = new ArrayList<>();
    for (String id : ids) {
      keys.add(RetrieveQuery.Keys.of(id));
    }
    return new RetrieveQuery("user", fgs, List.of("user_id"), keys);
  }

  private static PersistQuery write(String id, double a, double b) {
    return new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("fg_fp32", List.of("a", "b"))),
        List.of(new PersistQuery.Data(List.of(id), List.of(Values.fp32(a, b)))));
  }

  @Test
  void allKeysAndGroupsAreReadInOneStoreCall() {
    OnlineFeatureStore onfs = build(false);
    onfs.retrieve(query(List.of("fg_fp32", "fg_int64", "fg_string"), "1", "2", "3", "2"));
    assertThat(store.reads).hasValue(1);
    assertThat(store.readKeys).hasValue(3);
    assertThat(store.readCells).hasValue(9);
    assertThat(hits.get() + misses.get()).isZero();
  }

  @Test
  void readsLargerThanTheStoreBatchLimitAreSplit() {
    CountingStore small = new CountingStore(InMemoryStore.builder().clock(clock).maxBatchSize(2).build());
    OnlineFeatureStore onfs = OnlineFeatureStore.builder()
        .registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(false))).store(small).clock(clock).build();
    onfs.persist(write("3", 1, 2));
    onfs.persist(write("5", 3, 4));
    DecodedResult result = onfs.retrieveDecoded(query(List.of("fg_fp32"), "1", "2", "3", "4", "5"));
    assertThat(small.reads).hasValue(3);
    assertThat(result.rows()).extracting(r -> r.columns().get(0)).containsExactly("0", "0", "1", "0", "3");
  }

  @Test
  void aReadRacingAPersistNeverCachesTheValueFromBeforeIt() throws Exception {
    CountDownLatch readDone = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    AtomicBoolean pauseNextRead = new AtomicBoolean();
    // Pauses one read after it has read the store, as a slow network read would.
    OnlineStore pausing = new CountingStore(store) {
      @Override
      public ReadResult read(StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
        ReadResult result = super.read(table, keys, featureGroups);
        if (pauseNextRead.compareAndSet(true, false)) {
          readDone.countDown();
          try {
            resume.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return result;
      }
    };
    OnlineFeatureStore onfs = OnlineFeatureStore.builder()
        .registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(true)))
        .store(pausing)
        .clock(clock)
        .nearCache(1 << 20)
        .build();
    onfs.persist(write("1", 1, 2));
    RetrieveQuery q = query(List.of("fg_fp32"), "1");

    pauseNextRead.set(true);
    CompletableFuture<DecodedResult> racing = CompletableFuture.supplyAsync(() -> onfs.retrieveDecoded(q));
    assertThat(readDone.await(10, TimeUnit.SECONDS)).isTrue();
    onfs.persist(write("1", 5, 6));
    resume.countDown();
    // The racing read answers what it read before the write; it must not cache it past the write.
    assertThat(racing.get(10, TimeUnit.SECONDS).rows().get(0).columns()).containsExactly("1", "2");
    assertThat(onfs.retrieveDecoded(q).rows().get(0).columns()).containsExactly("5", "6");
    assertThat(onfs.retrieveDecoded(q).rows().get(0).columns()).containsExactly("5", "6");
  }

  @Test
  void zstdBlocksAreCachedDecodedAndAnswerTheSameCells() {
    // Two 16-byte runs: the writer stores this block zstd-compressed (it is smaller that way).
    String run = "a".repeat(16);
    PsdbEncoder encoder = PsdbEncoder.create();
    encoder.begin(PsdbLayout.strings(new int[] {16, 16}), 1, 0, PsdbCompression.ZSTD).addString(run).addString(run);
    encoder.finish();
    assertThat(encoder.isCompressed()).isTrue();

    OnlineFeatureStore onfs = build(true);
    onfs.persist(new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("fg_string", List.of("a", "b"))),
        List.of(new PersistQuery.Data(List.of("1"), List.of(Values.strings(run, run))))));
    RetrieveQuery q = query(List.of("fg_string"), "1");
    RetrieveResult fromStore = onfs.retrieve(q);
    RetrieveResult fromCache = onfs.retrieve(q);
    assertThat(store.reads).hasValue(1);
    assertThat(hits).hasValue(1);
    assertThat(fromCache).isEqualTo(fromStore);
    assertThat(onfs.retrieveDecoded(q).rows().get(0).columns()).containsExactly(run, run);
    // A hit counts as a live stored value, as the read from the store did.
    assertThat(validity).containsExactly("fg_string:1/0/0", "fg_string:1/0/0", "fg_string:1/0/0");
    // Quantized and plain requests of the same cached group both answer from the entry.
    assertThat(store.reads).hasValue(1);
  }

  @Test
  void hitsServeFromMemoryUntilTheTtlThenReadAgain() {
    OnlineFeatureStore onfs = build(true);
    onfs.persist(write("1", 1, 2));
    RetrieveQuery q = query(List.of("fg_fp32"), "1", "absent");
    assertThat(onfs.retrieveDecoded(q).rows().get(0).columns()).containsExactly("1", "2");
    assertThat(store.reads).hasValue(1);
    assertThat(misses).hasValue(2);

    // Change the store behind the cache's back: a hit still answers the cached value, and the cached
    // absence of key "absent" still answers defaults.
    OnlineFeatureStore direct = OnlineFeatureStore.builder()
        .registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(true))).store(store).clock(clock).build();
    direct.persist(write("1", 5, 6));
    direct.persist(write("absent", 7, 8));
    assertThat(onfs.retrieveDecoded(q).rows().get(0).columns()).containsExactly("1", "2");
    assertThat(onfs.retrieveDecoded(q).rows().get(1).columns()).containsExactly("0", "0");
    assertThat(store.reads).hasValue(1);
    assertThat(hits).hasValue(4);

    clock.advance(Duration.ofSeconds(ServingFixtures.CACHE_TTL_SECONDS + 1));
    assertThat(onfs.retrieveDecoded(q).rows().get(0).columns()).containsExactly("5", "6");
    assertThat(onfs.retrieveDecoded(q).rows().get(1).columns()).containsExactly("7", "8");
    assertThat(store.reads).hasValue(2);
  }

  @Test
  void persistThroughTheStoreInvalidatesItsKeys() {
    OnlineFeatureStore onfs = build(true);
    onfs.persist(write("1", 1, 2));
    RetrieveQuery q = query(List.of("fg_fp32"), "1");
    onfs.retrieve(q);
    onfs.persist(write("1", 3, 4));
    assertThat(onfs.retrieveDecoded(q).rows().get(0).columns()).containsExactly("3", "4");
    assertThat(store.reads).hasValue(2);
  }

  @Test
  void groupsWithoutInMemoryCacheAreAlwaysRead() {
    OnlineFeatureStore onfs = build(true);
    // fg_fp64 has in-memory-cache-enabled false: every request reads it, the cached group is not re-read.
    RetrieveQuery q = query(List.of("fg_fp32", "fg_fp64"), "1", "2");
    onfs.retrieve(q);
    assertThat(store.readCells).hasValue(4);
    onfs.retrieve(q);
    assertThat(store.reads).hasValue(2);
    assertThat(store.readCells).hasValue(6);
  }

  @Test
  void entityCacheDisabledMeansNoCaching() {
    OnlineFeatureStore onfs = build(false);
    RetrieveQuery q = query(List.of("fg_fp32"), "1");
    onfs.retrieve(q);
    onfs.retrieve(q);
    assertThat(store.reads).hasValue(2);
  }

  @Test
  void expiredBlocksInTheCacheReadAsDefaults() {
    // The cache entry outlives the block: the block's own expiry is checked on every hit.
    OnlineFeatureStore onfs = OnlineFeatureStore.builder()
        .registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(true, (int) (2 * ServingFixtures.TTL_SECONDS))))
        .store(store)
        .clock(clock)
        .statsRecorder(stats)
        .nearCache(1 << 20)
        .build();
    onfs.persist(write("1", 1, 2));
    RetrieveQuery q = query(List.of("fg_fp32"), "1");
    assertThat(onfs.retrieveDecoded(q).rows().get(0).columns()).containsExactly("1", "2");
    clock.advance(Duration.ofSeconds(ServingFixtures.TTL_SECONDS + 1));
    assertThat(onfs.retrieveDecoded(q).rows().get(0).columns()).containsExactly("0", "0");
    assertThat(store.reads).hasValue(1);
    assertThat(hits).hasValue(1);
    assertThat(validity).containsExactly("fg_fp32:1/0/0", "fg_fp32:0/1/0");
  }

  @Test
  void validityIsRecordedPerGroup() {
    OnlineFeatureStore onfs = build(false);
    onfs.persist(write("1", 1, 2));
    onfs.retrieve(query(List.of("fg_fp32", "fg_int8"), "1", "2", "1"));
    assertThat(validity).containsExactly("fg_fp32:1/0/1", "fg_int8:0/0/2");
  }

  @Test
  void errorsAreRecorded() {
    OnlineFeatureStore onfs = build(false);
    try {
      onfs.retrieve(new RetrieveQuery("ghost", List.of(), List.of(), List.of()));
    } catch (RuntimeException expected) {
      // recorded below
    }
    assertThat(errors).containsExactly("ghost:UNKNOWN_ENTITY");
  }
}
