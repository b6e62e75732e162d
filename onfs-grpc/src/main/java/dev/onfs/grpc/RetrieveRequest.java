package dev.onfs.grpc;

import dev.onfs.core.OnfsException;
import dev.onfs.core.serving.RetrieveQuery;
import org.jspecify.annotations.Nullable;

/**
 * A {@code retrieve.Query} request as a server received it: the parsed query, or the reason its bytes
 * are not one. Parsing never fails the call by itself, so that a malformed request is answered with
 * INVALID_ARGUMENT and its message rather than gRPC's generic error for a request it cannot parse.
 */
final class RetrieveRequest {
  private final @Nullable RetrieveQuery query;
  private final @Nullable OnfsException error;

  RetrieveRequest(@Nullable RetrieveQuery query, @Nullable OnfsException error) {
    this.query = query;
    this.error = error;
  }

  /**
   * The query.
   *
   * @throws OnfsException INVALID_ARGUMENT when the request bytes were not a {@code retrieve.Query}
   */
  public RetrieveQuery query() {
    if (query == null) {
      OnfsException cause = java.util.Objects.requireNonNull(error);
      throw new OnfsException(cause.code(), cause.getMessage(), cause);
    }
    return query;
  }

  /** The query, or null when the request bytes were not a {@code retrieve.Query}. */
  public @Nullable RetrieveQuery parsedQuery() {
    return query;
  }
}
