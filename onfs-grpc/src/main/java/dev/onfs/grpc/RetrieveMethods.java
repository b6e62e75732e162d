package dev.onfs.grpc;

import dev.onfs.core.serving.RetrieveQuery;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.proto.retrieve.DecodedResult;
import dev.onfs.proto.retrieve.FeatureServiceGrpc;
import io.grpc.MethodDescriptor;

/**
 * The {@code retrieve.FeatureService} methods over the core's records instead of the generated messages:
 * same names, same bytes on the wire (see {@link RetrieveQueryCodec} and {@link RetrieveResultCodec}).
 */
public final class RetrieveMethods {
  /** {@code RetrieveFeatures} for clients: a {@link RetrieveQuery} in, a {@link RetrieveResult} out. */
  public static final MethodDescriptor<RetrieveQuery, RetrieveResult> RETRIEVE_FEATURES =
      FeatureServiceGrpc.getRetrieveFeaturesMethod()
          .toBuilder(RetrieveQueryCodec.MARSHALLER, RetrieveResultCodec.MARSHALLER)
          .build();

  /** {@code RetrieveDecodedResult} for clients: a {@link RetrieveQuery} in, the generated message out. */
  public static final MethodDescriptor<RetrieveQuery, DecodedResult> RETRIEVE_DECODED_RESULT =
      FeatureServiceGrpc.getRetrieveDecodedResultMethod()
          .toBuilder(RetrieveQueryCodec.MARSHALLER,
              FeatureServiceGrpc.getRetrieveDecodedResultMethod().getResponseMarshaller())
          .build();

  /** {@code RetrieveFeatures} as servers bind it, reading requests with {@code requests}. */
  static MethodDescriptor<RetrieveRequest, RetrieveResult> serveRetrieveFeatures(
      MethodDescriptor.Marshaller<RetrieveRequest> requests) {
    return FeatureServiceGrpc.getRetrieveFeaturesMethod()
        .toBuilder(requests, RetrieveResultCodec.MARSHALLER)
        .build();
  }

  /** {@code RetrieveDecodedResult} as servers bind it, reading requests with {@code requests}. */
  static MethodDescriptor<RetrieveRequest, DecodedResult> serveRetrieveDecodedResult(
      MethodDescriptor.Marshaller<RetrieveRequest> requests) {
    return FeatureServiceGrpc.getRetrieveDecodedResultMethod()
        .toBuilder(requests, FeatureServiceGrpc.getRetrieveDecodedResultMethod().getResponseMarshaller())
        .build();
  }

  private RetrieveMethods() {}
}
