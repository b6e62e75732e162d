package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;
import dev.onfs.core.serving.Values;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written in-memory sink for logic tests: stores the latest values per (entity key, group),
 * and fails with a transient error while switched unavailable.
 */
final class MemorySink implements FeatureSink {
  final Map<String, Values> stored = new ConcurrentHashMap<>();
  final AtomicBoolean available = new AtomicBoolean(true);
  final AtomicInteger writes = new AtomicInteger();
  final AtomicInteger failures = new AtomicInteger();

  @Override
  public void persist(List<PersistQuery> queries) {
    if (!available.get()) {
      failures.incrementAndGet();
      throw new OnfsException(ErrorCode.STORE_UNAVAILABLE, "memory store switched off");
    }
    writes.incrementAndGet();
    for (PersistQuery q : queries) {
      for (PersistQuery.Data row : q.data()) {
        for (int g = 0; g < q.featureGroupSchema().size(); g++) {
          stored.put(
              q.entityLabel() + ":" + String.join("|", row.keyValues()) + ":" + q.featureGroupSchema().get(g).label(),
              row.featureValues().get(g));
        }
      }
    }
  }

  Values get(String entity, String key, String group) {
    return stored.get(entity + ":" + key + ":" + group);
  }
}
