package dev.onfs.core.serving;

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
import java.util.concurrent.atomic.AtomicInteger;

/** Forwards to a real store and counts calls and read cells. */
class CountingStore implements OnlineStore {
  final OnlineStore delegate;
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger readKeys = new AtomicInteger();
  final AtomicInteger readCells = new AtomicInteger();
  final AtomicInteger writes = new AtomicInteger();

  CountingStore(OnlineStore delegate) {
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
    reads.incrementAndGet();
    readKeys.addAndGet(keys.size());
    readCells.addAndGet(keys.size() * featureGroups.size());
    return delegate.read(table, keys, featureGroups);
  }

  @Override
  public void write(StoreTable table, List<StoreFeatureGroup> featureGroups, List<StoreRow> rows) {
    writes.incrementAndGet();
    delegate.write(table, featureGroups, rows);
  }

  @Override
  public List<WriteConflict> writeIfUnchanged(
      StoreTable table, List<StoreFeatureGroup> featureGroups, List<ConditionalRow> rows) {
    writes.incrementAndGet();
    return delegate.writeIfUnchanged(table, featureGroups, rows);
  }

  @Override
  public void delete(StoreTable table, List<EntityKey> keys) {
    delegate.delete(table, keys);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
