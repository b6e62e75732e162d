package dev.onfs.testing;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Polls a readiness probe until it answers, the process dies, or a deadline passes. */
final class Waits {
  private static final long POLL_MILLIS = 50;

  /** A readiness probe; an exception counts as "not ready yet". */
  @FunctionalInterface
  interface Probe {
    boolean ready() throws Exception;
  }

  /** Why a server did not become ready. */
  static final class NotReadyException extends Exception {
    private static final long serialVersionUID = 1L;

    NotReadyException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }

    /** Never null: it is always built with one. */
    @Override
    public String getMessage() {
      return java.util.Objects.requireNonNull(super.getMessage());
    }
  }

  private Waits() {}

  /** Returns when {@code probe} says ready; throws when {@code process} exits or {@code timeout} passes. */
  static void until(String what, ChildProcess process, Duration timeout, Probe probe) throws NotReadyException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (true) {
      if (!process.isAlive()) {
        throw new NotReadyException("the process exited before " + what, last);
      }
      try {
        if (probe.ready()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new NotReadyException("no " + what + " within " + timeout.toSeconds() + " s"
            + (last == null ? "" : " (last probe error: " + last + ")"), last);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NotReadyException("interrupted while waiting for " + what, e);
      }
    }
  }
}
