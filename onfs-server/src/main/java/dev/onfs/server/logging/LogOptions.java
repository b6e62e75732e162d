package dev.onfs.server.logging;

import static java.util.Objects.requireNonNull;

/**
 * Logging settings of {@code onfs serve}.
 *
 * @param format {@code log-format}
 * @param accessLogSampleRate {@code access-log-sample-rate}: share of successful calls logged, 0..1
 * @param accessLogErrorsPerSecond {@code access-log-errors-per-second}: most failed calls logged per second
 */
public record LogOptions(LogFormat format, double accessLogSampleRate, int accessLogErrorsPerSecond) {
  public LogOptions {
    requireNonNull(format, "format is null");
  }

  /** The access log these options describe, or null when it would log nothing. */
  public @org.jspecify.annotations.Nullable AccessLog accessLog() {
    return accessLogSampleRate == 0 && accessLogErrorsPerSecond == 0
        ? null : new AccessLog(accessLogSampleRate, accessLogErrorsPerSecond);
  }
}
