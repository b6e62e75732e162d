package dev.onfs.grpc;

/**
 * Receives every refused call, so that a server can count them. The caller is a registered caller
 * id or {@link #UNKNOWN_CALLER}, never the raw header, so that a metric label stays bounded.
 */
@FunctionalInterface
public interface AuthEvents {
  /** The caller label of a call whose caller id names no registered reader or writer. */
  String UNKNOWN_CALLER = "unknown";

  /**
   * A call was refused.
   *
   * @param caller a registered caller id, or {@link #UNKNOWN_CALLER}
   * @param reason one of {@code missing-credentials}, {@code invalid-token}, {@code not-a-reader},
   *     {@code not-a-writer}, {@code scope-entities}, {@code scope-feature-groups}, {@code busy}
   */
  void denied(String caller, String reason);

  /** Counts nothing. */
  static AuthEvents disabled() {
    return (caller, reason) -> {};
  }
}
