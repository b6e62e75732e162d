package dev.onfs.controlplane.compat;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.StoreConfig;
import java.util.List;

/**
 * DDL that must exist before a plan is published: a store's table, or a feature group's new storage
 * columns in its store's table. Run only for stores whose connection has a schema manager; every
 * step is idempotent.
 */
public sealed interface SchemaStep {
  StoreConfig store();

  /**
   * Create the store's table: {@code keyColumns} as text primary-key columns, the store's TTL as
   * default TTL.
   */
  record CreateTable(StoreConfig store, List<String> keyColumns) implements SchemaStep {
    public CreateTable {
      requireNonNull(store, "store is null");
      keyColumns = List.copyOf(keyColumns);
    }
  }

  /**
   * Add blob columns to the store's table.
   *
   * @param entity the entity whose group uses the columns
   * @param keyColumns the primary-key columns of the table (the store's, or the entity's key columns)
   * @param columns the columns to add, e.g. {@code seg_3}
   */
  record AddColumns(StoreConfig store, String entity, List<String> keyColumns, List<String> columns)
      implements SchemaStep {
    public AddColumns {
      requireNonNull(store, "store is null");
      requireNonNull(entity, "entity is null");
      keyColumns = List.copyOf(keyColumns);
      columns = List.copyOf(columns);
    }
  }
}
