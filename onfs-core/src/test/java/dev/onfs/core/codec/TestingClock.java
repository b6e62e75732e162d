package dev.onfs.core.codec;

import java.time.Instant;
import java.time.InstantSource;

/** A settable clock for expiry tests. */
final class TestingClock implements InstantSource {
  private long millis;

  TestingClock(Instant start) {
    this.millis = start.toEpochMilli();
  }

  void setMillis(long millis) {
    this.millis = millis;
  }

  void advanceMillis(long delta) {
    this.millis += delta;
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }
}
