package dev.onfs.controlplane;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.storage.SchemaManager;
import org.jspecify.annotations.Nullable;

/**
 * A store connection the servers have configured, as the control plane knows it: stores may only be
 * registered on a configured connection id with its db-type (the reference's active-config-id
 * lists). A connection with a {@link SchemaManager} gets its tables and columns created before a
 * store or feature group on it is published.
 *
 * @param confId the connection id stores refer to ({@code conf-id})
 * @param dbType the store type of the connection, e.g. {@code scylla} or {@code redis_failover}
 * @param schemaManager creates tables and columns, or null when the store needs none (or its tables
 *     are managed elsewhere)
 * @param keyspace the keyspace tables are created in (column stores); empty otherwise
 */
public record StoreConnection(int confId, String dbType, @Nullable SchemaManager schemaManager, String keyspace) {
  public StoreConnection {
    requireNonNull(dbType, "dbType is null");
    requireNonNull(keyspace, "keyspace is null");
    if (confId < 0) {
      throw new IllegalArgumentException("confId must not be negative: " + confId);
    }
    if (dbType.isBlank()) {
      throw new IllegalArgumentException("dbType is empty");
    }
    if (schemaManager != null && keyspace.isEmpty()) {
      throw new IllegalArgumentException("conf-id " + confId + ": a schema manager needs a keyspace");
    }
  }

  /** A connection whose stores need no DDL (Redis, memory). */
  public static StoreConnection withoutSchema(int confId, String dbType) {
    return new StoreConnection(confId, dbType, null, "");
  }

  /** A column-store connection whose tables are created in {@code keyspace}. */
  public static StoreConnection withSchema(int confId, String dbType, SchemaManager schemaManager, String keyspace) {
    return new StoreConnection(confId, dbType, requireNonNull(schemaManager, "schemaManager is null"), keyspace);
  }

  @Override
  public String toString() {
    return confId + " (" + dbType + (schemaManager == null ? "" : ", keyspace " + keyspace) + ")";
  }
}
