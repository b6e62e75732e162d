package dev.onfs.bulkload;

import dev.onfs.bulkload.InputFiles.InputFile;
import dev.onfs.ingest.kafka.FeatureRow;
import dev.onfs.ingest.kafka.SchemaCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads every input file in order, maps each row to the entity by its column names, and hands it to
 * the sink; bad rows go to {@link Rejects}. Flushes the sink after each file, so when a later file
 * fails every earlier file is fully stored.
 */
final class BulkLoader {
  private final SchemaCatalog.EntitySchema entity;
  private final RowSink sink;
  private final Rejects rejects;
  private final PrintWriter err;
  private final Progress progress;

  /** What a load did. */
  record Summary(long rowsRead, long rowsWritten, long rowsRejected, int files, double seconds) {
    double rowsPerSecond() {
      return seconds > 0 ? rowsWritten / seconds : 0;
    }
  }

  BulkLoader(SchemaCatalog.EntitySchema entity, RowSink sink, Rejects rejects, PrintWriter err, Progress progress) {
    this.entity = entity;
    this.sink = sink;
    this.rejects = rejects;
    this.err = err;
    this.progress = progress;
  }

  Summary load(List<InputFile> files, char csvDelimiter) throws IOException {
    long rows = 0;
    long bytesBefore = 0;
    try {
      for (InputFile input : files) {
        try (RowSource source = input.format() == InputFiles.Format.PARQUET
            ? new ParquetSource(input.path())
            : new CsvSource(input.path(), csvDelimiter)) {
          ColumnMapping mapping = ColumnMapping.of(input.path(), source.columns(), entity);
          rejects.columnsFrom(mapping::columnNamedIn);
          if (!mapping.ignored().isEmpty()) {
            err.println(input.path() + ": ignoring columns " + mapping.ignored()
                + " (neither keys of '" + entity.label() + "' nor <group>" + ColumnMapping.SEPARATOR + "<feature>)");
          }
          String file = input.path().toString();
          while (true) {
            @Nullable List<@Nullable Object> cells;
            try {
              cells = source.next();
            } catch (BadRowException e) {
              rows++;
              rejects.reject(new RowSink.RowRef(file, source.rowNumber(), source.columns(), List.of()),
                  e.column(), e.getMessage());
              continue;
            }
            if (cells == null) {
              break;
            }
            rows++;
            RowSink.RowRef ref = new RowSink.RowRef(file, source.rowNumber(), source.columns(), cells);
            try {
              FeatureRow row = mapping.toRow(cells);
              sink.add(ref, row);
            } catch (BadRowException e) {
              rejects.reject(ref, e.column(), e.getMessage());
            }
            progress.tick(rows, rejects.count(), bytesBefore + source.bytesRead());
          }
          sink.flush();
        }
        bytesBefore += input.size();
      }
      sink.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (Rejects.LoadFailedException e) {
      // Store the rows before the bad one, so the count below is exact and a rerun after the fix
      // only repeats writes (which replace the same values).
      sink.flush();
      throw new Rejects.LoadFailedException(e.getMessage() + String.format(java.util.Locale.ROOT,
          "; the %,d rows before it are stored (--rejects FILE sets bad rows aside and goes on)", sink.rowsWritten()));
    } finally {
      progress.finish();
    }
    return new Summary(rows, sink.rowsWritten(), rejects.count(), files.size(), progress.elapsedSeconds());
  }
}
