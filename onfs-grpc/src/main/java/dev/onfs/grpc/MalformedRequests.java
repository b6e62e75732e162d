package dev.onfs.grpc;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Logs requests whose bytes are not the message they should be: at most one WARN line per interval
 * for each kind of message, carrying the latest reason and how many were not logged since, and never
 * a stack trace. The caller gets the reason in its INVALID_ARGUMENT status; the log only tells
 * operators that some client sends garbage, without letting that client fill the log.
 */
final class MalformedRequests {
  private static final Logger LOG = Logger.getLogger(MalformedRequests.class.getName());
  static final Duration INTERVAL = Duration.ofSeconds(10);

  static final MalformedRequests RETRIEVE = new MalformedRequests("retrieve.Query", System::nanoTime);
  static final MalformedRequests PERSIST = new MalformedRequests("persist.Query", System::nanoTime);

  private final String message;
  private final LongSupplier nanoTime;
  private final AtomicLong nextLogAt;
  private final AtomicLong notLogged = new AtomicLong();

  MalformedRequests(String message, LongSupplier nanoTime) {
    this.message = requireNonNull(message, "message is null");
    this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    this.nextLogAt = new AtomicLong(nanoTime.getAsLong());
  }

  /** Counts one malformed request; logs it when the interval since the last line has passed. */
  void report(String reason) {
    long now = nanoTime.getAsLong();
    long next = nextLogAt.get();
    if (now - next >= 0 && nextLogAt.compareAndSet(next, now + INTERVAL.toNanos())) {
      long skipped = notLogged.getAndSet(0);
      LOG.warning("malformed " + message + " request answered INVALID_ARGUMENT: " + reason
          + (skipped > 0 ? " (" + skipped + " more since the last report)" : ""));
    } else {
      notLogged.incrementAndGet();
    }
  }
}
