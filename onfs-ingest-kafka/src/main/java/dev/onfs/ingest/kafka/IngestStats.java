package dev.onfs.ingest.kafka;

import org.apache.kafka.common.TopicPartition;

/**
 * Receives ingestion measurements. Every method has a no-op default; the server binds this to
 * Micrometer. Called from consumer threads: implementations must be thread-safe and cheap.
 */
public interface IngestStats {

  /** Records taken from Kafka. */
  default void recordsIn(int count) {}

  /** Records whose rows are durably stored. */
  default void recordsStored(int count, int rows) {}

  /** Records sent to the dead-letter topic (or skipped when none is configured). */
  default void recordsDeadLettered(int count) {}

  /** One store write of a batch took {@code nanos}, successful or not. */
  default void batchWritten(long nanos, boolean success) {}

  /** A transient failure made the consumer pause and back off. */
  default void retried() {}

  /** Time from a record's Kafka timestamp to its rows being acknowledged by the store. */
  default void freshness(long millis) {}

  /** The latest known lag of an assigned partition. */
  default void lag(TopicPartition partition, long lag) {}

  static IngestStats disabled() {
    return DisabledStats.INSTANCE;
  }

  /** The no-op recorder. */
  enum DisabledStats implements IngestStats {
    INSTANCE
  }
}
