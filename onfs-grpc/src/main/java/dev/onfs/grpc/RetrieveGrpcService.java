package dev.onfs.grpc;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.core.serving.RetrieveResult;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.retrieve.DecodedResult;
import dev.onfs.proto.retrieve.FeatureServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;

/** {@code retrieve.FeatureService}: binary and decoded retrieval over an {@link OnlineFeatureStore}. */
public final class RetrieveGrpcService implements io.grpc.BindableService {
  private final OnlineFeatureStore store;

  public RetrieveGrpcService(OnlineFeatureStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /**
   * The generated service's names and schema, except that requests are read straight into the core's
   * {@link dev.onfs.core.serving.RetrieveQuery} ({@link RetrieveQueryCodec}; a malformed request fails
   * with INVALID_ARGUMENT, one with more keys than the store's {@link OnlineFeatureStore#limits() limits}
   * allow with REQUEST_TOO_LARGE before its keys are read into memory) and {@code RetrieveFeatures} answers through {@link RetrieveResultCodec}: the
   * same bytes on the wire, without building the protobuf messages.
   */
  @Override
  public ServerServiceDefinition bindService() {
    MethodDescriptor.Marshaller<RetrieveRequest> requests = RetrieveQueryCodec.requestMarshaller(store.limits());
    MethodDescriptor<RetrieveRequest, RetrieveResult> retrieveFeatures = RetrieveMethods.serveRetrieveFeatures(requests);
    MethodDescriptor<RetrieveRequest, DecodedResult> retrieveDecoded = RetrieveMethods.serveRetrieveDecodedResult(requests);
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(FeatureServiceGrpc.SERVICE_NAME)
        .setSchemaDescriptor(FeatureServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
        .addMethod(retrieveFeatures)
        .addMethod(retrieveDecoded)
        .build();
    return ServerServiceDefinition.builder(descriptor)
        .addMethod(retrieveFeatures, ServerCalls.asyncUnaryCall(
            (RetrieveRequest request, StreamObserver<RetrieveResult> observer) ->
                UnaryCalls.run(observer, () -> store.retrieve(request.query()), Function.identity())))
        .addMethod(retrieveDecoded, ServerCalls.asyncUnaryCall(
            (RetrieveRequest request, StreamObserver<DecodedResult> observer) ->
                UnaryCalls.run(observer, () -> store.retrieveDecoded(request.query()), ProtoMapping::toProto)))
        .build();
  }
}
