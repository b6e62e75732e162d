package dev.onfs.server.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code 2026-01-02T03:04:05.678Z INFO logger message}, one line per record (the exception's trace,
 * if any, follows). Control characters in the message are escaped, so a value a caller sent cannot
 * start a line of its own that reads like another record.
 */
final class TextLineFormatter extends Formatter {
  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(128)
        .append(Instant.ofEpochMilli(record.getMillis()))
        .append(' ').append(record.getLevel().getName())
        .append(' ').append(record.getLoggerName())
        .append(' ');
    String message = formatMessage(record);
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        line.append(String.format("\\u%04x", (int) c));
      } else {
        line.append(c);
      }
    }
    line.append(System.lineSeparator());
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.append(trace);
    }
    return line.toString();
  }
}
