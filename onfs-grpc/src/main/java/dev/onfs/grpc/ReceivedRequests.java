package dev.onfs.grpc;

import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.proto.persist.Query;
import org.jspecify.annotations.Nullable;

/**
 * What a server interceptor may read of a request message of these services (for metrics and access
 * logs) without knowing how the services carry it: the parsed query, or null when the message is of
 * another service or its bytes were not a query (the service answers INVALID_ARGUMENT for those).
 */
public final class ReceivedRequests {
  private ReceivedRequests() {}

  /** The retrieve query of a {@code retrieve.FeatureService} request message, or null. */
  public static @Nullable RetrieveQuery retrieveQuery(Object message) {
    return message instanceof RetrieveRequest request ? request.parsedQuery() : null;
  }

  /** The {@code persist.Query} of a {@code persist.FeatureService} request message, or null. */
  public static @Nullable Query persistQuery(Object message) {
    return message instanceof PersistRequest request ? request.parsedQuery() : null;
  }
}
