package dev.onfs.storage.scylla;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.storage.SchemaManager;
import dev.onfs.core.storage.StoreTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The DDL the reference's control plane runs for a store: a table per store whose primary-key columns are
 * {@code text} (one composite partition key, no clustering columns) with a default TTL, and
 * {@code seg_<n> blob} columns added as feature groups grow. Nothing is ever dropped. Each statement
 * waits for schema agreement.
 */
public final class ScyllaSchema implements SchemaManager {
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(30);

  private final CqlSession session;

  ScyllaSchema(CqlSession session) {
    this.session = requireNonNull(session, "session is null");
  }

  /** {@code CREATE KEYSPACE IF NOT EXISTS} with SimpleStrategy, as the reference's quick start does. */
  public void createKeyspace(String keyspace, int replicationFactor) {
    if (replicationFactor <= 0) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "replication factor must be positive, was " + replicationFactor);
    }
    checkIdentifier("keyspace", keyspace);
    execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}");
  }

  /** The CQL that creates {@code table}: text primary-key columns, default TTL in seconds (0 = none). */
  public static String createTableCql(StoreTable table, int defaultTtlSeconds) {
    if (defaultTtlSeconds < 0) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "default TTL must not be negative, was " + defaultTtlSeconds);
    }
    checkTable(table);
    List<String> pks = table.primaryKeyColumns();
    StringBuilder cql = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
        .append(table.keyspace()).append('.').append(table.table()).append(" (");
    for (String pk : pks) {
      cql.append(pk).append(" text, ");
    }
    cql.append("PRIMARY KEY (");
    if (pks.size() == 1) {
      cql.append(pks.get(0));
    } else {
      cql.append('(').append(String.join(", ", pks)).append(')');
    }
    return cql.append(")) WITH default_time_to_live = ").append(defaultTtlSeconds).toString();
  }

  /** The CQL that adds one segment column. */
  public static String addColumnCql(StoreTable table, String column) {
    checkTable(table);
    checkIdentifier("column", column);
    return "ALTER TABLE " + table.keyspace() + "." + table.table() + " ADD " + column + " blob";
  }

  /** Creates the table unless it exists. */
  @Override
  public void createTable(StoreTable table, int defaultTtlSeconds) {
    execute(createTableCql(table, defaultTtlSeconds));
  }

  /**
   * Adds the given {@code blob} columns that the table does not have yet; returns those added. Safe to
   * repeat and to race with another node doing the same.
   */
  @Override
  public List<String> addColumns(StoreTable table, Collection<String> columns) {
    checkTable(table);
    List<String> added = new ArrayList<>();
    for (String column : columns) {
      if (hasColumn(table, column)) {
        continue;
      }
      try {
        execute(addColumnCql(table, column));
        added.add(column);
      } catch (OnfsException e) {
        if (!(e.getCause() instanceof InvalidQueryException) || !hasColumnAfterRefresh(table, column)) {
          throw e;
        }
      }
    }
    return added;
  }

  /** True when the table exists and has {@code column}, per the driver's schema metadata. */
  public boolean hasColumn(StoreTable table, String column) {
    return tableMetadata(table)
        .map(t -> t.getColumn(CqlIdentifier.fromCql(column.toLowerCase(Locale.ROOT))).isPresent())
        .orElse(false);
  }

  private boolean hasColumnAfterRefresh(StoreTable table, String column) {
    session.refreshSchema();
    return hasColumn(table, column);
  }

  private Optional<TableMetadata> tableMetadata(StoreTable table) {
    checkTable(table);
    return session.getMetadata()
        .getKeyspace(CqlIdentifier.fromCql(table.keyspace().toLowerCase(Locale.ROOT)))
        .flatMap(k -> k.getTable(CqlIdentifier.fromCql(table.table().toLowerCase(Locale.ROOT))));
  }

  private void execute(String cql) {
    try {
      session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
    } catch (RuntimeException e) {
      throw ScyllaErrors.translate(e, "schema change '" + cql + "'");
    }
  }

  private static void checkTable(StoreTable table) {
    requireNonNull(table, "table is null");
    ScyllaStore.identifier("keyspace", table.keyspace(), table);
    ScyllaStore.identifier("table", table.table(), table);
    for (String pk : table.primaryKeyColumns()) {
      ScyllaStore.identifier("primary-key column", pk, table);
    }
  }

  private static void checkIdentifier(String kind, String name) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,47}")) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, kind + " name '" + name + "' is not a plain CQL identifier");
    }
  }
}
