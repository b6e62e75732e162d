package dev.onfs.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** Runs one unary call on the core's async API: errors become statuses, cancellation stops the work. */
final class UnaryCalls {
  private UnaryCalls() {}

  static <C, P> void run(StreamObserver<P> observer, Supplier<CompletableFuture<C>> work, Function<C, P> toProto) {
    ServerCallStreamObserver<P> call = (ServerCallStreamObserver<P>) observer;
    CompletableFuture<C> future;
    try {
      future = work.get();
    } catch (RuntimeException | Error e) {
      // Mapping or validation failed before any work started.
      call.onError(GrpcStatuses.toStatus(e).asRuntimeException());
      return;
    }
    // A deadline expiry or client cancel cancels the call: stop the work instead of finishing it.
    call.setOnCancelHandler(() -> future.cancel(false));
    future.whenComplete((result, error) -> {
      if (call.isCancelled()) {
        return;
      }
      if (error != null) {
        call.onError(GrpcStatuses.toStatus(error).asRuntimeException());
        return;
      }
      P response;
      try {
        response = toProto.apply(result);
      } catch (RuntimeException e) {
        call.onError(GrpcStatuses.toStatus(e).asRuntimeException());
        return;
      }
      call.onNext(response);
      call.onCompleted();
    });
  }
}
