package dev.onfs.core.storage;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One feature group as a store sees it: its numeric id (the key of its block inside a Redis CSDB, 0 to
 * 65535) and the wide-column columns its block is split across (Scylla {@code seg_N} blob columns), in
 * split order. Stores without columns ignore {@code columns}.
 *
 * @param id the feature group id from the registry
 * @param columns the feature group's column names in the order the block is split across them; may be
 *     empty for stores that do not use columns
 */
public record StoreFeatureGroup(int id, List<String> columns) {
  /** Largest feature group id a CSDB can hold (a uint16). */
  public static final int MAX_ID = 0xFFFF;

  public StoreFeatureGroup {
    requireNonNull(columns, "columns is null");
    columns = List.copyOf(columns);
    if (id < 0 || id > MAX_ID) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT, "feature group id " + id + " is outside 0.." + MAX_ID);
    }
  }

  /** A feature group for stores without columns (Redis, in-memory). */
  public static StoreFeatureGroup of(int id) {
    return new StoreFeatureGroup(id, List.of());
  }

  /**
   * A feature group whose columns are ordered as the reference orders them: by the string order of their
   * names, so {@code seg_10} comes before {@code seg_2}. Use this when building from the registry's
   * column map so that blocks split and join exactly as the reference's do.
   */
  public static StoreFeatureGroup withReferenceColumnOrder(int id, Collection<String> columns) {
    List<String> sorted = new ArrayList<>(columns);
    sorted.sort(null);
    return new StoreFeatureGroup(id, sorted);
  }
}
