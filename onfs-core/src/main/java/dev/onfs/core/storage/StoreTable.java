package dev.onfs.core.storage;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.List;

/**
 * Where one entity's feature groups live in one store, as the registry describes it. Built by the
 * serving layer; adapters use only the parts their layout needs (Redis: the entity label; Scylla:
 * keyspace, table and primary-key columns).
 *
 * @param entityLabel the entity's label, e.g. {@code user}; prefixes Redis keys
 * @param storeId the registry's store id (a number in the reference, kept as text)
 * @param keyspace the keyspace (Scylla/Cassandra); empty for stores without one
 * @param table the table name (Scylla/Cassandra); empty for stores without one
 * @param primaryKeyColumns the entity's primary-key column names, in key order; an {@link EntityKey}
 *     holds one value per column in this order
 * @param maxColumnSizeBytes the store's {@code max-column-size-in-bytes}: how many bytes of a block go
 *     into each of a feature group's columns before the next one (the reference fixes it at 1024)
 */
public record StoreTable(
    String entityLabel,
    String storeId,
    String keyspace,
    String table,
    List<String> primaryKeyColumns,
    int maxColumnSizeBytes) {

  /** The reference's fixed column size. */
  public static final int DEFAULT_MAX_COLUMN_SIZE_BYTES = 1024;

  public StoreTable {
    requireNonNull(entityLabel, "entityLabel is null");
    requireNonNull(storeId, "storeId is null");
    requireNonNull(keyspace, "keyspace is null");
    requireNonNull(table, "table is null");
    requireNonNull(primaryKeyColumns, "primaryKeyColumns is null");
    primaryKeyColumns = List.copyOf(primaryKeyColumns);
    if (entityLabel.isEmpty()) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "store table entity label is empty");
    }
    if (primaryKeyColumns.isEmpty()) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT, "store table for entity '" + entityLabel + "' has no primary-key columns");
    }
    if (maxColumnSizeBytes <= 0) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT,
          "store table for entity '" + entityLabel + "': maxColumnSizeBytes must be positive, was " + maxColumnSizeBytes);
    }
  }

  /** A table with the reference's column size of 1024 bytes. */
  public StoreTable(String entityLabel, String storeId, String keyspace, String table, List<String> primaryKeyColumns) {
    this(entityLabel, storeId, keyspace, table, primaryKeyColumns, DEFAULT_MAX_COLUMN_SIZE_BYTES);
  }

  /** Throws unless {@code key} has one value per primary-key column. */
  public void checkKey(EntityKey key) {
    if (key.size() != primaryKeyColumns.size()) {
      throw new OnfsException(
          ErrorCode.INVALID_ARGUMENT,
          "entity '" + entityLabel + "' key " + key.values() + " has " + key.size()
              + " values, expected one per primary-key column " + primaryKeyColumns);
    }
  }
}
