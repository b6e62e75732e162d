package dev.onfs.grpc;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.OnlineFeatureStore;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.retrieve.DecodedResult;
import dev.onfs.proto.retrieve.FeatureServiceGrpc;
import dev.onfs.proto.retrieve.Query;
import dev.onfs.proto.retrieve.Result;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;

/** {@code retrieve.FeatureService}: binary and decoded retrieval over an {@link OnlineFeatureStore}. */
public final class RetrieveGrpcService implements FeatureServiceGrpc.AsyncService, io.grpc.BindableService {
  private final OnlineFeatureStore store;

  public RetrieveGrpcService(OnlineFeatureStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  @Override
  public void retrieveFeatures(Query request, StreamObserver<Result> observer) {
    UnaryCalls.run(observer, () -> store.retrieve(ProtoMapping.toCore(request)), ProtoMapping::toProto);
  }

  /**
   * The generated binding, except that {@code RetrieveFeatures} answers through
   * {@link RetrieveResultCodec}: the same bytes on the wire, without building the protobuf message.
   */
  @Override
  public ServerServiceDefinition bindService() {
    ServerServiceDefinition generated = FeatureServiceGrpc.bindService(this);
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(FeatureServiceGrpc.SERVICE_NAME)
        .setSchemaDescriptor(generated.getServiceDescriptor().getSchemaDescriptor())
        .addMethod(RetrieveResultCodec.RETRIEVE_FEATURES)
        .addMethod(FeatureServiceGrpc.getRetrieveDecodedResultMethod())
        .build();
    return ServerServiceDefinition.builder(descriptor)
        .addMethod(RetrieveResultCodec.RETRIEVE_FEATURES, ServerCalls.asyncUnaryCall(
            (Query request, StreamObserver<dev.onfs.core.serving.RetrieveResult> observer) ->
                UnaryCalls.run(observer, () -> store.retrieve(ProtoMapping.toCore(request)), Function.identity())))
        .addMethod(generated.getMethod(FeatureServiceGrpc.getRetrieveDecodedResultMethod().getFullMethodName()))
        .build();
  }

  @Override
  public void retrieveDecodedResult(Query request, StreamObserver<DecodedResult> observer) {
    UnaryCalls.run(observer, () -> store.retrieveDecoded(ProtoMapping.toCore(request)), ProtoMapping::toProto);
  }
}
