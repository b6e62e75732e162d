package dev.onfs.core.serving;

import static dev.onfs.core.serving.ServingEndToEndTest.persistAll;
import static dev.onfs.core.serving.ServingEndToEndTest.retrieveAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onfs.core.registry.InMemoryFeatureRegistry;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.memory.InMemoryStore;
import dev.onfs.core.types.DataType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows whose cells are slices of shared arrays, as retrieval and decoders build them. */
class ResultCellsTest {
  private final InMemoryStore store = InMemoryStore.create();

  private OnlineFeatureStore build(boolean nearCache) {
    OnlineFeatureStoreBuilder builder = OnlineFeatureStore.builder()
        .registry(new InMemoryFeatureRegistry(ServingFixtures.snapshot(nearCache))).store(store);
    return nearCache ? builder.nearCache(1 << 20).build() : builder.build();
  }

  @Test
  void compressedBlocksKeepTheirCellsAfterTheReaderMovesOnToTheNextBlock() {
    int id = ServingFixtures.allTypes().indexOf(DataType.INT64_VECTOR);
    List<PersistQuery.Data> data = new ArrayList<>();
    List<RetrieveQuery.Keys> keys = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      data.add(new PersistQuery.Data(List.of("z" + k),
          List.of(Values.vectors(Values.int64(k, 0, 0), Values.int64(0, 100 + k)))));
      keys.add(RetrieveQuery.Keys.of("z" + k));
    }
    for (boolean nearCache : new boolean[] {false, true}) {
      try (OnlineFeatureStore onfs = build(nearCache)) {
        onfs.persist(new PersistQuery("user", List.of("user_id"),
            List.of(new PersistQuery.FeatureGroupSchema("fg_int64_vector", List.of("a", "b"))), data));
        for (int k = 0; k < 10; k++) {
          var block = store.read(new StoreTable("user", "1", "", "user_features", List.of("user_id")),
              List.of(EntityKey.of("z" + k)), List.of(StoreFeatureGroup.of(id))).block(0, 0);
          assertThat((block.get(7) >>> 1) & 7).as("compression type of z%d", k).isEqualTo(1);
        }
        RetrieveQuery query = new RetrieveQuery("user",
            List.of(new RetrieveQuery.FeatureGroup("fg_int64_vector", List.of("b", "a"))), List.of("user_id"), keys);
        // Twice: with the near cache, the second answer comes from its decoded cells.
        for (int round = 0; round < 2; round++) {
          List<RetrieveResult.Row> rows = onfs.retrieve(query).rows();
          for (int k = 0; k < 10; k++) {
            assertThat(rows.get(k).getLongArray(0)).as("b of z%d", k).containsExactly(0, 100 + k);
            assertThat(rows.get(k).getLongArray(1)).as("a of z%d", k).containsExactly(k, 0, 0);
          }
        }
      }
    }
  }

  @Test
  void retrievedRowsEqualRowsOfTheirCopiedCells() {
    for (boolean nearCache : new boolean[] {false, true}) {
      try (OnlineFeatureStore onfs = build(nearCache)) {
        onfs.persist(persistAll("u1"));
        onfs.persist(persistAll("u2"));
        for (int round = 0; round < 2; round++) {
          RetrieveResult result = onfs.retrieve(retrieveAll("u1", "missing", "u2", "u1"));
          for (RetrieveResult.Row row : result.rows()) {
            RetrieveResult.Row copy = new RetrieveResult.Row(row.keys(), copies(row.columns()), row.defaultColumns());
            assertThat(row).isEqualTo(copy);
            assertThat(copy).isEqualTo(row);
            assertThat(row.hashCode()).isEqualTo(copy.hashCode());
            assertThat(row.toString()).isEqualTo(copy.toString());
            for (int c = 0; c < row.columnCount(); c++) {
              assertThat(row.cellLength(c)).isEqualTo(copy.column(c).length);
              assertThat(written(row, c)).isEqualTo(copy.column(c));
            }
          }
          assertThat(result.rows().get(0)).isEqualTo(result.rows().get(3)).isNotEqualTo(result.rows().get(2));
        }
      }
    }
  }

  @Test
  void rowsOfSlicesOfOneArrayBehaveLikeRowsOfCopies() {
    byte[] fp32 = {0, 0, (byte) 0xc0, 0x3f}; // 1.5f
    byte[] text = "héllo".getBytes(StandardCharsets.UTF_8);
    byte[] vector = {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40}; // 1f, 2f
    byte[] shared = new byte[3 + fp32.length + text.length + vector.length + 2];
    int[] offsets = {3, 3 + fp32.length, 3 + fp32.length + text.length, shared.length - 1};
    System.arraycopy(fp32, 0, shared, offsets[0], fp32.length);
    System.arraycopy(text, 0, shared, offsets[1], text.length);
    System.arraycopy(vector, 0, shared, offsets[2], vector.length);
    int[] lengths = {fp32.length, text.length, vector.length, 0};
    BitSet defaults = BitSet.valueOf(new long[] {0b1000});
    List<FeatureSchema> schemas = List.of(new FeatureSchema("g", List.of(new FeatureSchema.Feature("f", 0, DataType.FP32),
        new FeatureSchema.Feature("s", 1, DataType.STRING), new FeatureSchema.Feature("v", 2, DataType.FP32_VECTOR),
        new FeatureSchema.Feature("e", 3, DataType.UINT8_VECTOR))));
    RetrieveResult slices = new RetrieveResult("user", List.of("id"), schemas,
        List.of(new RetrieveResult.Row(List.of("7"), shared, offsets, lengths, defaults)));
    RetrieveResult copies = new RetrieveResult("user", List.of("id"), schemas,
        List.of(new RetrieveResult.Row(List.of("7"), List.of(fp32, text, vector, new byte[0]), defaults)));

    assertThat(slices).isEqualTo(copies);
    assertThat(slices.hashCode()).isEqualTo(copies.hashCode());
    assertThat(slices.toString()).isEqualTo(copies.toString());
    RetrieveResult.Row row = slices.rows().get(0);
    assertThat(row.columns()).containsExactly(fp32, text, vector, new byte[0]);
    assertThat(row.column(1)).isEqualTo(text);
    assertThat(row.getFloat(0)).isEqualTo(1.5f);
    assertThat(row.getDouble(0)).isEqualTo(1.5);
    assertThat(row.getString(1)).isEqualTo("héllo");
    assertThat(row.getFloatArray(2)).containsExactly(1f, 2f);
    assertThat(row.getObject(2)).isEqualTo(copies.rows().get(0).getObject(2));
    assertThat(row.getLongArray(3)).isEmpty();
    assertThat(row.isDefault(3)).isTrue();
    assertThat(row.cellLength(2)).isEqualTo(vector.length);
    assertThat(written(row, 2)).isEqualTo(vector);
    // A slice one byte off is another cell.
    int[] shifted = offsets.clone();
    shifted[0]--;
    assertThat(new RetrieveResult.Row(List.of("7"), shared, shifted, lengths, defaults)).isNotEqualTo(copies.rows().get(0));
  }

  @Test
  void slicesOutsideTheArrayAreRefused() {
    byte[] shared = new byte[8];
    assertThatThrownBy(() -> new RetrieveResult.Row(List.of("7"), shared, new int[] {0, 6}, new int[] {4, 3}, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("cell 1 [6, +3) is outside an array of 8 bytes");
    assertThatThrownBy(() -> new RetrieveResult.Row(List.of("7"), shared, new int[] {0}, new int[] {4, 3}, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 cell offsets but 2 cell lengths");
    assertThatThrownBy(() -> new RetrieveResult.Row(List.of("7"), shared, new int[] {-1}, new int[] {4}, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cell 0 [-1, +4)");
  }

  private static List<byte[]> copies(List<byte[]> cells) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] cell : cells) {
      out.add(cell.clone());
    }
    return out;
  }

  private static byte[] written(RetrieveResult.Row row, int columnIdx) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      row.writeCell(columnIdx, out::write);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }
}
