package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.PersistQuery;

import java.util.List;

/**
 * Where validated queries go: the persist path of the store.
 *
 * <p>Contract: {@link #persist} returns only once every query is durably stored, applying them in
 * list order (a later row for the same entity key and feature group wins). Writing the same list
 * again yields the same stored state. Failure is reported as a {@link dev.onfs.core.OnfsException}:
 * a transient one ({@link dev.onfs.core.OnfsException#isTransient()}) when the store is unavailable
 * and the whole list may be retried, any other when some query itself is rejected.
 */
@FunctionalInterface
public interface FeatureSink {
  void persist(List<PersistQuery> queries);
}
