package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.PersistQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link FeatureSink} over the store's persist path. Consecutive queries of the same shape
 * (entity, key schema, feature groups and features) are merged into one query, so a poll batch of
 * records from one producer job becomes one {@link OnlineFeatureStore#persist} batch write; the
 * rows keep their order.
 */
public final class StoreSink implements FeatureSink {
  private final OnlineFeatureStore store;

  public StoreSink(OnlineFeatureStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  @Override
  public void persist(List<PersistQuery> queries) {
    for (PersistQuery merged : merge(queries)) {
      store.persist(merged);
    }
  }

  static List<PersistQuery> merge(List<PersistQuery> queries) {
    List<PersistQuery> out = new ArrayList<>();
    int i = 0;
    while (i < queries.size()) {
      PersistQuery first = queries.get(i);
      int j = i + 1;
      while (j < queries.size() && sameShape(first, queries.get(j))) {
        j++;
      }
      if (j == i + 1) {
        out.add(first);
      } else {
        List<PersistQuery.Data> rows = new ArrayList<>();
        for (int k = i; k < j; k++) {
          rows.addAll(queries.get(k).data());
        }
        out.add(new PersistQuery(first.entityLabel(), first.keysSchema(), first.featureGroupSchema(), rows));
      }
      i = j;
    }
    return out;
  }

  private static boolean sameShape(PersistQuery a, PersistQuery b) {
    return a.entityLabel().equals(b.entityLabel())
        && a.keysSchema().equals(b.keysSchema())
        && a.featureGroupSchema().equals(b.featureGroupSchema());
  }
}
