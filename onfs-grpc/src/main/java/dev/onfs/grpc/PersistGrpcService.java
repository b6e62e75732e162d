package dev.onfs.grpc;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.serving.OnlineFeatureStore;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.persist.FeatureServiceGrpc;
import dev.onfs.proto.persist.Result;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/** {@code persist.FeatureService}: validated writes through an {@link OnlineFeatureStore}. */
public final class PersistGrpcService implements BindableService {
  private final OnlineFeatureStore store;

  public PersistGrpcService(OnlineFeatureStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /**
   * The generated service's names and schema, except that a request whose bytes are not a
   * {@code persist.Query} fails with INVALID_ARGUMENT ({@link PersistRequest}).
   */
  @Override
  public ServerServiceDefinition bindService() {
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(FeatureServiceGrpc.SERVICE_NAME)
        .setSchemaDescriptor(FeatureServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
        .addMethod(PersistRequest.SERVE_PERSIST_FEATURES)
        .build();
    return ServerServiceDefinition.builder(descriptor)
        .addMethod(PersistRequest.SERVE_PERSIST_FEATURES, ServerCalls.asyncUnaryCall(
            (PersistRequest request, StreamObserver<Result> observer) ->
                UnaryCalls.run(observer, () -> store.persist(ProtoMapping.toCore(request.query())), ProtoMapping::toProto)))
        .build();
  }
}
