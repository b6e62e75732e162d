package dev.onfs.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.proto.persist.FeatureServiceGrpc;
import dev.onfs.proto.persist.Query;
import dev.onfs.proto.persist.Result;
import io.grpc.MethodDescriptor;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * A {@code persist.Query} request as a server received it: the parsed message, or the reason its bytes
 * are not one. Parsing never fails the call by itself: gRPC answers a request its marshaller cannot
 * parse with UNKNOWN and logs a stack trace, where a malformed request deserves INVALID_ARGUMENT and
 * its reason.
 */
final class PersistRequest {
  /** {@code PersistFeatures} as servers bind it. */
  static final MethodDescriptor<PersistRequest, Result> SERVE_PERSIST_FEATURES =
      FeatureServiceGrpc.getPersistFeaturesMethod()
          .toBuilder(new Marshaller(), FeatureServiceGrpc.getPersistFeaturesMethod().getResponseMarshaller())
          .build();

  private final @Nullable Query query;
  private final @Nullable String error;

  private PersistRequest(@Nullable Query query, @Nullable String error) {
    this.query = query;
    this.error = error;
  }

  /**
   * The query.
   *
   * @throws OnfsException INVALID_ARGUMENT when the request bytes were not a {@code persist.Query}
   */
  public Query query() {
    if (query == null) {
      throw new OnfsException(ErrorCode.INVALID_ARGUMENT, java.util.Objects.requireNonNull(error));
    }
    return query;
  }

  /** The query, or null when the request bytes were not a {@code persist.Query}. */
  public @Nullable Query parsedQuery() {
    return query;
  }

  private static final class Marshaller implements MethodDescriptor.Marshaller<PersistRequest> {
    @Override
    public InputStream stream(PersistRequest value) {
      return value.query().toByteString().newInput();
    }

    @Override
    public PersistRequest parse(InputStream stream) {
      byte[] wire = RetrieveQueryCodec.readAll(stream);
      try {
        return new PersistRequest(Query.parseFrom(wire), null);
      } catch (InvalidProtocolBufferException e) {
        String reason = "invalid persist.Query: " + e.getMessage();
        MalformedRequests.PERSIST.report(reason);
        return new PersistRequest(null, reason);
      }
    }
  }
}
