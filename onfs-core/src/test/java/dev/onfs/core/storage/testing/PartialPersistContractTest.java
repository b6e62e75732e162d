package dev.onfs.core.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.onfs.core.serving.Values;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Persists that name only some features of a group, through the embedded {@link OnlineFeatureStore} on
 * a real store: the features they do not name keep their values, also when writers of different
 * features of the same rows race. Each adapter subclasses it next to its {@link OnlineStoreContractTest}.
 */
public abstract class PartialPersistContractTest {
  /** Features of the group, one per concurrent writer. */
  protected static final int FEATURES = 8;
  protected static final String ENTITY = "pp_user";
  protected static final String GROUP = "counters";
  /** Where the serving layer puts the entity; column stores create it in {@link #createStore}. */
  protected static final StoreTable TABLE = new StoreTable(ENTITY, "1", "", "pp_user", List.of("user_id"), 1024);
  protected static final StoreFeatureGroup STORE_GROUP = StoreFeatureGroup.withReferenceColumnOrder(0, List.of("seg_0"));

  private OnlineStore store;
  private InMemoryFeatureRegistry registry;
  private OnlineFeatureStore onfs;
  private String run;

  /**
   * A new store for one test (closed after it) that holds {@link #TABLE} with the columns of
   * {@link #STORE_GROUP}.
   */
  protected abstract OnlineStore createStore();

  /** Writes per writer in the concurrency test. */
  protected int writesPerWriter() {
    return 200;
  }

  protected static RegistrySnapshot registry() {
    FeatureVersion.Builder features = FeatureVersion.builder(1);
    for (int f = 0; f < FEATURES; f++) {
      features.feature("f" + f, new byte[8]);
    }
    FeatureGroup counters = FeatureGroup.builder(GROUP)
        .id(STORE_GROUP.id())
        .storeId(TABLE.storeId())
        .dataType(DataType.INT64)
        .ttlInSeconds(86_400)
        .activeVersion(1)
        .layoutVersion(1)
        .column("seg_0", 9 + 8 * FEATURES)
        .version(features.build())
        .build();
    return RegistrySnapshot.builder()
        .store(StoreConfig.of(TABLE.storeId(), "any", 0, TABLE.table(), TABLE.primaryKeyColumns(), 0))
        .entity(Entity.builder(ENTITY).key("user_id", "user_id").featureGroup(counters).build())
        .build();
  }

  @BeforeEach
  void open() {
    run = UUID.randomUUID().toString().substring(0, 8);
    store = createStore();
    registry = new InMemoryFeatureRegistry(registry());
    onfs = OnlineFeatureStore.builder().registry(registry).store(store).build();
  }

  @AfterEach
  void close() {
    if (onfs != null) {
      onfs.close();
    }
    if (store != null) {
      store.close();
    }
  }

  protected String key(int i) {
    return run + "-" + i;
  }

  /** One query setting the named features to {@code value(feature)} for keys 0..keys-1. */
  private PersistQuery persist(int keys, List<Integer> features, java.util.function.IntToLongFunction value) {
    List<String> labels = new ArrayList<>();
    for (int f : features) {
      labels.add("f" + f);
    }
    List<PersistQuery.Data> rows = new ArrayList<>(keys);
    for (int k = 0; k < keys; k++) {
      long[] values = features.stream().mapToLong(f -> value.applyAsLong(f)).toArray();
      rows.add(new PersistQuery.Data(List.of(key(k)), List.of(Values.int64(values))));
    }
    return new PersistQuery(ENTITY, List.of("user_id"), List.of(new PersistQuery.FeatureGroupSchema(GROUP, labels)), rows);
  }

  /** Every feature of keys 0..keys-1, as decoded text. */
  private List<List<String>> readAll(int keys) {
    List<String> labels = new ArrayList<>();
    for (int f = 0; f < FEATURES; f++) {
      labels.add("f" + f);
    }
    List<RetrieveQuery.Keys> rows = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      rows.add(RetrieveQuery.Keys.of(key(k)));
    }
    DecodedResult result = onfs.retrieveDecoded(new RetrieveQuery(
        ENTITY, List.of(new RetrieveQuery.FeatureGroup(GROUP, labels)), List.of("user_id"), rows));
    List<List<String>> out = new ArrayList<>();
    for (DecodedResult.DecodedRow row : result.rows()) {
      out.add(row.columns());
    }
    return out;
  }

  @Test
  void persistNamingSomeFeaturesKeepsTheOthers() {
    List<Integer> all = new ArrayList<>();
    for (int f = 0; f < FEATURES; f++) {
      all.add(f);
    }
    onfs.persist(persist(3, all, f -> 100 + f));
    onfs.persist(persist(3, List.of(2, 5), f -> 900 + f));

    for (List<String> row : readAll(3)) {
      assertThat(row).containsExactly("100", "101", "902", "103", "104", "905", "106", "107");
    }
  }

  @Test
  void concurrentWritersOfDifferentFeaturesOfTheSameRowsAllSurvive() throws Exception {
    int keys = 50;
    int writes = writesPerWriter();
    ExecutorService pool = Executors.newFixedThreadPool(FEATURES);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < FEATURES; w++) {
        int feature = w;
        done.add(pool.submit(() -> {
          start.await();
          for (int v = 1; v <= writes; v++) {
            long value = feature * 1_000_000L + v;
            onfs.persist(persist(keys, List.of(feature), f -> value));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> d : done) {
        d.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    List<String> expected = new ArrayList<>();
    for (int f = 0; f < FEATURES; f++) {
      expected.add(Long.toString(f * 1_000_000L + writes));
    }
    List<List<String>> rows = readAll(keys);
    for (int k = 0; k < keys; k++) {
      assertThat(rows.get(k)).as("key %s", key(k)).isEqualTo(expected);
    }
  }
}
