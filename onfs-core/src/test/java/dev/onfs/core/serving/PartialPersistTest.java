package dev.onfs.core.serving;

import static dev.onfs.core.serving.ServingFixtures.allTypes;
import static dev.onfs.core.serving.ServingFixtures.fgLabel;
import static dev.onfs.core.serving.ServingFixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.registry.testing.WorkedExample;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.ConditionalRow;
import dev.onfs.core.storage.StoreCapabilities;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.WriteConflict;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.core.testing.TestingClock;
import dev.onfs.core.types.DataType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Persists that name only some features of a feature group keep the others' stored values. */
class PartialPersistTest {
  private final TestingClock clock = new TestingClock(Instant.parse("2026-05-01T10:00:00Z"));
  private final InMemoryStore store = InMemoryStore.builder().clock(clock).build();

  private OnlineFeatureStore build(InMemoryFeatureRegistry registry, dev.onfs.core.storage.OnlineStore with, PartialPersist mode) {
    return OnlineFeatureStore.builder().registry(registry).store(with).clock(clock).partialPersist(mode).build();
  }

  private static PersistQuery userStats(String userId, List<String> features, double... values) {
    return new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("user_stats", features)),
        List.of(new PersistQuery.Data(List.of(userId), List.of(Values.fp32(values)))));
  }

  private static List<String> userStats(OnlineFeatureStore onfs, String userId) {
    return onfs.retrieveDecoded(new RetrieveQuery("user",
            List.of(new RetrieveQuery.FeatureGroup("user_stats", List.of("ctr", "orders_30d", "aov"))),
            List.of("user_id"), List.of(RetrieveQuery.Keys.of(userId))))
        .rows().get(0).columns();
  }

  /** The persist of docs/client.md names ctr and aov of user_stats; orders_30d must keep its 55. */
  @Test
  void clientDocsExampleKeepsOrders30d() {
    try (OnlineFeatureStore onfs =
        build(new InMemoryFeatureRegistry(WorkedExample.afterAddingAov()), store, PartialPersist.MERGE)) {
      onfs.persist(userStats("7", List.of("ctr", "orders_30d", "aov"), 0.5, 55, 200));

      onfs.persist(userStats("7", List.of("ctr", "aov"), 0.12, 310.0));

      assertThat(userStats(onfs, "7")).containsExactly("0.12", "55", "310");
    }
  }

  @Test
  void resetModeWritesDefaultsForUnnamedFeaturesAsTheReferenceDoes() {
    try (OnlineFeatureStore onfs =
        build(new InMemoryFeatureRegistry(WorkedExample.afterAddingAov()), store, PartialPersist.RESET)) {
      onfs.persist(userStats("7", List.of("ctr", "orders_30d", "aov"), 0.5, 55, 200));

      onfs.persist(userStats("7", List.of("ctr", "aov"), 0.12, 310.0));

      assertThat(userStats(onfs, "7")).containsExactly("0.12", "0", "310");
    }
  }

  @Test
  void blockOfAnOlderVersionIsMappedByFeatureLabel() {
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(WorkedExample.snapshot()); // ctr, orders_30d
    try (OnlineFeatureStore onfs = build(registry, store, PartialPersist.MERGE)) {
      onfs.persist(new PersistQuery("user", List.of("user_id"),
          List.of(new PersistQuery.FeatureGroupSchema("user_stats", List.of("orders_30d", "ctr"))),
          List.of(new PersistQuery.Data(List.of("7"), List.of(Values.fp32(55, 0.5))))));
      registry.update(WorkedExample.afterAddingAov()); // version 2 adds aov

      onfs.persist(userStats("7", List.of("aov"), 310));

      assertThat(userStats(onfs, "7")).containsExactly("0.5", "55", "310");
    }
  }

  @Test
  void expiredBlockIsMergedAsDefaults() {
    try (OnlineFeatureStore onfs =
        build(new InMemoryFeatureRegistry(WorkedExample.afterAddingAov()), store, PartialPersist.MERGE)) {
      onfs.persist(userStats("7", List.of("ctr", "orders_30d", "aov"), 0.5, 55, 200));
      // Another group keeps the entity alive while user_stats (TTL one day) expires.
      onfs.persist(new PersistQuery("user", List.of("user_id"),
          List.of(new PersistQuery.FeatureGroupSchema("user_embedding", List.of("emb"))),
          List.of(new PersistQuery.Data(List.of("7"), List.of(Values.vectors(Values.fp32(1, 2, 3, 4, 5, 6, 7, 8)))))));
      clock.advance(Duration.ofDays(2));

      onfs.persist(userStats("7", List.of("ctr"), 0.25));

      assertThat(userStats(onfs, "7")).containsExactly("0.25", "0", "1");
    }
  }

  @Test
  void everyDataTypeKeepsTheFeatureNotNamed() {
    try (OnlineFeatureStore onfs =
        build(new InMemoryFeatureRegistry(ServingFixtures.snapshot(false)), store, PartialPersist.MERGE)) {
      onfs.persist(ServingEndToEndTest.persistAll("u1"));
      onfs.persist(ServingEndToEndTest.persistAll("u2"));

      onfs.persist(persistOne("u1", "a"));
      onfs.persist(persistOne("u2", "b"));

      // retrieveAll asks for b, then a, of every type.
      List<byte[]> u1 = onfs.retrieve(ServingEndToEndTest.retrieveAll("u1")).rows().get(0).columns();
      List<byte[]> u2 = onfs.retrieve(ServingEndToEndTest.retrieveAll("u2")).rows().get(0).columns();
      List<DataType> types = allTypes();
      for (int g = 0; g < types.size(); g++) {
        DataType type = types.get(g);
        assertThat(u1.get(2 * g)).as("%s b kept", type).isEqualTo(sample(type, "b").cell());
        assertThat(u1.get(2 * g + 1)).as("%s a written", type).isEqualTo(sample(type, "a").cell());
        assertThat(u2.get(2 * g)).as("%s b written", type).isEqualTo(sample(type, "b").cell());
        assertThat(u2.get(2 * g + 1)).as("%s a kept", type).isEqualTo(sample(type, "a").cell());
      }
    }
  }

  /** Every group of every type, naming one feature only. */
  private static PersistQuery persistOne(String userId, String feature) {
    List<PersistQuery.FeatureGroupSchema> schema = new ArrayList<>();
    List<Values> values = new ArrayList<>();
    for (DataType type : allTypes()) {
      schema.add(new PersistQuery.FeatureGroupSchema(fgLabel(type), List.of(feature)));
      values.add(ServingFixtures.groupValues(type, List.of(sample(type, feature))));
    }
    return new PersistQuery("user", List.of("user_id"), schema, List.of(new PersistQuery.Data(List.of(userId), values)));
  }

  @Test
  void rowsOfOneKeyInOnePersistApplyInOrder() {
    try (OnlineFeatureStore onfs =
        build(new InMemoryFeatureRegistry(WorkedExample.afterAddingAov()), store, PartialPersist.MERGE)) {
      onfs.persist(userStats("7", List.of("ctr", "orders_30d", "aov"), 0.5, 55, 200));

      onfs.persist(new PersistQuery("user", List.of("user_id"),
          List.of(new PersistQuery.FeatureGroupSchema("user_stats", List.of("ctr"))),
          List.of(new PersistQuery.Data(List.of("7"), List.of(Values.fp32(1))),
              new PersistQuery.Data(List.of("8"), List.of(Values.fp32(4))),
              new PersistQuery.Data(List.of("7"), List.of(Values.fp32(2))),
              new PersistQuery.Data(List.of("7"), List.of(Values.fp32(3))))));

      assertThat(userStats(onfs, "7")).containsExactly("3", "55", "200");
      assertThat(userStats(onfs, "8")).containsExactly("4", "0", "1");
    }
  }

  @Test
  void nearCacheNeverServesTheValueBeforeAMergedWrite() {
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(WorkedExample.afterAddingAov().toBuilder()
        .entity(WorkedExample.user().toBuilder()
            .inMemoryCache(new dev.onfs.core.registry.CacheConfig(true, 600, 0, 3))
            .featureGroup(WorkedExample.afterAddingAov().entities().get("user").featureGroup("user_stats"))
            .build())
        .build());
    try (OnlineFeatureStore onfs = OnlineFeatureStore.builder()
        .registry(registry).store(store).clock(clock).nearCache().build()) {
      onfs.persist(userStats("7", List.of("ctr", "orders_30d", "aov"), 0.5, 55, 200));
      assertThat(userStats(onfs, "7")).containsExactly("0.5", "55", "200"); // now cached

      onfs.persist(userStats("7", List.of("aov"), 310));

      assertThat(userStats(onfs, "7")).containsExactly("0.5", "55", "310");
    }
  }

  @Test
  void givingUpOnAConflictFailsTransientlyAndStillInvalidatesTheRowsWritten() {
    InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(WorkedExample.afterAddingAov().toBuilder()
        .entity(WorkedExample.user().toBuilder()
            .inMemoryCache(new dev.onfs.core.registry.CacheConfig(true, 600, 0, 3))
            .featureGroup(WorkedExample.afterAddingAov().entities().get("user").featureGroup("user_stats"))
            .build())
        .build());
    RacedStore raced = new RacedStore(store);
    try (OnlineFeatureStore onfs = OnlineFeatureStore.builder()
        .registry(registry).store(raced).clock(clock).nearCache().build()) {
      onfs.persist(new PersistQuery("user", List.of("user_id"),
          List.of(new PersistQuery.FeatureGroupSchema("user_stats", List.of("ctr", "orders_30d", "aov"))),
          List.of(new PersistQuery.Data(List.of("7"), List.of(Values.fp32(0.5, 55, 200))),
              new PersistQuery.Data(List.of("hot"), List.of(Values.fp32(0.5, 55, 200))))));
      assertThat(userStats(onfs, "7")).containsExactly("0.5", "55", "200"); // now cached
      raced.racing = true;

      assertThatThrownBy(() -> onfs.persist(new PersistQuery("user", List.of("user_id"),
              List.of(new PersistQuery.FeatureGroupSchema("user_stats", List.of("aov"))),
              List.of(new PersistQuery.Data(List.of("7"), List.of(Values.fp32(310))),
                  new PersistQuery.Data(List.of("hot"), List.of(Values.fp32(310)))))))
          .isInstanceOfSatisfying(OnfsException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.WRITE_CONFLICT);
            assertThat(e.isTransient()).isTrue();
          })
          .hasMessageContaining("[hot]")
          .hasMessageContaining("retry the persist");

      assertThat(raced.attemptsOnHot).isEqualTo(MergingWriter.MAX_ATTEMPTS);
      assertThat(userStats(onfs, "7")).containsExactly("0.5", "55", "310");
    }
  }

  @Test
  void storeWithoutConditionalWritesRefusesOnlyPartialPersists() {
    CountingStore plain = new CountingStore(store) {
      @Override
      public StoreCapabilities capabilities() {
        return new StoreCapabilities(true, 100, true);
      }
    };
    try (OnlineFeatureStore onfs =
        build(new InMemoryFeatureRegistry(WorkedExample.afterAddingAov()), plain, PartialPersist.MERGE)) {
      onfs.persist(userStats("7", List.of("ctr", "orders_30d", "aov"), 0.5, 55, 200));

      assertThatThrownBy(() -> onfs.persist(userStats("7", List.of("aov"), 310)))
          .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_REJECTED))
          .hasMessageContaining("feature group 'user_stats'")
          .hasMessageContaining("partial-persist");
      assertThat(userStats(onfs, "7")).containsExactly("0.5", "55", "200");
    }
  }

  /** Before each conditional write, a "concurrent writer" rewrites key {@code hot}, so it always conflicts. */
  private static final class RacedStore extends CountingStore {
    volatile boolean racing;
    int attemptsOnHot;

    RacedStore(InMemoryStore delegate) {
      super(delegate);
    }

    @Override
    public List<WriteConflict> writeIfUnchanged(
        StoreTable table, List<StoreFeatureGroup> featureGroups, List<ConditionalRow> rows) {
      if (racing) {
        for (ConditionalRow row : rows) {
          if (row.key().get(0).equals("hot")) {
            attemptsOnHot++;
            List<ByteRange> other = new ArrayList<>();
            for (ByteRange block : row.row().blocks()) {
              byte[] copy = block.toByteArray();
              copy[9] = (byte) attemptsOnHot; // another ctr each time (12-byte payloads stay uncompressed)
              other.add(ByteRange.of(copy));
            }
            delegate.write(table, featureGroups, List.of(new StoreRow(row.key(), other)));
          }
        }
      }
      return super.writeIfUnchanged(table, featureGroups, rows);
    }
  }
}
