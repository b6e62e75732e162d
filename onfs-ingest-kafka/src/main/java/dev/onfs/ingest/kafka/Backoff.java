package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with a cap and "equal jitter": attempt n waits between half and all of
 * {@code min(max, initial * multiplier^(n-1))}, so retries never spin and never synchronize.
 *
 * @param initial delay before the first retry
 * @param max the bound on any delay
 * @param multiplier growth per attempt, at least 1
 */
public record Backoff(Duration initial, Duration max, double multiplier) {

  public Backoff {
    requireNonNull(initial, "initial is null");
    requireNonNull(max, "max is null");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("backoff initial must be positive: " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff max " + max + " is below initial " + initial);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("backoff multiplier must be >= 1: " + multiplier);
    }
  }

  public static Backoff defaults() {
    return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 2.0);
  }

  /** The bound for attempt {@code attempt} (1-based), before jitter. */
  public long ceilingMillis(int attempt) {
    double ceiling = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    return (long) Math.min(max.toMillis(), ceiling);
  }

  /** A jittered delay for attempt {@code attempt} (1-based), in [ceiling/2, ceiling]. */
  public long delayMillis(int attempt) {
    long ceiling = Math.max(1, ceilingMillis(attempt));
    long half = ceiling / 2;
    return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
  }
}
