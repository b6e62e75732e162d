package dev.onfs.grpc;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Maps between {@link OnfsException} and gRPC {@link Status}: the error's kind decides the code, the
 * message travels as the description, and the exact {@link ErrorCode} as the {@link #ERROR_CODE}
 * trailer, so that a client reports the code the embedded store would have thrown. Any other exception
 * is a bug and becomes INTERNAL.
 */
public final class GrpcStatuses {
  /**
   * The trailer naming the {@link ErrorCode} of a failed call ({@code onfs-error-code}); other gRPC
   * clients ignore it. Without it (an interceptor's refusal, a proxy, the reference server) the client
   * infers the code from the status.
   */
  public static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("onfs-error-code", Metadata.ASCII_STRING_MARSHALLER);

  private GrpcStatuses() {}

  /** The exception a server call fails with for {@code error}: its status, and its code as a trailer. */
  public static StatusRuntimeException toStatusException(Throwable error) {
    Status status = toStatus(error);
    if (unwrap(error) instanceof OnfsException onfs) {
      Metadata trailers = new Metadata();
      trailers.put(ERROR_CODE, onfs.code().name());
      return status.asRuntimeException(trailers);
    }
    return status.asRuntimeException();
  }

  /** The status a failed call reports for {@code error}. */
  public static Status toStatus(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof StatusRuntimeException) {
      return ((StatusRuntimeException) cause).getStatus();
    }
    if (cause instanceof StatusException) {
      return ((StatusException) cause).getStatus();
    }
    if (cause instanceof CancellationException) {
      return Status.CANCELLED.withDescription("call cancelled").withCause(cause);
    }
    if (cause instanceof OnfsException) {
      OnfsException onfs = (OnfsException) cause;
      return codeOf(onfs.code()).withDescription(onfs.getMessage()).withCause(onfs);
    }
    return Status.INTERNAL
        .withDescription("internal error: " + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage()))
        .withCause(cause);
  }

  /** The gRPC status for an error code. */
  public static Status codeOf(ErrorCode code) {
    if (code == ErrorCode.QUARANTINED_FEATURE_GROUP) {
      // The request is fine and retrying will not help until the registry is fixed.
      return Status.FAILED_PRECONDITION;
    }
    switch (code.kind()) {
      case INVALID_REQUEST:
        return Status.INVALID_ARGUMENT;
      case NOT_FOUND:
        return Status.NOT_FOUND;
      case UNAUTHENTICATED:
        return Status.UNAUTHENTICATED;
      case UNAVAILABLE:
        return code == ErrorCode.STORE_TIMEOUT ? Status.DEADLINE_EXCEEDED : Status.UNAVAILABLE;
      case RESOURCE_EXHAUSTED:
      case TOO_LARGE:
        return Status.RESOURCE_EXHAUSTED;
      case INTERNAL:
      default:
        return Status.INTERNAL;
    }
  }

  /** The exception a client reports for a failed call: an {@link OnfsException} with the closest code. */
  public static OnfsException toException(StatusRuntimeException error) {
    Status status = error.getStatus();
    String message = status.getDescription() == null ? status.getCode().name() : status.getDescription();
    ErrorCode sent = sentCode(error.getTrailers(), status);
    if (sent != null) {
      return new OnfsException(sent, status.getCode() + ": " + message, error);
    }
    ErrorCode code;
    switch (status.getCode()) {
      case INVALID_ARGUMENT:
        code = ErrorCode.INVALID_ARGUMENT;
        break;
      case NOT_FOUND:
        code = notFoundCode(message);
        break;
      case UNAUTHENTICATED:
      case PERMISSION_DENIED:
        code = ErrorCode.UNAUTHENTICATED;
        break;
      case UNAVAILABLE:
        code = ErrorCode.STORE_UNAVAILABLE;
        break;
      case DEADLINE_EXCEEDED:
        code = ErrorCode.STORE_TIMEOUT;
        break;
      case RESOURCE_EXHAUSTED:
        code = resourceExhaustedCode(message);
        break;
      case FAILED_PRECONDITION:
        code = ErrorCode.QUARANTINED_FEATURE_GROUP;
        break;
      default:
        code = ErrorCode.INTERNAL;
    }
    return new OnfsException(code, status.getCode() + ": " + message, error);
  }

  /** The code the server named, when it names one that fits the status (else the status decides). */
  private static @Nullable ErrorCode sentCode(@Nullable Metadata trailers, Status status) {
    String name = trailers == null ? null : trailers.get(ERROR_CODE);
    if (name == null) {
      return null;
    }
    for (ErrorCode code : ErrorCode.values()) {
      if (code.name().equals(name)) {
        return codeOf(code).getCode() == status.getCode() ? code : null;
      }
    }
    return null; // a code added to a newer server: infer one this version knows
  }

  // A request over a per-request limit or gRPC's message size fails again when retried; a busy server may not.
  private static ErrorCode resourceExhaustedCode(String message) {
    return message.contains(" per request") || message.contains("exceeds maximum size")
        ? ErrorCode.REQUEST_TOO_LARGE
        : ErrorCode.LIMIT_EXCEEDED;
  }

  // The kind is what callers act on; the code is a best guess from the server's message.
  private static ErrorCode notFoundCode(String message) {
    if (message.contains("feature group")) {
      return ErrorCode.UNKNOWN_FEATURE_GROUP;
    }
    if (message.contains("feature")) {
      return ErrorCode.UNKNOWN_FEATURE;
    }
    return ErrorCode.UNKNOWN_ENTITY;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
