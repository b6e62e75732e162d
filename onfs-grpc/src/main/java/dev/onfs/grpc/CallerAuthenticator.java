package dev.onfs.grpc;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.Caller;
import org.jspecify.annotations.Nullable;

/**
 * Decides who a caller is and whether it may do what it asks, independently of the transport:
 * retrieval needs a registered reader, persistence a registered writer (the id is the writer's job
 * id). A writer may not read unless the same id is also registered, with its token, as a reader.
 *
 * <p>The reference authenticates every call against the readers only, so its writers must also be
 * readers; {@code readersMayPersist} keeps that behaviour for deployments that rely on it. Outcomes:
 * unknown caller or wrong token is {@link Outcome#UNAUTHENTICATED}; a valid token of the other role,
 * or a request outside the caller's scopes, is {@link Outcome#PERMISSION_DENIED}.
 */
public final class CallerAuthenticator {
  /** What a call does. */
  public enum Access {
    READ("read", "reader"),
    WRITE("write", "writer");

    private final String verb;
    private final String role;

    Access(String verb, String role) {
      this.verb = verb;
      this.role = role;
    }
  }

  /** The kind of decision. */
  public enum Outcome { GRANTED, UNAUTHENTICATED, PERMISSION_DENIED, BUSY }

  /**
   * A decision.
   *
   * @param outcome granted or why not
   * @param caller the registered caller the call runs as, when granted
   * @param label the caller id when it is registered (as reader or writer), else {@link AuthEvents#UNKNOWN_CALLER}
   * @param reason a short machine-readable reason when refused (see {@link AuthEvents#denied})
   * @param message the message to send back when refused
   */
  public record Decision(Outcome outcome, @Nullable Caller caller, String label, String reason, String message) {
    public boolean granted() {
      return outcome == Outcome.GRANTED;
    }
  }

  /** The reference's message for an unknown caller or a wrong token. */
  public static final String INVALID_TOKEN = "Invalid auth token";

  private final CallerTokens callers;
  private final boolean readersMayPersist;
  private final TokenVerifier verifier;

  /**
   * @param callers the registered readers and writers (read live)
   * @param readersMayPersist let a registered reader persist too, as the reference does
   */
  public CallerAuthenticator(CallerTokens callers, boolean readersMayPersist) {
    this.callers = requireNonNull(callers, "callers is null");
    this.readersMayPersist = readersMayPersist;
    this.verifier = new TokenVerifier(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
  }

  /** Authenticates {@code callerId} with {@code token} for {@code access}. */
  public Decision authenticate(String callerId, String token, Access access) {
    requireNonNull(callerId, "callerId is null");
    requireNonNull(token, "token is null");
    requireNonNull(access, "access is null");
    Caller reader = callers.reader(callerId);
    Caller writer = callers.writer(callerId);
    String label = reader != null || writer != null ? callerId : AuthEvents.UNKNOWN_CALLER;
    try {
      Caller primary = access == Access.READ ? reader : writer;
      if (primary != null && verifier.verify(primary, access == Access.WRITE, token)) {
        return new Decision(Outcome.GRANTED, primary, label, "", "");
      }
      if (access == Access.WRITE && readersMayPersist && reader != null && verifier.verify(reader, false, token)) {
        return new Decision(Outcome.GRANTED, reader, label, "", "");
      }
      Caller other = access == Access.READ ? writer : reader;
      if (other != null && verifier.verify(other, access == Access.READ, token)) {
        Access needed = access;
        return new Decision(Outcome.PERMISSION_DENIED, null, label, "not-a-" + needed.role,
            "caller '" + callerId + "' is not a registered " + needed.role + "; " + (access == Access.READ
                ? "retrieval needs a reader's id and token (security readers)"
                : "persisting needs a writer's id and token (security writers)"));
      }
    } catch (TokenVerifier.BusyException e) {
      return new Decision(Outcome.BUSY, null, label, "busy", e.getMessage());
    }
    return new Decision(Outcome.UNAUTHENTICATED, null, label, "invalid-token", INVALID_TOKEN);
  }

  /**
   * Authorizes {@code callerId} whose identity a verified client certificate proved: the role counts as
   * with a token, and no token is checked.
   */
  public Decision authenticateCertified(String callerId, Access access) {
    requireNonNull(callerId, "callerId is null");
    requireNonNull(access, "access is null");
    Caller reader = callers.reader(callerId);
    Caller writer = callers.writer(callerId);
    Caller primary = access == Access.READ ? reader : writer;
    if (primary != null) {
      return new Decision(Outcome.GRANTED, primary, callerId, "", "");
    }
    if (access == Access.WRITE && readersMayPersist && reader != null) {
      return new Decision(Outcome.GRANTED, reader, callerId, "", "");
    }
    if (reader != null || writer != null) {
      return new Decision(Outcome.PERMISSION_DENIED, null, callerId, "not-a-" + access.role,
          "caller '" + callerId + "' (client certificate) is not a registered " + access.role);
    }
    return new Decision(Outcome.UNAUTHENTICATED, null, AuthEvents.UNKNOWN_CALLER, "unknown-certificate",
        "client certificate subject CN '" + callerId + "' is not a registered caller");
  }

  /**
   * Checks a granted caller's scopes against one request: its entity and the feature groups it
   * names.
   *
   * @return null when allowed, else a PERMISSION_DENIED decision naming the missing scope
   */
  public @Nullable Decision checkScopes(Caller caller, Access access, String entity, Iterable<String> featureGroups) {
    if (caller.scopes().isAll()) {
      return null;
    }
    String scope = caller.scopes().deniesEntity(entity);
    if (scope != null) {
      return new Decision(Outcome.PERMISSION_DENIED, caller, caller.id(), "scope-" + scope,
          "caller '" + caller.id() + "' may not " + access.verb + " entity '" + entity + "' (scope " + scope + ")");
    }
    for (String group : featureGroups) {
      scope = caller.scopes().denies(entity, group);
      if (scope != null) {
        return new Decision(Outcome.PERMISSION_DENIED, caller, caller.id(), "scope-" + scope,
            "caller '" + caller.id() + "' may not " + access.verb + " feature group '" + group + "' of entity '"
                + entity + "' (scope " + scope + ")");
      }
    }
    return null;
  }
}
