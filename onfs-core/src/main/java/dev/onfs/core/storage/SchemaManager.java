package dev.onfs.core.storage;

import java.util.Collection;
import java.util.List;

/**
 * Creates the tables and columns a column store needs before a store or feature group is published:
 * what the reference's control plane does with {@code CREATE TABLE} and {@code ALTER TABLE ... ADD
 * seg_<n> blob}. Key-value stores (Redis, memory) need no schema and have no manager.
 *
 * <p>Every operation is idempotent and safe to race with another caller doing the same, so a control
 * plane that crashed between creating a column and publishing the feature group that uses it simply
 * repeats the call. Nothing is ever dropped.
 */
public interface SchemaManager {
  /**
   * Creates {@code table} unless it exists: its primary-key columns as text, one composite partition
   * key, and {@code defaultTtlSeconds} as the default time to live (0 = none).
   */
  void createTable(StoreTable table, int defaultTtlSeconds);

  /**
   * Adds the blob columns {@code table} does not have yet; a column that already exists (added by an
   * earlier attempt or a concurrent caller) is skipped.
   *
   * @return the columns this call added
   */
  List<String> addColumns(StoreTable table, Collection<String> columns);
}
