package dev.onfs.ingest.kafka;

import dev.onfs.core.ErrorCode;
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

  /**
   * Rows of {@code featureGroup} of {@code entity} are durably stored; the newest of their records carried
   * Kafka timestamp {@code newestEventMillis}. Both labels are names the registry defined when the records
   * were validated.
   */
  default void groupStored(String entity, String featureGroup, long newestEventMillis) {}

  /**
   * Records sent to the dead-letter topic (or skipped when none is configured), by the code of the error
   * that rejected them.
   */
  default void recordsDeadLettered(ErrorCode reason, int count) {}

  /** One store write of a batch took {@code nanos}, successful or not. */
  default void batchWritten(long nanos, boolean success) {}

  /** A transient failure made the consumer pause and back off. */
  default void retried() {}

  /** An offset commit failed (it is retried, or the partition's next owner re-reads the records). */
  default void commitFailed() {}

  /** Time from a record's Kafka timestamp to its rows being acknowledged by the store. */
  default void delay(long millis) {}

  /** The latest known lag of an assigned partition. */
  default void lag(TopicPartition partition, long lag) {}

  /** The partition is no longer assigned to this consumer: its lag is someone else's to report. */
  default void released(TopicPartition partition) {}

  static IngestStats disabled() {
    return DisabledStats.INSTANCE;
  }

  /** The no-op recorder. */
  enum DisabledStats implements IngestStats {
    INSTANCE
  }
}
