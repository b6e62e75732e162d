package dev.onfs.grpc;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.OnlineFeatureStore;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.persist.FeatureServiceGrpc;
import dev.onfs.proto.persist.Query;
import dev.onfs.proto.persist.Result;
import io.grpc.stub.StreamObserver;

/** {@code persist.FeatureService}: validated writes through an {@link OnlineFeatureStore}. */
public final class PersistGrpcService extends FeatureServiceGrpc.FeatureServiceImplBase {
  private final OnlineFeatureStore store;

  public PersistGrpcService(OnlineFeatureStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  @Override
  public void persistFeatures(Query request, StreamObserver<Result> observer) {
    UnaryCalls.run(observer, () -> store.persist(ProtoMapping.toCore(request)), ProtoMapping::toProto);
  }
}
