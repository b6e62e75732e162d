package dev.onfs.grpc;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.Caller;
import dev.onfs.core.serving.RetrieveQuery;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates and authorizes every call. The caller id and token headers are checked with the
 * reference's status codes and messages: no application metadata at all gives INVALID_ARGUMENT
 * "mandatory metadata are missing"; a missing header gives INVALID_ARGUMENT "&lt;header&gt; header is
 * missing"; an unknown caller or a wrong token gives UNAUTHENTICATED "Invalid auth token". Then,
 * unlike the reference, the role and scopes count ({@link CallerAuthenticator}): {@code persist}
 * needs a writer, {@code retrieve} a reader, and a caller with scopes may only name the entities and
 * feature groups they list; otherwise PERMISSION_DENIED with a message naming what is missing.
 *
 * <p>Header names are matched case-insensitively: gRPC lower-cases metadata keys, so callers that
 * spell them in upper case (the reference's Go and Python SDKs) are accepted whenever their
 * transport lets the call through. Services listed in {@code openServices} (health, reflection)
 * need no credentials.
 */
public final class CallerAuthInterceptor implements ServerInterceptor {
  /** Transport headers that are not application metadata. */
  private static final Set<String> TRANSPORT_HEADERS =
      Set.of("user-agent", "content-type", "te", "accept-encoding");

  /** gRPC services that write; every other guarded service reads. */
  private static final Map<String, CallerAuthenticator.Access> ACCESS_BY_SERVICE =
      Map.of(dev.onfs.proto.persist.FeatureServiceGrpc.SERVICE_NAME, CallerAuthenticator.Access.WRITE);

  private final CallerAuthenticator authenticator;
  private final Set<String> openServices;
  private final AuthEvents events;
  private final boolean certificateIdentity;

  public CallerAuthInterceptor(CallerAuthenticator authenticator, Set<String> openServices, AuthEvents events) {
    this(authenticator, openServices, events, false);
  }

  /**
   * @param certificateIdentity whether a call without a token may be authenticated by its verified
   *     client certificate's subject CN; the CN's role and scopes then count as a token's would
   */
  public CallerAuthInterceptor(CallerAuthenticator authenticator, Set<String> openServices, AuthEvents events,
      boolean certificateIdentity) {
    this.authenticator = requireNonNull(authenticator, "authenticator is null");
    this.openServices = Set.copyOf(requireNonNull(openServices, "openServices is null"));
    this.events = requireNonNull(events, "events is null");
    this.certificateIdentity = certificateIdentity;
  }

  /** Guards every service except gRPC health and reflection; only writers persist; counts nothing. */
  public static CallerAuthInterceptor create(CallerTokens tokens) {
    return create(tokens, false, AuthEvents.disabled());
  }

  /**
   * Guards every service except gRPC health and reflection.
   *
   * @param readersMayPersist let registered readers persist too, as the reference does
   * @param events told about every refused call
   */
  public static CallerAuthInterceptor create(CallerTokens tokens, boolean readersMayPersist, AuthEvents events) {
    return create(tokens, readersMayPersist, events, false);
  }

  /**
   * As {@link #create(CallerTokens, boolean, AuthEvents)}, optionally authenticating calls that carry no
   * token by their verified client certificate's subject CN.
   */
  public static CallerAuthInterceptor create(CallerTokens tokens, boolean readersMayPersist, AuthEvents events,
      boolean certificateIdentity) {
    return new CallerAuthInterceptor(
        new CallerAuthenticator(tokens, readersMayPersist),
        Set.of(
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection"),
        events,
        certificateIdentity);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String service = call.getMethodDescriptor().getServiceName();
    if (openServices.contains(service)) {
      return next.startCall(call, headers);
    }
    String callerId = headers.get(OnfsHeaders.CALLER_ID_KEY);
    String token = headers.get(OnfsHeaders.AUTH_TOKEN_KEY);
    CallerAuthenticator.Access access = ACCESS_BY_SERVICE.getOrDefault(service, CallerAuthenticator.Access.READ);
    String certified = token == null && certificateIdentity ? ClientCertificates.subjectCommonName(call) : null;
    if (certified != null) {
      if (callerId != null && !callerId.equals(certified)) {
        events.denied(AuthEvents.UNKNOWN_CALLER, "certificate-mismatch");
        return refuse(call, Status.UNAUTHENTICATED.withDescription(OnfsHeaders.CALLER_ID + " '" + callerId
            + "' is not the client certificate's subject CN '" + certified + "'"));
      }
      return granted(call, headers, next, certified, authenticator.authenticateCertified(certified, access), access);
    }
    Status missing = null;
    if (callerId == null && token == null && !hasApplicationMetadata(headers)) {
      missing = Status.INVALID_ARGUMENT.withDescription("mandatory metadata are missing");
    } else if (callerId == null) {
      missing = Status.INVALID_ARGUMENT.withDescription(OnfsHeaders.CALLER_ID + " header is missing");
    } else if (token == null) {
      missing = Status.INVALID_ARGUMENT.withDescription(OnfsHeaders.AUTH_TOKEN + " header is missing");
    }
    if (missing != null) {
      events.denied(AuthEvents.UNKNOWN_CALLER, "missing-credentials");
      return refuse(call, missing);
    }
    return granted(call, headers, next, callerId, authenticator.authenticate(callerId, token, access), access);
  }

  /** Refuses the call unless {@code decision} grants it; a granted caller with scopes is checked per message. */
  private <Q, R> ServerCall.Listener<Q> granted(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next,
      String callerId, CallerAuthenticator.Decision decision, CallerAuthenticator.Access access) {
    if (!decision.granted()) {
      events.denied(decision.label(), decision.reason());
      return refuse(call, statusOf(decision));
    }
    Context context = Context.current().withValue(OnfsHeaders.CALLER, callerId);
    ServerCall.Listener<Q> listener = Contexts.interceptCall(context, call, headers, next);
    Caller caller = requireNonNull(decision.caller());
    return caller.scopes().isAll() ? listener : new ScopedListener<>(listener, call, caller, access);
  }

  private static Status statusOf(CallerAuthenticator.Decision decision) {
    switch (decision.outcome()) {
      case PERMISSION_DENIED:
        return Status.PERMISSION_DENIED.withDescription(decision.message());
      case BUSY:
        return Status.UNAVAILABLE.withDescription(decision.message());
      case UNAUTHENTICATED:
      default:
        return Status.UNAUTHENTICATED.withDescription(decision.message());
    }
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /**
   * Checks the request against the caller's scopes before the service sees it; a refused request
   * never reaches the service.
   */
  private final class ScopedListener<Q, R> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    private final ServerCall<Q, R> call;
    private final Caller caller;
    private final CallerAuthenticator.Access access;
    private boolean refused;

    ScopedListener(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, Caller caller,
        CallerAuthenticator.Access access) {
      super(delegate);
      this.call = call;
      this.caller = caller;
      this.access = access;
    }

    @Override
    public void onMessage(Q message) {
      if (refused) {
        return;
      }
      CallerAuthenticator.Decision denial = check(message);
      if (denial != null) {
        refused = true;
        events.denied(denial.label(), denial.reason());
        call.close(statusOf(denial), new Metadata());
        return;
      }
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        super.onHalfClose();
      }
    }

    private CallerAuthenticator.@Nullable Decision check(Q message) {
      String entity;
      List<String> groups = new ArrayList<>(4);
      if (message instanceof RetrieveRequest request) {
        RetrieveQuery query = request.parsedQuery();
        if (query == null) {
          return null; // malformed: the service answers INVALID_ARGUMENT without reading anything
        }
        entity = query.entityLabel();
        query.featureGroups().forEach(g -> groups.add(g.label()));
      } else if (message instanceof PersistRequest request) {
        dev.onfs.proto.persist.Query query = request.parsedQuery();
        if (query == null) {
          return null; // malformed: the service answers INVALID_ARGUMENT without writing anything
        }
        entity = query.getEntityLabel();
        query.getFeatureGroupSchemaList().forEach(g -> groups.add(g.getLabel()));
      } else if (message instanceof dev.onfs.proto.persist.Query query) {
        entity = query.getEntityLabel();
        query.getFeatureGroupSchemaList().forEach(g -> groups.add(g.getLabel()));
      } else if (message instanceof dev.onfs.proto.retrieve.Query query) {
        entity = query.getEntityLabel();
        query.getFeatureGroupsList().forEach(g -> groups.add(g.getLabel()));
      } else {
        // A request this interceptor cannot read is refused rather than let past the scopes.
        return new CallerAuthenticator.Decision(CallerAuthenticator.Outcome.PERMISSION_DENIED, caller, caller.id(),
            "scope-entities", "caller '" + caller.id() + "' has scopes, which "
                + call.getMethodDescriptor().getFullMethodName() + " cannot check");
      }
      return authenticator.checkScopes(caller, access, entity, groups);
    }
  }

  private static boolean hasApplicationMetadata(Metadata headers) {
    for (String key : headers.keys()) {
      if (!key.startsWith("grpc-") && !key.startsWith(":") && !TRANSPORT_HEADERS.contains(key)) {
        return true;
      }
    }
    return false;
  }
}
