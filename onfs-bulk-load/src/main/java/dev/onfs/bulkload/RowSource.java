package dev.onfs.bulkload;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The rows of one input file, read in order. Not thread-safe. */
interface RowSource extends Closeable {

  Path file();

  /** Column names, in file order. */
  List<String> columns();

  /**
   * The next row's cells, one per {@link #columns()} entry, or null at the end. A cell is a
   * {@code String} (CSV, null when empty), or the Parquet value as a Java object ({@code Integer},
   * {@code Long}, {@code Float}, {@code Double}, {@code Boolean}, {@code String}, {@code List}),
   * null when absent.
   *
   * @throws BadRowException when the row cannot be read as a row (e.g. a CSV line with too many cells)
   */
  @Nullable List<@Nullable Object> next();

  /** 1-based number of the row {@link #next()} returned last; row 1 is the first data row. */
  long rowNumber();

  /** Rows in the file when the format records it (Parquet), else -1. */
  long totalRows();

  /** How much of the file is read, in bytes (estimated for Parquet from rows read). */
  long bytesRead();
}
