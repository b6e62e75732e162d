package dev.onfs.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one unary call on the gRPC executor thread that delivered it: errors become statuses, and a
 * call whose deadline expired (or that the client cancelled) is neither started nor answered.
 *
 * <p>The core is called synchronously rather than through its async API: on a small machine every
 * thread hand-off costs a scheduling delay, and the async variant would add one per call without
 * doing the work any sooner.
 */
final class UnaryCalls {
  private UnaryCalls() {}

  static <C, P> void run(StreamObserver<P> observer, Supplier<C> work, Function<C, P> toProto) {
    ServerCallStreamObserver<P> call = (ServerCallStreamObserver<P>) observer;
    // Set a handler so that answering a call cancelled meanwhile is a no-op instead of an error.
    call.setOnCancelHandler(() -> {});
    if (call.isCancelled()) {
      return;
    }
    P response;
    try {
      response = toProto.apply(work.get());
    } catch (RuntimeException | Error e) {
      if (!call.isCancelled()) {
        call.onError(GrpcStatuses.toStatusException(e));
      }
      return;
    }
    if (!call.isCancelled()) {
      call.onNext(response);
      call.onCompleted();
    }
  }
}
