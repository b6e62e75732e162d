package dev.onfs.bulkload;

import dev.onfs.ingest.kafka.FeatureRow;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
  record RowRef(String file, long row, List<String> columns, List<@Nullable Object> cells) {}
}
