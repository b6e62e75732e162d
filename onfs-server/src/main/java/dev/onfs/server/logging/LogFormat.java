package dev.onfs.server.logging;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.config.OptionType;

/** How log records are written: one line of text each, or one JSON object per line. */
public enum LogFormat {
  TEXT,
  JSON;

  /** Parses {@code text} or {@code json} (any case), as the {@code log-format} option does; anything else fails naming {@code option}. */
  public static LogFormat parse(String value, String option) {
    try {
      return OptionType.lowerCaseEnum(LogFormat.class).parse(value);
    } catch (IllegalArgumentException e) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, "option '" + option + "' " + e.getMessage(), e);
    }
  }
}
