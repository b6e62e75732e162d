package dev.onfs.grpc;

import static java.util.Objects.requireNonNull;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the caller id and token of every call against the registered readers, with the reference's
 * status codes and messages: no application metadata at all gives INVALID_ARGUMENT "mandatory
 * metadata are missing"; a missing header gives INVALID_ARGUMENT "&lt;header&gt; header is missing";
 * an unknown caller or a wrong token gives UNAUTHENTICATED "Invalid auth token".
 *
 * <p>Header names are matched case-insensitively: gRPC lower-cases metadata keys, so callers that
 * spell them in upper case (the reference's Go and Python SDKs) are accepted whenever their
 * transport lets the call through. Services listed in {@code openServices} (health, reflection)
 * need no credentials.
 *
 * <p>With certificate identity on (mutual TLS), a call that sends no token is authenticated by the
 * client certificate the TLS handshake verified: its subject CN is the caller id and must name a
 * registered caller; a caller id header, if sent, must be the same id.
 */
public final class CallerAuthInterceptor implements ServerInterceptor {
  /** Transport headers that are not application metadata. */
  private static final Set<String> TRANSPORT_HEADERS =
      Set.of("user-agent", "content-type", "te", "accept-encoding");

  private final CallerTokens tokens;
  private final Set<String> openServices;
  private final boolean certificateIdentity;

  public CallerAuthInterceptor(CallerTokens tokens, Set<String> openServices) {
    this(tokens, openServices, false);
  }

  /**
   * @param certificateIdentity whether a call without a token may be authenticated by its verified
   *     client certificate's subject CN
   */
  public CallerAuthInterceptor(CallerTokens tokens, Set<String> openServices, boolean certificateIdentity) {
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.openServices = Set.copyOf(requireNonNull(openServices, "openServices is null"));
    this.certificateIdentity = certificateIdentity;
  }

  /** Guards every service except gRPC health and reflection. */
  public static CallerAuthInterceptor create(CallerTokens tokens) {
    return create(tokens, false);
  }

  /** Guards every service except gRPC health and reflection, optionally accepting client certificates. */
  public static CallerAuthInterceptor create(CallerTokens tokens, boolean certificateIdentity) {
    return new CallerAuthInterceptor(
        tokens,
        Set.of(
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection"),
        certificateIdentity);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (openServices.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    Status denied = null;
    String callerId = headers.get(OnfsHeaders.CALLER_ID_KEY);
    String token = headers.get(OnfsHeaders.AUTH_TOKEN_KEY);
    String certified = token == null && certificateIdentity ? ClientCertificates.subjectCommonName(call) : null;
    if (certified != null) {
      if (callerId != null && !callerId.equals(certified)) {
        denied = Status.UNAUTHENTICATED.withDescription(OnfsHeaders.CALLER_ID + " '" + callerId
            + "' is not the client certificate's subject CN '" + certified + "'");
      } else if (lookup(certified).isEmpty()) {
        denied = Status.UNAUTHENTICATED.withDescription(
            "client certificate subject CN '" + certified + "' is not a registered caller");
      }
      callerId = certified;
    } else if (callerId == null && token == null && !hasApplicationMetadata(headers)) {
      denied = Status.INVALID_ARGUMENT.withDescription("mandatory metadata are missing");
    } else if (callerId == null) {
      denied = Status.INVALID_ARGUMENT.withDescription(OnfsHeaders.CALLER_ID + " header is missing");
    } else if (token == null) {
      denied = Status.INVALID_ARGUMENT.withDescription(OnfsHeaders.AUTH_TOKEN + " header is missing");
    } else {
      Optional<String> registered = lookup(callerId);
      if (registered.isEmpty() || !constantTimeEquals(registered.get(), token)) {
        denied = Status.UNAUTHENTICATED.withDescription("Invalid auth token");
      }
    }
    if (denied != null) {
      call.close(denied, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(OnfsHeaders.CALLER, callerId);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private Optional<String> lookup(String callerId) {
    Optional<String> token = tokens.tokenOf(callerId);
    return token == null ? Optional.empty() : token;
  }

  private static boolean hasApplicationMetadata(Metadata headers) {
    for (String key : headers.keys()) {
      if (!key.startsWith("grpc-") && !key.startsWith(":") && !TRANSPORT_HEADERS.contains(key)) {
        return true;
      }
    }
    return false;
  }

  // Tokens are secrets: compare without an early exit.
  private static boolean constantTimeEquals(String a, String b) {
    return java.security.MessageDigest.isEqual(
        a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
