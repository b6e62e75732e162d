package dev.onfs.core.storage;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One row of a {@link OnlineStore#writeIfUnchanged conditional write}: the blocks to write and, per
 * feature group of the call, the block the store must still hold for them to be written.
 *
 * @param row the entity key and its new blocks, one per feature group of the call
 * @param expected per feature group of the call, in the same order: the exact bytes the store must hold
 *     (as {@link OnlineStore#read} returned them, or as a {@link WriteConflict} reported them), or null
 *     when it must hold no block for that group
 */
public record ConditionalRow(StoreRow row, List<@Nullable ByteRange> expected) {
  public ConditionalRow {
    requireNonNull(row, "row is null");
    requireNonNull(expected, "expected is null");
    expected = Collections.unmodifiableList(new ArrayList<>(expected)); // List.copyOf refuses nulls
  }

  public EntityKey key() {
    return row.key();
  }

  /**
   * Throws {@link ErrorCode#INVALID_ARGUMENT} unless every row fits {@code table}, carries one new block
   * and one expectation per feature group, and no key appears twice.
   */
  public static void checkAll(StoreTable table, List<StoreFeatureGroup> featureGroups, List<ConditionalRow> rows) {
    Set<EntityKey> seen = new HashSet<>();
    for (ConditionalRow r : rows) {
      r.row.check(table, featureGroups);
      if (r.expected.size() != featureGroups.size()) {
        throw new OnfsException(
            ErrorCode.INVALID_ARGUMENT,
            "entity '" + table.entityLabel() + "' key " + r.key().values() + " expects " + r.expected.size()
                + " blocks for " + featureGroups.size() + " feature groups");
      }
      if (!seen.add(r.key())) {
        throw new OnfsException(
            ErrorCode.INVALID_ARGUMENT,
            "entity '" + table.entityLabel() + "' key " + r.key().values() + " appears twice in one conditional write");
      }
    }
  }
}
