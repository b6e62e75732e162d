package dev.onfs.bulkload;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A CSV file (RFC 4180 quoting) whose first line names the columns. Empty cells read as null. A
 * vector cell is a JSON array, e.g. {@code "[0.5,1,2]"}.
 */
final class CsvSource implements RowSource {
  private static final CsvMapper MAPPER = new CsvMapper();

  private final Path file;
  private final CountingStream counting;
  private final MappingIterator<List<String>> rows;
  private final List<String> columns;
  private long rowNumber;

  CsvSource(Path file, char delimiter) throws IOException {
    this.file = file;
    this.counting = new CountingStream(Files.newInputStream(file));
    CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter);
    try {
      this.rows = MAPPER.readerForListOf(String.class)
          .with(CsvParser.Feature.WRAP_AS_ARRAY)
          .with(schema)
          .readValues(new BufferedInputStream(counting, 1 << 16));
      if (!rows.hasNextValue()) {
        throw new IOException(file + " is empty: the first line must name the columns");
      }
      this.columns = List.copyOf(rows.nextValue());
    } catch (IOException | RuntimeException e) {
      counting.close();
      throw e;
    }
  }

  @Override
  public Path file() {
    return file;
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public @Nullable List<@Nullable Object> next() {
    try {
      if (!rows.hasNextValue()) {
        return null;
      }
      rowNumber++;
      List<String> cells = rows.nextValue();
      if (cells.size() == 1 && cells.get(0).isEmpty() && columns.size() > 1) {
        return next(); // a blank line
      }
      if (cells.size() != columns.size()) {
        throw new BadRowException(null, "has " + cells.size() + " cells, the header names " + columns.size() + " columns");
      }
      List<@Nullable Object> out = new ArrayList<>(cells.size());
      for (String cell : cells) {
        out.add(cell.isEmpty() ? null : cell);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " after row " + rowNumber + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e instanceof BadRowException) {
        throw e;
      }
      // Jackson wraps parse errors (an unclosed quote, ...) in RuntimeJsonMappingException; the
      // parser cannot resynchronise after one, so the file ends there.
      throw new IllegalStateException(file + " row " + rowNumber + " is not valid CSV: " + e.getMessage(), e);
    }
  }

  @Override
  public long rowNumber() {
    return rowNumber;
  }

  @Override
  public long totalRows() {
    return -1;
  }

  @Override
  public long bytesRead() {
    return counting.count;
  }

  @Override
  public void close() throws IOException {
    rows.close();
    counting.close();
  }

  /** Counts the bytes the parser consumed, for the progress line. */
  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
