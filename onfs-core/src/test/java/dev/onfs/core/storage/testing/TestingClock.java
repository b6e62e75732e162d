package dev.onfs.core.storage.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it; thread-safe. */
public final class TestingClock extends Clock {
  private volatile Instant now;

  public TestingClock(Instant start) {
    this.now = start;
  }

  /** Starts at the current wall time, so block expiries encode as they would in production. */
  public static TestingClock startingNow() {
    return new TestingClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
  }

  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
  }

  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
