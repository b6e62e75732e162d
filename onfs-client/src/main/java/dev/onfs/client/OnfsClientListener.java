package dev.onfs.client;

/**
 * Receives one event per RPC attempt, for client metrics. Implementations must be thread-safe and
 * fast; every method defaults to doing nothing.
 */
public interface OnfsClientListener {
  /**
   * An RPC attempt finished.
   *
   * @param method full gRPC method name, e.g. {@code retrieve.FeatureService/RetrieveFeatures}
   * @param statusCode gRPC status code name, {@code OK} on success
   * @param keys key rows (reads) or data rows (writes) the attempt carried
   * @param nanos wall time of the attempt
   */
  default void onCall(String method, String statusCode, int keys, long nanos) {}

  /** An attempt failed with {@code statusCode} and attempt number {@code attempt} (from 1) will follow. */
  default void onRetry(String method, String statusCode, int attempt) {}

  /** A listener that ignores every event. */
  static OnfsClientListener none() {
    return NoListener.INSTANCE;
  }
}

final class NoListener implements OnfsClientListener {
  static final NoListener INSTANCE = new NoListener();

  private NoListener() {}
}
