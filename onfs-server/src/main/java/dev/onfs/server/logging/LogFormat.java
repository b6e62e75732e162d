package dev.onfs.server.logging;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.Locale;

/** How log records are written: one line of text each, or one JSON object per line. */
public enum LogFormat {
  TEXT,
  JSON;

  /** Parses {@code text} or {@code json} (any case); anything else fails naming {@code option}. */
  public static LogFormat parse(String value, String option) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    for (LogFormat format : values()) {
      if (format.name().toLowerCase(Locale.ROOT).equals(text)) {
        return format;
      }
    }
    throw new OnfsException(ErrorCode.INVALID_ARGUMENT,
        "option '" + option + "' must be one of text, json, got '" + value + "'");
  }
}
