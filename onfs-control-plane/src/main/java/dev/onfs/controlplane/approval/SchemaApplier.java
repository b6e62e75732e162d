package dev.onfs.controlplane.approval;

import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.controlplane.StoreConnection;
import dev.onfs.controlplane.compat.SchemaStep;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.StoreConfig;
import dev.onfs.core.storage.SchemaManager;
import dev.onfs.core.storage.StoreTable;
import java.util.List;
import java.util.Map;

/** Runs a plan's DDL on the stores whose connections have a schema manager. */
final class SchemaApplier {
  private final Map<Integer, StoreConnection> connections;

  SchemaApplier(Map<Integer, StoreConnection> connections) {
    this.connections = connections;
  }

  void apply(long requestId, List<SchemaStep> steps) {
    for (SchemaStep step : steps) {
      StoreConfig store = step.store();
      StoreConnection connection = connections.get(store.confId());
      if (connection == null || connection.schemaManager() == null) {
        continue;
      }
      SchemaManager schema = connection.schemaManager();
      String where = connection.keyspace() + "." + store.table();
      try {
        if (step instanceof SchemaStep.CreateTable create) {
          if (store.tableTtlSeconds() > Integer.MAX_VALUE) {
            throw ControlPlaneException.invalid(null, "store " + store.id() + " table-ttl " + store.tableTtlSeconds()
                + " is too large for a table's default TTL");
          }
          schema.createTable(table(store, store.table(), create.keyColumns(), connection), (int) store.tableTtlSeconds());
        } else if (step instanceof SchemaStep.AddColumns add) {
          schema.addColumns(table(store, add.entity(), add.keyColumns(), connection), add.columns());
        }
      } catch (OnfsException e) {
        if (e instanceof ControlPlaneException cpe && cpe.reason() == Reason.INVALID) {
          throw cpe;
        }
        throw new ControlPlaneException(Reason.UNAVAILABLE, null, "request " + requestId + ": schema change on " + where
            + " failed: " + e.getMessage() + "; nothing was published and the request stays pending: approve it"
            + " again to retry (the schema changes made so far are kept and skipped next time)", e);
      }
    }
  }

  private static StoreTable table(StoreConfig store, String owner, List<String> keyColumns, StoreConnection connection) {
    return new StoreTable(owner, store.id(), connection.keyspace(), store.table(), keyColumns,
        store.maxColumnSizeInBytes());
  }
}
