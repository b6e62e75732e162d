package dev.onfs.bulkload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What happens to a row that cannot be loaded: without a rejects file the load stops at the first
 * one; with one, the row is written there as a JSON line (file, row, column, error and its cells as
 * read) and the load goes on. Either way the row is named on stderr ({@code file:row: column: error}).
 */
final class Rejects implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PRINTED_MAX = 20;

  private final @Nullable Path path;
  private final @Nullable BufferedWriter out;
  private final @Nullable PrintWriter err;
  private long count;
  private java.util.function.Function<String, @Nullable String> columnOf = message -> null;

  private Rejects(@Nullable Path path, @Nullable PrintWriter err) throws IOException {
    this.path = path;
    this.out = path == null ? null : Files.newBufferedWriter(path, StandardCharsets.UTF_8);
    this.err = err;
  }

  /** Stops the load at the first bad row. */
  static Rejects failFast() {
    try {
      return new Rejects(null, null);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Writes bad rows to {@code path} (replaced) and names the first few on {@code err}. */
  static Rejects toFile(Path path, PrintWriter err) throws IOException {
    return new Rejects(path, err);
  }

  /**
   * Reports a bad row.
   *
   * @throws LoadFailedException without a rejects file
   */
  void reject(RowSink.RowRef ref, @Nullable String column, String error) {
    if (column == null) {
      column = columnOf.apply(error);
    }
    String where = ref.file() + ":" + ref.row() + ": " + (column == null ? "" : "column '" + column + "': ") + error;
    if (out == null) {
      throw new LoadFailedException(where);
    }
    count++;
    ObjectNode line = JSON.createObjectNode();
    line.put("file", ref.file());
    line.put("row", ref.row());
    line.put("column", column);
    line.put("error", error);
    ObjectNode cells = line.putObject("cells");
    for (int i = 0; i < ref.columns().size() && i < ref.cells().size(); i++) {
      Object v = ref.cells().get(i);
      cells.putPOJO(ref.columns().get(i), v);
    }
    try {
      out.write(JSON.writeValueAsString(line));
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write rejects file " + path, e);
    }
    if (err != null && count <= PRINTED_MAX) {
      err.println("rejected " + where + (count == PRINTED_MAX ? " (further rejects only in " + path + ")" : ""));
    }
  }

  /** How the current file's column is found in an error message that names a feature or key. */
  void columnsFrom(java.util.function.Function<String, @Nullable String> columnOf) {
    this.columnOf = columnOf;
  }

  long count() {
    return count;
  }

  @Nullable Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }

  /** The load stopped: the message names the file, row and column at fault. */
  static final class LoadFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LoadFailedException(String message) {
      super(message);
    }
  }
}
