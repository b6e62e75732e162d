package dev.onfs.server.logging;

import static java.util.Objects.requireNonNull;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Sends every log record of the process (the server's own, and the drivers' through SLF4J's
 * java.util.logging binding) to standard error as one line each: text, or a JSON object that log
 * collectors parse without patterns. Commands call {@link #configure(LogFormat)} once at start.
 */
public final class Logs {
  private Logs() {}

  /** Replaces the root logger's handlers with one writing {@code format} lines to standard error. */
  public static void configure(LogFormat format) {
    configure(format, System.err);
  }

  /** As {@link #configure(LogFormat)}, writing to {@code out} (tests capture it). */
  static void configure(LogFormat format, OutputStream out) {
    requireNonNull(format, "format is null");
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
      handler.flush();
    }
    root.addHandler(new LineHandler(out instanceof PrintStream print ? print : new PrintStream(out, true),
        format == LogFormat.JSON ? new JsonLinesFormatter() : new TextLineFormatter()));
  }

  /** Writes and flushes each record at once, so lines are not lost or interleaved when the process stops. */
  private static final class LineHandler extends StreamHandler {
    LineHandler(OutputStream out, Formatter formatter) {
      super(out, formatter);
      setLevel(Level.ALL);
    }

    @Override
    public synchronized void publish(LogRecord record) {
      super.publish(record);
      flush();
    }

    @Override
    public synchronized void close() {
      // The stream is standard error (or the test's), which outlives the handler.
      flush();
    }
  }
}
