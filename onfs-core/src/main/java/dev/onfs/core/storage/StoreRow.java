package dev.onfs.core.storage;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.List;

/**
 * The blocks to write for one entity: one block per feature group of the write call, in the same order
 * as the call's feature group list.
 *
 * @param key the entity's primary-key values
 * @param blocks encoded PSDB blocks, one per feature group of the write, never empty ranges
 */
public record StoreRow(EntityKey key, List<ByteRange> blocks) {
  public StoreRow {
    requireNonNull(key, "key is null");
    requireNonNull(blocks, "blocks is null");
    blocks = List.copyOf(blocks);
  }

  /**
   * Throws {@link ErrorCode#INVALID_ARGUMENT} unless the key fits {@code table} and the row carries one
   * non-empty block per feature group of the write.
   */
  public void check(StoreTable table, List<StoreFeatureGroup> featureGroups) {
    table.checkKey(key);
    if (blocks.size() != featureGroups.size()) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT,
          "entity '" + table.entityLabel() + "' key " + key.values() + " carries " + blocks.size()
              + " blocks for " + featureGroups.size() + " feature groups");
    }
    for (int f = 0; f < blocks.size(); f++) {
      if (blocks.get(f).length() == 0) {
        throw new OnfsException(
            ErrorCode.INVALID_ARGUMENT,
            "entity '" + table.entityLabel() + "' key " + key.values() + " carries an empty block for feature group "
                + featureGroups.get(f).id());
      }
    }
  }

  public static StoreRow of(EntityKey key, ByteRange... blocks) {
    return new StoreRow(key, List.of(blocks));
  }
}
