package dev.onfs.core.storage;

import static java.util.Objects.requireNonNull;

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

  public static StoreRow of(EntityKey key, ByteRange... blocks) {
    return new StoreRow(key, List.of(blocks));
  }
}
