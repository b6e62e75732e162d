package dev.onfs.bulkload;

import dev.onfs.ingest.kafka.FeatureRow;

/** Where loaded rows go: the store or the ingestion topic. Not thread-safe. */
interface RowSink extends AutoCloseable {

  /**
   * Takes one row, already mapped; may buffer it.
   *
   * @throws BadRowException when the row does not match the registry (nothing of it is written)
   */
  void add(RowRef ref, FeatureRow row);

  /** Writes what is buffered and waits until it is stored (acknowledged). */
  void flush();

  /** Rows written (acknowledged after {@link #flush}). */
  long rowsWritten();

  @Override
  void close();

  /** Where a row came from, for reports: file, 1-based data row, and its cells. */
  record RowRef(String file, long row, java.util.List<String> columns, java.util.List<@org.jspecify.annotations.Nullable Object> cells) {}
}
