package dev.onfs.storage.scylla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.testing.TestBlocks;
import dev.onfs.testing.CassandraServer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reference's Scylla layout at the byte level: segment columns, their order, DDL. */
class ScyllaReferenceLayoutIT {
  private static final StoreTable TABLE =
      new StoreTable("catalog", "2", "onfs_layout", "catalog_store", List.of("catalog_id"), 8);
  // Reference order: string sort of the labels, so seg_10 holds the first piece.
  private static final StoreFeatureGroup FG = StoreFeatureGroup.withReferenceColumnOrder(4, List.of("seg_2", "seg_10"));

  private static ScyllaStore store;
  private static CqlSession raw;

  @BeforeAll
  static void open() {
    store = CassandraStores.open();
    CassandraStores.ensure(store, TABLE, List.of(FG, StoreFeatureGroup.withReferenceColumnOrder(5, List.of("seg_3"))));
    CassandraServer server = CassandraServer.shared();
    raw = CqlSession.builder()
        .addContactPoint(server.contactPoint())
        .withLocalDatacenter(server.localDatacenter())
        .build();
  }

  @AfterAll
  static void close() {
    raw.close();
    store.close();
  }

  @Test
  void splitsBlocksAcrossSegmentsInReferenceOrder() {
    assertThat(FG.columns()).containsExactly("seg_10", "seg_2");
    String id = UUID.randomUUID().toString();
    EntityKey key = EntityKey.of(id);
    ByteRange block = TestBlocks.block(key, 4, 1, 6); // 15 bytes: 8 in seg_10, 7 in seg_2

    store.write(TABLE, List.of(FG), List.of(StoreRow.of(key, block)));

    Row row = raw.execute("SELECT seg_10, seg_2, seg_3 FROM onfs_layout.catalog_store WHERE catalog_id = ?", id).one();
    assertThat(bytes(row.getByteBuffer("seg_10"))).isEqualTo(new ByteRange(block.array(), 0, 8).toByteArray());
    assertThat(bytes(row.getByteBuffer("seg_2"))).isEqualTo(new ByteRange(block.array(), 8, 7).toByteArray());
    assertThat(row.isNull("seg_3")).as("columns of feature groups not written stay untouched").isTrue();
  }

  @Test
  void readsRowsTheReferenceWrote() {
    String id = UUID.randomUUID().toString();
    EntityKey key = EntityKey.of(id);
    ByteRange block = TestBlocks.block(key, 4, 3, 20);
    raw.execute("INSERT INTO onfs_layout.catalog_store (catalog_id, seg_10, seg_2) VALUES (?, ?, ?)", id,
        ByteBuffer.wrap(block.array(), 0, 8), ByteBuffer.wrap(block.array(), 8, block.length() - 8));

    ReadResult result = store.read(TABLE, List.of(key, EntityKey.of("absent")), List.of(FG));

    assertThat(result.block(0, 0)).isEqualTo(block);
    assertThat(result.isPresent(1, 0)).isFalse();
  }

  @Test
  void createsTablesAsTheControlPlaneDoes() {
    StoreTable composite = new StoreTable("user", "1", "onfs", "user_store", List.of("user_id", "country"));
    assertThat(ScyllaSchema.createTableCql(composite, 100)).isEqualTo(
        "CREATE TABLE IF NOT EXISTS onfs.user_store (user_id text, country text, PRIMARY KEY ((user_id, country)))"
            + " WITH default_time_to_live = 100");
    assertThat(ScyllaSchema.addColumnCql(composite, "seg_7")).isEqualTo("ALTER TABLE onfs.user_store ADD seg_7 blob");

    ScyllaSchema schema = store.schema();
    assertThat(schema.addColumns(TABLE, List.of("seg_2", "seg_20"))).containsExactly("seg_20");
    assertThat(schema.addColumns(TABLE, List.of("seg_20"))).isEmpty();
    assertThat(schema.hasColumn(TABLE, "seg_20")).isTrue();
  }

  @Test
  void unknownColumnsAreRejectedPermanently() {
    StoreFeatureGroup missing = new StoreFeatureGroup(9, List.of("seg_99"));
    assertThatThrownBy(() -> store.read(TABLE, List.of(EntityKey.of("x")), List.of(missing)))
        .isInstanceOfSatisfying(OnfsException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.STORE_REJECTED);
          assertThat(e.isTransient()).isFalse();
        })
        .hasMessageContaining("seg_99");
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
