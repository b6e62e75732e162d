package dev.onfs.bulkload;

import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.FeatureRows;
import dev.onfs.ingest.kafka.SchemaCatalog;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes rows through the core persist path ({@link OnlineFeatureStore#persist}), as the server and
 * {@code onfs consume} do, in batches of rows of one shape. When the store refuses a batch
 * permanently (e.g. a key the store's rules reject), its rows are written one by one and only the
 * refused ones are reported.
 */
final class StoreRowSink implements RowSink {
  private final OnlineFeatureStore store;
  private final SchemaCatalog catalog;
  private final int batchRows;
  private final List<RowRef> refs = new ArrayList<>();
  private final List<FeatureRow> rows = new ArrayList<>();
  // Each row's checked query, so a batch is their rows joined rather than converted twice.
  private final List<PersistQuery> checked = new ArrayList<>();
  private final Rejects rejects;
  private long written;

  StoreRowSink(OnlineFeatureStore store, SchemaCatalog catalog, int batchRows, Rejects rejects) {
    this.store = store;
    this.catalog = catalog;
    this.batchRows = batchRows;
    this.rejects = rejects;
  }

  @Override
  public void add(RowRef ref, FeatureRow row) {
    PersistQuery one;
    try {
      one = FeatureRows.toQuery(List.of(row), catalog); // checks the row alone, so a bad row never fails a batch
    } catch (OnfsException e) {
      if (e.isTransient()) {
        throw e;
      }
      throw new BadRowException(null, e.getMessage());
    }
    if (!rows.isEmpty() && !FeatureRows.sameShape(rows.get(0), row)) {
      flush();
    }
    refs.add(ref);
    rows.add(row);
    checked.add(one);
    if (rows.size() >= batchRows) {
      flush();
    }
  }

  @Override
  public void flush() {
    if (rows.isEmpty()) {
      return;
    }
    try {
      PersistQuery first = checked.get(0);
      List<PersistQuery.Data> data = new ArrayList<>(checked.size());
      for (PersistQuery q : checked) {
        data.addAll(q.data());
      }
      written += store.persist(
          new PersistQuery(first.entityLabel(), first.keysSchema(), first.featureGroupSchema(), data)).rowsWritten();
    } catch (OnfsException e) {
      if (e.isTransient()) {
        throw e;
      }
      for (int i = 0; i < rows.size(); i++) {
        try {
          written += store.persist(checked.get(i)).rowsWritten();
        } catch (OnfsException rowError) {
          if (rowError.isTransient()) {
            throw rowError;
          }
          rejects.reject(refs.get(i), null, rowError.getMessage());
        }
      }
    } finally {
      rows.clear();
      refs.clear();
      checked.clear();
    }
  }

  @Override
  public long rowsWritten() {
    return written;
  }

  /** The store is the loader's to close. */
  @Override
  public void close() {}
}
