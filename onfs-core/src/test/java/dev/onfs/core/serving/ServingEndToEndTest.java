package dev.onfs.core.serving;

import static dev.onfs.core.serving.ServingFixtures.allTypes;
import static dev.onfs.core.serving.ServingFixtures.fgLabel;
import static dev.onfs.core.serving.ServingFixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.core.testing.TestingClock;
import dev.onfs.core.types.DataType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServingEndToEndTest {
  private final TestingClock clock = new TestingClock(Instant.parse("2026-05-01T10:00:00Z"));
  private final InMemoryFeatureRegistry registry = new InMemoryFeatureRegistry(ServingFixtures.snapshot(false));
  private final InMemoryStore store = InMemoryStore.builder().clock(clock).build();
  private final OnlineFeatureStore onfs =
      OnlineFeatureStore.builder().registry(registry).store(store).clock(clock).build();

  @AfterEach
  void close() {
    onfs.close();
  }

  static PersistQuery persistAll(String userId) {
    List<PersistQuery.FeatureGroupSchema> schema = new ArrayList<>();
    List<Values> values = new ArrayList<>();
    for (DataType type : allTypes()) {
      schema.add(new PersistQuery.FeatureGroupSchema(fgLabel(type), List.of("a", "b")));
      values.add(ServingFixtures.groupValues(type, List.of(sample(type, "a"), sample(type, "b"))));
    }
    return new PersistQuery("user", List.of("user_id"), schema, List.of(new PersistQuery.Data(List.of(userId), values)));
  }

  static RetrieveQuery retrieveAll(String... userIds) {
    List<RetrieveQuery.FeatureGroup> groups = new ArrayList<>();
    for (DataType type : allTypes()) {
      groups.add(new RetrieveQuery.FeatureGroup(fgLabel(type), List.of("b", "a")));
    }
    List<RetrieveQuery.Keys> keys = new ArrayList<>();
    for (String id : userIds) {
      keys.add(RetrieveQuery.Keys.of(id));
    }
    return new RetrieveQuery("user", groups, List.of("user_id"), keys);
  }

  @Test
  void everyDataTypeRoundTripsAsReferenceCellsAndText() {
    assertThat(onfs.persist(persistAll("u1"))).isEqualTo(new PersistResult("Data Persisted Successfully", 1));

    RetrieveResult result = onfs.retrieve(retrieveAll("u1"));
    assertThat(result.entityLabel()).isEqualTo("user");
    assertThat(result.keysSchema()).containsExactly("user_id");
    assertThat(result.rows()).hasSize(1);
    RetrieveResult.Row row = result.rows().get(0);
    assertThat(row.keys()).containsExactly("u1");
    List<DataType> types = allTypes();
    for (int g = 0; g < types.size(); g++) {
      DataType type = types.get(g);
      FeatureSchema schema = result.featureSchemas().get(g);
      assertThat(schema.featureGroupLabel()).isEqualTo(fgLabel(type));
      assertThat(schema.features()).containsExactly(
          new FeatureSchema.Feature("b", 2 * g, type), new FeatureSchema.Feature("a", 2 * g + 1, type));
      assertThat(row.column(2 * g)).as("%s b", type).isEqualTo(sample(type, "b").cell());
      assertThat(row.column(2 * g + 1)).as("%s a", type).isEqualTo(sample(type, "a").cell());
    }

    DecodedResult decoded = onfs.retrieveDecoded(retrieveAll("u1"));
    assertThat(decoded.featureSchemas()).isEqualTo(result.featureSchemas());
    List<String> columns = decoded.rows().get(0).columns();
    for (int g = 0; g < types.size(); g++) {
      DataType type = types.get(g);
      assertThat(columns.get(2 * g)).as("%s b", type).isEqualTo(sample(type, "b").text());
      assertThat(columns.get(2 * g + 1)).as("%s a", type).isEqualTo(sample(type, "a").text());
    }
  }

  @Test
  void missingKeysGetRegistryDefaultsAndDuplicateRowsAreKept() {
    onfs.persist(persistAll("u1"));
    RetrieveResult result = onfs.retrieve(retrieveAll("nobody", "u1", "nobody"));
    assertThat(result.rows()).extracting(RetrieveResult.Row::keys)
        .containsExactly(List.of("nobody"), List.of("u1"), List.of("nobody"));
    DecodedResult decoded = onfs.retrieveDecoded(retrieveAll("nobody"));
    List<DataType> types = allTypes();
    for (int g = 0; g < types.size(); g++) {
      DataType type = types.get(g);
      // Cells are the registry's default bytes unchanged, as the reference returns them.
      assertThat(result.rows().get(0).column(2 * g + 1)).isEqualTo(ServingFixtures.defaultBytes(type, "a"));
      assertThat(result.rows().get(2).column(2 * g)).isEqualTo(ServingFixtures.defaultBytes(type, "b"));
      assertThat(result.rows().get(1).column(2 * g + 1)).isEqualTo(sample(type, "a").cell());
      assertThat(decoded.rows().get(0).columns().get(2 * g + 1)).as("%s", type)
          .isEqualTo(ServingFixtures.defaultText(type, "a"));
      assertThat(decoded.rows().get(0).columns().get(2 * g)).isEqualTo(ServingFixtures.defaultText(type, "b"));
    }
  }

  @Test
  void expiredBlocksReadAsDefaults() {
    onfs.persist(persistAll("u1"));
    clock.advance(Duration.ofSeconds(ServingFixtures.TTL_SECONDS - 5));
    int fp32 = 2 * allTypes().indexOf(DataType.FP32) + 1;
    assertThat(onfs.retrieveDecoded(retrieveAll("u1")).rows().get(0).columns().get(fp32)).isEqualTo("1.5");
    clock.advance(Duration.ofSeconds(10));
    List<String> columns = onfs.retrieveDecoded(retrieveAll("u1")).rows().get(0).columns();
    List<DataType> types = allTypes();
    for (int g = 0; g < types.size(); g++) {
      assertThat(columns.get(2 * g + 1)).isEqualTo(ServingFixtures.defaultText(types.get(g), "a"));
    }
  }

  @Test
  void partialPersistFillsUnnamedFeaturesWithDefaults() {
    List<PersistQuery.FeatureGroupSchema> schema = new ArrayList<>();
    List<Values> values = new ArrayList<>();
    for (DataType type : allTypes()) {
      schema.add(new PersistQuery.FeatureGroupSchema(fgLabel(type), List.of("b")));
      values.add(ServingFixtures.groupValues(type, List.of(sample(type, "b"))));
    }
    onfs.persist(new PersistQuery("user", List.of("user_id"), schema, List.of(new PersistQuery.Data(List.of("p"), values))));
    DecodedResult decoded = onfs.retrieveDecoded(retrieveAll("p"));
    List<DataType> types = allTypes();
    for (int g = 0; g < types.size(); g++) {
      DataType type = types.get(g);
      assertThat(decoded.rows().get(0).columns().get(2 * g)).isEqualTo(sample(type, "b").text());
      assertThat(decoded.rows().get(0).columns().get(2 * g + 1)).as("%s", type)
          .isEqualTo(ServingFixtures.defaultText(type, "a"));
    }
  }

  @Test
  void zstdCompressedBlocksAreWrittenWhenSmallerAndReadBack() {
    int id = allTypes().indexOf(DataType.INT64_VECTOR);
    onfs.persist(new PersistQuery("user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("fg_int64_vector", List.of("a", "b"))),
        List.of(new PersistQuery.Data(List.of("z"), List.of(Values.vectors(Values.int64(0, 0, 0), Values.int64(0, 1)))))));
    var block = store.read(new dev.onfs.core.storage.StoreTable("user", "1", "", "user_features", List.of("user_id")),
        List.of(dev.onfs.core.storage.EntityKey.of("z")), List.of(dev.onfs.core.storage.StoreFeatureGroup.of(id)))
        .block(0, 0);
    assertThat((block.get(7) >>> 1) & 7).as("compression type").isEqualTo(1);
    RetrieveQuery query = new RetrieveQuery("user",
        List.of(new RetrieveQuery.FeatureGroup("fg_int64_vector", List.of("b", "a"))), List.of("user_id"),
        List.of(RetrieveQuery.Keys.of("z")));
    assertThat(onfs.retrieveDecoded(query).rows().get(0).columns()).containsExactly("0:1", "0:0:0");
  }

  @Test
  void blocksOfOlderSchemaVersionsAreReadWithTheirOwnVersion() {
    onfs.persist(persistAll("old"));
    // Version 2 of the FP32 and string-vector groups: 'c' added in front, 'a' removed.
    registry.update(snapshot -> {
      var user = snapshot.entity("user").toBuilder();
      for (DataType type : List.of(DataType.FP32, DataType.STRING_VECTOR)) {
        var fg = snapshot.featureGroup("user", fgLabel(type)).toBuilder()
            .version(ServingFixtures.version(type, 2, "c", "b"))
            .activeVersion(2)
            .build();
        user.featureGroup(fg);
      }
      return snapshot.toBuilder().entity(user.build()).build();
    });
    RetrieveQuery query = new RetrieveQuery(
        "user",
        List.of(
            new RetrieveQuery.FeatureGroup("fg_fp32", List.of("b", "c")),
            new RetrieveQuery.FeatureGroup("fg_string_vector", List.of("c", "b"))),
        List.of("user_id"),
        List.of(RetrieveQuery.Keys.of("old")));
    assertThat(onfs.retrieveDecoded(query).rows().get(0).columns()).containsExactly("-0.1", "0", "x:y:z", "ü:z");

    // A block written with version 2 is read with version 2.
    onfs.persist(new PersistQuery(
        "user", List.of("user_id"),
        List.of(new PersistQuery.FeatureGroupSchema("fg_fp32", List.of("c", "b"))),
        List.of(new PersistQuery.Data(List.of("old"), List.of(Values.fp32(9, 8))))));
    assertThat(onfs.retrieveDecoded(query).rows().get(0).columns()).containsExactly("8", "9", "x:y:z", "ü:z");
  }

  @Test
  void keysSchemaOrderIsFreeAndStoreColumnOrderIsHonoured() {
    onfs.persist(new PersistQuery(
        "pair", List.of("b_id", "a_id"),
        List.of(new PersistQuery.FeatureGroupSchema("fg_int64", List.of("a", "b"))),
        List.of(new PersistQuery.Data(List.of("B", "A"), List.of(Values.int64(1, 2))))));
    RetrieveQuery byA = new RetrieveQuery(
        "pair", List.of(new RetrieveQuery.FeatureGroup("fg_int64", List.of("a", "b"))), List.of("a_id", "b_id"),
        List.of(RetrieveQuery.Keys.of("A", "B"), RetrieveQuery.Keys.of("B", "A")));
    DecodedResult decoded = onfs.retrieveDecoded(byA);
    assertThat(decoded.keysSchema()).containsExactly("a_id", "b_id");
    assertThat(decoded.rows().get(0).columns()).containsExactly("1", "2");
    assertThat(decoded.rows().get(1).columns()).containsExactly("0", "0");
    // The store sees the key in its own primary-key order (b_col, a_col).
    assertThat(store.read(
            new dev.onfs.core.storage.StoreTable("pair", "2", "", "pair_features", List.of("b_col", "a_col")),
            List.of(dev.onfs.core.storage.EntityKey.of("B", "A")),
            List.of(dev.onfs.core.storage.StoreFeatureGroup.of(0)))
        .isPresent(0, 0)).isTrue();
  }

  @Test
  void quantizedLabelsConvertFloatsToLowerPrecision() {
    onfs.persist(persistAll("q"));
    RetrieveQuery query = new RetrieveQuery("user",
        List.of(new RetrieveQuery.FeatureGroup("fg_fp32", List.of("a@DataTypeFP16", "b@DataTypeFP8E4M3", "a")),
            new RetrieveQuery.FeatureGroup("fg_fp64_vector", List.of("a@DataTypeFP32Vector", "b@DataTypeFP16Vector"))),
        List.of("user_id"), List.of(RetrieveQuery.Keys.of("q"), RetrieveQuery.Keys.of("none")));
    RetrieveResult result = onfs.retrieve(query);
    assertThat(result.featureSchemas().get(0).features()).extracting(FeatureSchema.Feature::label)
        .containsExactly("a", "b", "a");
    assertThat(result.rows().get(0).column(0)).containsExactly(0x00, 0x3E); // 1.5 as FP16
    assertThat(result.rows().get(0).column(2)).isEqualTo(sample(DataType.FP32, "a").cell());
    assertThat(result.rows().get(1).column(0)).containsExactly(0, 0); // the default, quantized
    DecodedResult decoded = onfs.retrieveDecoded(query);
    assertThat(decoded.rows().get(0).columns())
        .containsExactly("1.5", "-0.1015625", "1.5", "1000000000000000000000:0.1:-3", "0:1.25");
    assertThat(decoded.rows().get(1).columns()).containsExactly("0", "0", "0", "0:0:0", "0:0");
  }

  @Test
  void repeatedGroupsAndFeaturesFillEveryColumn() {
    onfs.persist(persistAll("r"));
    RetrieveQuery query = new RetrieveQuery("user",
        List.of(new RetrieveQuery.FeatureGroup("fg_int32", List.of("a", "a")),
            new RetrieveQuery.FeatureGroup("fg_int32", List.of("b"))),
        List.of("user_id"), List.of(RetrieveQuery.Keys.of("r")));
    assertThat(onfs.retrieveDecoded(query).rows().get(0).columns()).containsExactly("-70000", "-70000", "5");
  }

  @Test
  void asyncVariantsGiveTheSameAnswers() throws Exception {
    onfs.persistAsync(persistAll("as")).get();
    assertThat(onfs.retrieveAsync(retrieveAll("as")).get()).isEqualTo(onfs.retrieve(retrieveAll("as")));
    assertThat(onfs.retrieveDecodedAsync(retrieveAll("as")).get()).isEqualTo(onfs.retrieveDecoded(retrieveAll("as")));
  }

  @Test
  void emptyQueriesAreAnsweredEmpty() {
    RetrieveQuery noKeys = new RetrieveQuery("user", List.of(new RetrieveQuery.FeatureGroup("fg_fp32", List.of("a"))),
        List.of("user_id"), List.of());
    assertThat(onfs.retrieve(noKeys).rows()).isEmpty();
    RetrieveQuery noGroups = new RetrieveQuery("user", List.of(), List.of("user_id"), List.of(RetrieveQuery.Keys.of("x")));
    assertThat(onfs.retrieve(noGroups).rows().get(0).columns()).isEmpty();
    assertThat(onfs.persist(new PersistQuery("user", List.of("user_id"), List.of(), List.of())).rowsWritten()).isZero();
  }
}
