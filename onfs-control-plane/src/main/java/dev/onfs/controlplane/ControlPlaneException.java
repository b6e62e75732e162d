package dev.onfs.controlplane;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import org.jspecify.annotations.Nullable;

/**
 * Why the control plane refused an operation. {@link #reason()} tells a transport which status to
 * answer with; {@link #field()} names the offending input field when there is one (for example
 * {@code features[1].default-value}), so a form can point at it. Nothing is stored or published
 * when this is thrown.
 */
public final class ControlPlaneException extends OnfsException {
  private static final long serialVersionUID = 1L;

  /** The kind of refusal. */
  public enum Reason {
    /** An input is malformed or violates a rule; {@link #field()} names it. */
    INVALID(ErrorCode.INVALID_ARGUMENT),
    /** A request, user, entity, feature group, feature or store named by the input does not exist. */
    NOT_FOUND(ErrorCode.INVALID_ARGUMENT),
    /** What the input would create exists already. */
    ALREADY_EXISTS(ErrorCode.INVALID_ARGUMENT),
    /** The request would change nothing. */
    NO_CHANGE(ErrorCode.INVALID_ARGUMENT),
    /** The change would alter a published version; the message names the change and what to do instead. */
    BREAKING_CHANGE(ErrorCode.SCHEMA_MISMATCH),
    /** What the request targets changed after it was submitted; submit it again against the new state. */
    STALE(ErrorCode.INVALID_ARGUMENT),
    /** Another operation changed the same request or registry part at the same time; this one lost. */
    CONFLICT(ErrorCode.INVALID_ARGUMENT),
    /** The request is not in a state that allows the operation (e.g. approving an approved request). */
    INVALID_STATE(ErrorCode.INVALID_ARGUMENT),
    /** The caller is known but its role does not allow the operation. */
    FORBIDDEN(ErrorCode.UNAUTHENTICATED),
    /** No valid session, or wrong credentials. */
    UNAUTHENTICATED(ErrorCode.UNAUTHENTICATED),
    /** Too many failed logins for this user or address; try again later. */
    RATE_LIMITED(ErrorCode.LIMIT_EXCEEDED),
    /** etcd, the state directory or a store's schema could not be reached; retrying may work. */
    UNAVAILABLE(ErrorCode.REGISTRY_UNAVAILABLE);

    private final ErrorCode code;

    Reason(ErrorCode code) {
      this.code = code;
    }
  }

  private final Reason reason;
  private final @Nullable String field;

  public ControlPlaneException(Reason reason, @Nullable String field, String message) {
    super(requireNonNull(reason, "reason is null").code, message);
    this.reason = reason;
    this.field = field;
  }

  public ControlPlaneException(Reason reason, @Nullable String field, String message, Throwable cause) {
    super(requireNonNull(reason, "reason is null").code, message, cause);
    this.reason = reason;
    this.field = field;
  }

  /** An invalid input field. */
  public static ControlPlaneException invalid(@Nullable String field, String message) {
    return new ControlPlaneException(Reason.INVALID, field, message);
  }

  public Reason reason() {
    return reason;
  }

  /** The input field at fault, in the kebab-case of the request payload, or null. */
  public @Nullable String field() {
    return field;
  }
}
