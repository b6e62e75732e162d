package dev.onfs.storage.scylla;

import dev.onfs.core.storage.ConditionalRow;
import dev.onfs.core.storage.EntityKey;
import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.ReadResult;
import dev.onfs.core.storage.StoreCapabilities;
import dev.onfs.core.storage.StoreFeatureGroup;
import dev.onfs.core.storage.StoreRow;
import dev.onfs.core.storage.StoreTable;
import dev.onfs.core.storage.WriteConflict;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Forwards to a store shared by a test class and ignores close(). Tables without a keyspace (as the
 * serving layer builds them from a registry) are put in the given one.
 */
final class KeepOpenStore implements OnlineStore {
  private final OnlineStore delegate;
  private final String keyspace;

  KeepOpenStore(OnlineStore delegate) {
    this(delegate, "");
  }

  KeepOpenStore(OnlineStore delegate, String keyspace) {
    this.delegate = delegate;
    this.keyspace = keyspace;
  }

  private StoreTable in(StoreTable table) {
    return table.keyspace().isEmpty() && !keyspace.isEmpty()
        ? new StoreTable(table.entityLabel(), table.storeId(), keyspace, table.table(), table.primaryKeyColumns(),
            table.maxColumnSizeBytes())
        : table;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public StoreCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public ReadResult read(StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
    return delegate.read(in(table), keys, featureGroups);
  }

  @Override
  public void write(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    delegate.write(in(table), featureGroups, rows);
  }

  @Override
  public List<WriteConflict> writeIfUnchanged(
      StoreTable table, List<StoreFeatureGroup> featureGroups, List<ConditionalRow> rows) {
    return delegate.writeIfUnchanged(in(table), featureGroups, rows);
  }

  @Override
  public void delete(StoreTable table, List<EntityKey> keys) {
    delegate.delete(in(table), keys);
  }

  @Override
  public CompletionStage<ReadResult> readAsync(
      StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
    return delegate.readAsync(in(table), keys, featureGroups);
  }

  @Override
  public CompletionStage<Void> writeAsync(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    return delegate.writeAsync(in(table), featureGroups, rows);
  }

  @Override
  public CompletionStage<Void> deleteAsync(StoreTable table, List<EntityKey> keys) {
    return delegate.deleteAsync(in(table), keys);
  }

  @Override
  public void ping() {
    delegate.ping();
  }

  @Override
  public void close() {}
}
