package dev.onfs.grpc;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.OnlineFeatureStore;
import dev.onfs.proto.ProtoMapping;
import dev.onfs.proto.retrieve.DecodedResult;
import dev.onfs.proto.retrieve.FeatureServiceGrpc;
import dev.onfs.proto.retrieve.Query;
import dev.onfs.proto.retrieve.Result;
import io.grpc.stub.StreamObserver;

/** {@code retrieve.FeatureService}: binary and decoded retrieval over an {@link OnlineFeatureStore}. */
public final class RetrieveGrpcService extends FeatureServiceGrpc.FeatureServiceImplBase {
  private final OnlineFeatureStore store;

  public RetrieveGrpcService(OnlineFeatureStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  @Override
  public void retrieveFeatures(Query request, StreamObserver<Result> observer) {
    UnaryCalls.run(observer, () -> store.retrieve(ProtoMapping.toCore(request)), ProtoMapping::toProto);
  }

  @Override
  public void retrieveDecodedResult(Query request, StreamObserver<DecodedResult> observer) {
    UnaryCalls.run(observer, () -> store.retrieveDecoded(ProtoMapping.toCore(request)), ProtoMapping::toProto);
  }
}
