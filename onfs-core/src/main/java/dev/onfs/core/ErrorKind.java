package dev.onfs.core;

/** What a caller should do about an {@link OnfsException}; decides retry and the gRPC status. */
public enum ErrorKind {
  /** The request is wrong; retrying it unchanged fails again (gRPC INVALID_ARGUMENT). */
  INVALID_REQUEST,
  /** A named entity, feature group or feature does not exist (gRPC NOT_FOUND or INVALID_ARGUMENT). */
  NOT_FOUND,
  /** The caller is not allowed (gRPC UNAUTHENTICATED / PERMISSION_DENIED). */
  UNAUTHENTICATED,
  /** A backing service is down or slow; retrying later may succeed (gRPC UNAVAILABLE). */
  UNAVAILABLE,
  /** The server is at a concurrency limit; retrying later may succeed (gRPC RESOURCE_EXHAUSTED). */
  RESOURCE_EXHAUSTED,
  /**
   * The request is larger than a configured per-request limit allows; retrying it unchanged fails
   * again, smaller requests pass (gRPC RESOURCE_EXHAUSTED).
   */
  TOO_LARGE,
  /** Stored data or the server itself is broken (gRPC INTERNAL). */
  INTERNAL;

  /** True when the same call may succeed if retried later. */
  public boolean isTransient() {
    return this == UNAVAILABLE || this == RESOURCE_EXHAUSTED;
  }
}
