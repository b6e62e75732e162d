package dev.onfs.benchmarks.storage;

import dev.onfs.core.storage.ByteRange;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.testing.TestBlocks;
import java.util.ArrayList;
import java.util.List;

/**
 * One backend loaded with {@link #ENTITIES} entities x 3 feature groups, read two ways: through the
 * OnFS adapter and by hand with the raw driver doing the same I/O and the same block slicing.
 */
interface StorageFixture extends AutoCloseable {
  int ENTITIES = 100;
  int BLOCK_PAYLOAD = 48;
  List<String> PK = List.of("user_id", "region");
  List<StoreFeatureGroup> GROUPS = List.of(
      StoreFeatureGroup.withReferenceColumnOrder(1, List.of("seg_0", "seg_1")),
      StoreFeatureGroup.withReferenceColumnOrder(2, List.of("seg_2", "seg_3")),
      StoreFeatureGroup.withReferenceColumnOrder(3, List.of("seg_4", "seg_5")));

  /** One multi-get through the adapter; returns the bytes of blocks found (a sink for the JIT). */
  long adapterRead();

  /** The same multi-get with the raw client; returns the bytes of blocks found. */
  long rawRead();

  @Override
  void close();

  static List<EntityKey> keys() {
    List<EntityKey> keys = new ArrayList<>(ENTITIES);
    for (int i = 0; i < ENTITIES; i++) {
      keys.add(EntityKey.of("user-" + i, "IN"));
    }
    return keys;
  }

  /** Writes every key's three blocks through the adapter. */
  static void load(OnlineStore store, StoreTable table, List<EntityKey> keys) {
    List<StoreRow> rows = new ArrayList<>();
    for (EntityKey key : keys) {
      List<ByteRange> blocks = new ArrayList<>();
      for (StoreFeatureGroup group : GROUPS) {
        blocks.add(TestBlocks.block(key, group.id(), 1, BLOCK_PAYLOAD));
      }
      rows.add(new StoreRow(key, blocks));
    }
    store.write(table, GROUPS, rows);
  }

  /** Bytes of the blocks a read found: what an adapter read returns to the benchmark. */
  static long presentBytes(ReadResult result) {
    long bytes = 0;
    for (int k = 0; k < result.keyCount(); k++) {
      for (int f = 0; f < result.featureGroupCount(); f++) {
        if (result.isPresent(k, f)) {
          bytes += result.length(k, f);
        }
      }
    }
    return bytes;
  }

  /** Total bytes of all blocks: what both read paths must return. */
  static long expectedBytes() {
    return (long) ENTITIES * GROUPS.size() * (TestBlocks.HEADER_LENGTH + BLOCK_PAYLOAD);
  }
}
