package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.internal.RegistryChecks;
import java.util.List;

/**
 * A store: where the blocks of the feature groups that reference it live. The reference keeps it as
 * one JSON document under {@code storage/stores/<id>}.
 *
 * @param id the store id (decimal numbers in the reference, allocated as max + 1)
 * @param dbType {@code scylla}, {@code redis_failover}, ... (the server maps it to an adapter)
 * @param confId the id of the connection configured on the server
 * @param table the table (Scylla) the blocks go to
 * @param primaryKeys the table's primary-key columns, in order; may be empty for Redis stores
 * @param tableTtlSeconds the table's default TTL, 0 for none
 * @param maxColumnSizeInBytes the segment size (1024 in the reference)
 * @param maxRowSizeInBytes recorded, not enforced (102400 in the reference)
 */
public record StoreConfig(
    String id,
    String dbType,
    int confId,
    String table,
    List<String> primaryKeys,
    long tableTtlSeconds,
    int maxColumnSizeInBytes,
    int maxRowSizeInBytes) {
  /** The reference's fixed segment size. */
  public static final int DEFAULT_MAX_COLUMN_SIZE_IN_BYTES = 1024;
  /** The reference's fixed (unenforced) row size. */
  public static final int DEFAULT_MAX_ROW_SIZE_IN_BYTES = 102400;

  public StoreConfig {
    requireNonNull(id, "id is null");
    requireNonNull(dbType, "dbType is null");
    requireNonNull(table, "table is null");
    primaryKeys = List.copyOf(requireNonNull(primaryKeys, "primaryKeys is null"));
    RegistryChecks.label(id, "store id");
    String where = "store '" + id + "' ";
    if (dbType.isBlank()) {
      throw RegistryChecks.invalid(where + "db-type is empty");
    }
    RegistryChecks.nonNegative(confId, where + "conf-id");
    for (String key : primaryKeys) {
      RegistryChecks.label(key, where + "primary key");
    }
    if (primaryKeys.stream().distinct().count() != primaryKeys.size()) {
      throw RegistryChecks.invalid(where + "primary-keys " + primaryKeys + " contain a duplicate");
    }
    RegistryChecks.nonNegative(tableTtlSeconds, where + "table-ttl");
    if (maxColumnSizeInBytes <= 0) {
      throw RegistryChecks.invalid(where + "max-column-size-in-bytes is " + maxColumnSizeInBytes + ", must be positive");
    }
    RegistryChecks.nonNegative(maxRowSizeInBytes, where + "max-row-size-in-bytes");
  }

  /** A store with the reference's default column and row sizes. */
  public static StoreConfig of(
      String id, String dbType, int confId, String table, List<String> primaryKeys, long tableTtlSeconds) {
    return new StoreConfig(id, dbType, confId, table, primaryKeys, tableTtlSeconds,
        DEFAULT_MAX_COLUMN_SIZE_IN_BYTES, DEFAULT_MAX_ROW_SIZE_IN_BYTES);
  }
}
