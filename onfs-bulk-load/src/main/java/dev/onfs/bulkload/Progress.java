package dev.onfs.bulkload;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The progress line on stderr: rows read, rows/s, and when the total is known (every input is
 * Parquet, whose footers count rows) or can be estimated (from bytes read of the input files), the
 * share done and the time left. On a terminal the line is redrawn in place; otherwise a line is
 * printed every interval.
 */
final class Progress {
  private final PrintWriter err;
  private final boolean inPlace;
  private final long intervalNanos;
  private final long totalRows;
  private final long totalBytes;
  private final long startNanos = System.nanoTime();
  private long lastPrint = startNanos;
  private boolean printed;

  /**
   * @param totalRows rows in all inputs, or -1 when unknown
   * @param totalBytes bytes of all inputs
   */
  Progress(PrintWriter err, boolean inPlace, long intervalMillis, long totalRows, long totalBytes) {
    this.err = err;
    this.inPlace = inPlace;
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.totalRows = totalRows;
    this.totalBytes = totalBytes;
  }

  /** Prints when the interval has passed. Cheap enough to call per row. */
  void tick(long rows, long rejected, long bytesDone) {
    long now = System.nanoTime();
    if (now - lastPrint < intervalNanos) {
      return;
    }
    lastPrint = now;
    print(line(rows, rejected, bytesDone, now), false);
  }

  /** Ends the progress line (on a terminal) so the summary starts on a line of its own. */
  void finish() {
    if (inPlace && printed) {
      err.println();
    }
  }

  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private String line(long rows, long rejected, long bytesDone, long now) {
    double seconds = (now - startNanos) / 1e9;
    double rate = seconds > 0 ? rows / seconds : 0;
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%,d rows", rows));
    double done;
    if (totalRows > 0) {
      b.append(String.format(Locale.ROOT, " of %,d", totalRows));
      done = (double) rows / totalRows;
    } else {
      done = totalBytes > 0 ? (double) bytesDone / totalBytes : 0;
    }
    b.append(String.format(Locale.ROOT, " (%d%%)  %,.0f rows/s", Math.round(done * 100), rate));
    if (done > 0 && done < 1) {
      b.append("  ETA ").append(duration(seconds * (1 - done) / done));
    }
    if (rejected > 0) {
      b.append(String.format(Locale.ROOT, "  %,d rejected", rejected));
    }
    return b.toString();
  }

  private void print(String line, boolean last) {
    printed = true;
    if (inPlace) {
      err.print("\r" + line + "\033[K");
      err.flush();
    } else {
      err.println(line);
    }
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
