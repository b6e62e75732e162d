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

/** Forwards to a store shared by a test class and ignores close(). */
class KeepOpenStore implements OnlineStore {
  private final OnlineStore delegate;

  KeepOpenStore(OnlineStore delegate) {
    this.delegate = delegate;
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
    return delegate.read(table, keys, featureGroups);
  }

  @Override
  public void write(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    delegate.write(table, featureGroups, rows);
  }

  @Override
  public List<WriteConflict> writeIfUnchanged(
      StoreTable table, List<StoreFeatureGroup> featureGroups, List<ConditionalRow> rows) {
    return delegate.writeIfUnchanged(table, featureGroups, rows);
  }

  @Override
  public void delete(StoreTable table, List<EntityKey> keys) {
    delegate.delete(table, keys);
  }

  @Override
  public CompletionStage<ReadResult> readAsync(
      StoreTable table, List<EntityKey> keys, List<StoreFeatureGroup> featureGroups) {
    return delegate.readAsync(table, keys, featureGroups);
  }

  @Override
  public CompletionStage<Void> writeAsync(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    return delegate.writeAsync(table, featureGroups, rows);
  }

  @Override
  public CompletionStage<Void> deleteAsync(StoreTable table, List<EntityKey> keys) {
    return delegate.deleteAsync(table, keys);
  }

  @Override
  public void ping() {
    delegate.ping();
  }

  @Override
  public void close() {}
}
