package dev.onfs.core;

/**
 * Every error OnFS reports, each with the {@link ErrorKind} that decides retry and transport status.
 *
 * <p>A released constant is never renamed or reused. Add new codes at the end.
 */
public enum ErrorCode {
  INVALID_ARGUMENT(ErrorKind.INVALID_REQUEST),
  UNKNOWN_ENTITY(ErrorKind.NOT_FOUND),
  UNKNOWN_FEATURE_GROUP(ErrorKind.NOT_FOUND),
  UNKNOWN_FEATURE(ErrorKind.NOT_FOUND),
  SCHEMA_MISMATCH(ErrorKind.INVALID_REQUEST),
  INVALID_REGISTRY(ErrorKind.INVALID_REQUEST),
  UNAUTHENTICATED(ErrorKind.UNAUTHENTICATED),
  CORRUPT_BLOCK(ErrorKind.INTERNAL),
  STORE_UNAVAILABLE(ErrorKind.UNAVAILABLE),
  STORE_TIMEOUT(ErrorKind.UNAVAILABLE),
  STORE_REJECTED(ErrorKind.INTERNAL),
  REGISTRY_UNAVAILABLE(ErrorKind.UNAVAILABLE),
  /** A concurrency limit was hit: the server (or this caller's share of it) is busy. */
  LIMIT_EXCEEDED(ErrorKind.RESOURCE_EXHAUSTED),
  INTERNAL(ErrorKind.INTERNAL),
  /**
   * The request exceeds a per-request {@link dev.onfs.core.serving.Limits limit} (keys, feature groups,
   * features, cells).
   */
  REQUEST_TOO_LARGE(ErrorKind.TOO_LARGE),
  /**
   * The feature group (or its whole entity) is quarantined: its definition in the registry's source
   * is invalid, so it is left out until the definition is fixed (gRPC FAILED_PRECONDITION).
   */
  QUARANTINED_FEATURE_GROUP(ErrorKind.NOT_FOUND),
  /**
   * A persist naming only some features of a group kept losing the race to concurrent writes of the same
   * entities and gave up; retrying the persist later may succeed.
   */
  WRITE_CONFLICT(ErrorKind.UNAVAILABLE);

  private final ErrorKind kind;

  ErrorCode(ErrorKind kind) {
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }
}
