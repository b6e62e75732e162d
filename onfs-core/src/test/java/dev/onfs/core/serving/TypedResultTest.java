package dev.onfs.core.serving;

import static dev.onfs.core.serving.ServingEndToEndTest.persistAll;
import static dev.onfs.core.serving.ServingEndToEndTest.retrieveAll;
import static dev.onfs.core.serving.ServingFixtures.allTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.core.testing.TestingClock;
import dev.onfs.core.types.CellDecoder;
import dev.onfs.core.types.DataType;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypedResultTest {
  private final TestingClock clock = new TestingClock(Instant.parse("2026-05-01T10:00:00Z"));

  private OnlineFeatureStore build(boolean nearCache) {
    return nearCache
        ? OnlineFeatureStore.builder().registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(true)))
            .store(InMemoryStore.builder().clock(clock).build()).clock(clock).nearCache(1 << 20).build()
        : OnlineFeatureStore.builder().registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(false)))
            .store(InMemoryStore.builder().clock(clock).build()).clock(clock).build();
  }

  /** Column of feature "a" of a type's group in {@link ServingEndToEndTest#retrieveAll} (which asks b, a). */
  private static int a(DataType type) {
    return 2 * allTypes().indexOf(type) + 1;
  }

  @Test
  void schemasCarryEachColumnsTypeAndGettersDecodeIt() {
    try (OnlineFeatureStore onfs = build(false)) {
      onfs.persist(persistAll("u1"));
      RetrieveResult.Row row = onfs.retrieve(retrieveAll("u1")).rows().get(0);
      for (DataType type : allTypes()) {
        assertThat(row.dataType(a(type))).isEqualTo(type);
        assertThat(row.dataType(a(type) - 1)).isEqualTo(type);
      }
      assertThat(row.getFloat(a(DataType.FP32))).isEqualTo(1.5f);
      assertThat(row.getFloat(a(DataType.FP16))).isEqualTo(0.5f);
      assertThat(row.getFloat(a(DataType.FP8E5M2))).isEqualTo(2.5f);
      assertThat(row.getDouble(a(DataType.FP64))).isEqualTo(2.25);
      assertThat(row.getDouble(a(DataType.FP32))).isEqualTo(1.5);
      assertThat(row.getLong(a(DataType.INT64))).isEqualTo(Long.MIN_VALUE);
      assertThat(row.getLong(a(DataType.UINT32))).isEqualTo(4294967295L);
      assertThat(Long.toUnsignedString(row.getLong(a(DataType.UINT64)))).isEqualTo("18446744073709551615");
      assertThat(row.getInt(a(DataType.INT16))).isEqualTo(-300);
      assertThat(row.getInt(a(DataType.UINT16))).isEqualTo(65535);
      assertThat(row.getInt(a(DataType.INT8))).isEqualTo(-5);
      assertThat(row.getBoolean(a(DataType.BOOL))).isTrue();
      assertThat(row.getString(a(DataType.STRING))).isEqualTo("héllo");
      assertThat(row.getFloatArray(a(DataType.FP32_VECTOR))).containsExactly(1f, 2.5f, -0.5f);
      assertThat(row.getFloatArray(a(DataType.FP8E4M3_VECTOR))).containsExactly(1f, 2f, 0.75f);
      assertThat(row.getDoubleArray(a(DataType.FP64_VECTOR))).containsExactly(1e21, 0.1, -3);
      assertThat(row.getLongArray(a(DataType.UINT32_VECTOR))).containsExactly(4294967295L, 0, 1);
      assertThat(row.getLongArray(a(DataType.INT16_VECTOR))).containsExactly(-2, 300, 32767);
      assertThat(row.getBooleanArray(a(DataType.BOOL_VECTOR))).containsExactly(true, true, false);
      assertThat(row.getStringArray(a(DataType.STRING_VECTOR))).containsExactly("hi", "", "abc");
      for (DataType type : allTypes()) {
        // getObject is CellDecoder.decode with the column's type, and the byte[] cells stay as they were.
        assertThat(row.getObject(a(type))).as("%s", type)
            .isEqualTo(CellDecoder.decode(ServingFixtures.sample(type, "a").cell(), type));
        assertThat(row.column(a(type))).isEqualTo(ServingFixtures.sample(type, "a").cell());
      }
    }
  }

  @Test
  void aGetterOfTheWrongTypeFailsNamingTheFeature() {
    try (OnlineFeatureStore onfs = build(false)) {
      onfs.persist(persistAll("u1"));
      RetrieveResult.Row row = onfs.retrieve(retrieveAll("u1")).rows().get(0);
      assertThatThrownBy(() -> row.getLong(a(DataType.FP32)))
          .isInstanceOfSatisfying(OnfsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH))
          .hasMessage("column " + a(DataType.FP32) + " (fg_fp32.a) is FP32: getLong reads an integer type");
      assertThatThrownBy(() -> row.getFloat(a(DataType.FP64))).hasMessageContaining("(fg_fp64.a) is FP64");
      assertThatThrownBy(() -> row.getInt(a(DataType.UINT32))).hasMessageContaining("use getLong");
      assertThatThrownBy(() -> row.getString(a(DataType.STRING_VECTOR))).hasMessageContaining("getString reads STRING");
      assertThatThrownBy(() -> row.getFloatArray(a(DataType.FP32))).hasMessageContaining("vector");
      assertThatThrownBy(() -> row.getFloat(999)).hasMessageContaining("column 999 is not in the result's feature schemas");
    }
  }

  @Test
  void aRowBuiltWithoutTypesSaysSoAndKeepsItsBytes() {
    RetrieveResult result = new RetrieveResult("user", List.of("user_id"),
        List.of(new FeatureSchema("g", List.of(new FeatureSchema.Feature("f", 0)))),
        List.of(new RetrieveResult.Row(List.of("1"), List.of(new byte[] {0, 0, (byte) 0xC0, 0x3F}))));
    RetrieveResult.Row row = result.rows().get(0);
    assertThat(row.column(0)).containsExactly(0, 0, 0xC0, 0x3F);
    assertThat(CellDecoder.toFloat(row.column(0), DataType.FP32)).isEqualTo(1.5f);
    assertThatThrownBy(() -> row.getFloat(0)).hasMessageContaining("column 0 (g.f) has no data type");
  }

  @Test
  void rowsBuiltElsewhereAreBoundToTheResultsTypes() {
    RetrieveResult result = new RetrieveResult("user", List.of("user_id"),
        List.of(new FeatureSchema("g", List.of(new FeatureSchema.Feature("f", 0, DataType.FP32)))),
        List.of(new RetrieveResult.Row(List.of("1"), List.of(new byte[] {0, 0, (byte) 0xC0, 0x3F}), bits(0))));
    assertThat(result.rows().get(0).getFloat(0)).isEqualTo(1.5f);
    assertThat(result.rows().get(0).isDefault(0)).isTrue();
  }

  @Test
  void storedValuesAreToldApartFromDefaultsOfMissingKeys() {
    for (boolean nearCache : new boolean[] {false, true}) {
      try (OnlineFeatureStore onfs = build(nearCache)) {
        onfs.persist(persistAll("u1"));
        for (int pass = 0; pass < 2; pass++) { // the second pass reads through the near cache when it is on
          RetrieveResult result = onfs.retrieve(retrieveAll("nobody", "u1", "nobody"));
          DecodedResult decoded = onfs.retrieveDecoded(retrieveAll("nobody", "u1"));
          int columns = 2 * allTypes().size();
          assertThat(result.rows().get(0).defaultColumns()).isEqualTo(all(columns));
          assertThat(result.rows().get(2).defaultColumns()).isEqualTo(all(columns));
          assertThat(result.rows().get(1).defaultColumns()).isEqualTo(new BitSet());
          assertThat(decoded.rows().get(0).defaultColumns()).isEqualTo(all(columns));
          assertThat(decoded.rows().get(1).defaultColumns()).isEqualTo(new BitSet());
          for (int c = 0; c < columns; c++) {
            assertThat(result.rows().get(0).isDefault(c)).isTrue();
            assertThat(result.rows().get(1).isDefault(c)).isFalse();
          }
          // A default still decodes as a value: the registry's default.
          assertThat(result.rows().get(0).getFloat(a(DataType.FP32))).isEqualTo(0f);
        }
      }
    }
  }

  @Test
  void expiredValuesAndQuantizedDefaultsAreMarked() {
    try (OnlineFeatureStore onfs = build(false)) {
      onfs.persist(persistAll("u1"));
      RetrieveQuery quantized = new RetrieveQuery("user",
          List.of(new RetrieveQuery.FeatureGroup("fg_fp32", List.of("a@DataTypeFP16", "a"))),
          List.of("user_id"), List.of(RetrieveQuery.Keys.of("u1")));
      RetrieveResult.Row live = onfs.retrieve(quantized).rows().get(0);
      assertThat(live.dataType(0)).isEqualTo(DataType.FP16);
      assertThat(live.getFloat(0)).isEqualTo(1.5f);
      assertThat(live.defaultColumns()).isEqualTo(new BitSet());

      clock.advance(Duration.ofSeconds(ServingFixtures.TTL_SECONDS + 5));
      assertThat(onfs.retrieve(quantized).rows().get(0).defaultColumns()).isEqualTo(bits(0, 1));
      assertThat(onfs.retrieveDecoded(retrieveAll("u1")).rows().get(0).isDefault(a(DataType.INT32))).isTrue();
    }
  }

  @Test
  void rowsDifferingOnlyInTheirDefaultMarksAreNotEqual() {
    List<byte[]> cells = List.of(new byte[] {1});
    assertThat(new RetrieveResult.Row(List.of("k"), cells, bits(0))).isNotEqualTo(new RetrieveResult.Row(List.of("k"), cells))
        .isEqualTo(new RetrieveResult.Row(List.of("k"), cells, bits(0)));
    assertThat(new RetrieveResult.Row(List.of("k"), cells, new BitSet())).isEqualTo(new RetrieveResult.Row(List.of("k"), cells));
    assertThat(new DecodedResult.DecodedRow(List.of("k"), List.of("1"), bits(0)))
        .isNotEqualTo(new DecodedResult.DecodedRow(List.of("k"), List.of("1")));
  }

  private static BitSet bits(int... columns) {
    BitSet set = new BitSet();
    for (int c : columns) {
      set.set(c);
    }
    return set;
  }

  private static BitSet all(int columns) {
    BitSet set = new BitSet();
    set.set(0, columns);
    return set;
  }
}
