package dev.onfs.core.metrics;

/** The recorder behind {@link OnfsStatsRecorder#disabled()}. */
enum DisabledStatsRecorder implements OnfsStatsRecorder {
  INSTANCE
}
