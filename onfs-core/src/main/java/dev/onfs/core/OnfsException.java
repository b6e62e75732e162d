package dev.onfs.core;

import static java.util.Objects.requireNonNull;

/** The one unchecked exception OnFS throws; its {@link ErrorCode} tells the caller what to do. */
public class OnfsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public OnfsException(ErrorCode code, String message) {
    super(requireNonNull(message, "message is null"));
    this.code = requireNonNull(code, "code is null");
  }

  public OnfsException(ErrorCode code, String message, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.code = requireNonNull(code, "code is null");
  }

  /** Never null: both constructors require a message. */
  @Override
  public String getMessage() {
    return requireNonNull(super.getMessage());
  }

  public ErrorCode code() {
    return code;
  }

  public ErrorKind kind() {
    return code.kind();
  }

  /** True when retrying the same call later may succeed. */
  public boolean isTransient() {
    return code.kind().isTransient();
  }
}
