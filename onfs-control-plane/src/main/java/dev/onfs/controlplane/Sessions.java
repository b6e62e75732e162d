package dev.onfs.controlplane;

import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.controlplane.audit.AuditAction;
import dev.onfs.controlplane.audit.AuditEntry;
import dev.onfs.controlplane.storage.ControlPlaneStore;
import dev.onfs.controlplane.storage.Versioned;
import dev.onfs.controlplane.users.Principal;
import dev.onfs.controlplane.users.SessionRecord;
import dev.onfs.controlplane.users.User;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Server-side sessions. A session token is 256 random bits; it is stored under its HMAC-SHA256 with
 * the configured secret, so the store never holds a usable token and nobody without the secret can
 * derive a session key. Every operation looks its session up and then its user: a deactivated user,
 * or one whose password, role or activation changed since login (a new epoch), has no session any
 * more, at once.
 */
final class Sessions {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ControlPlaneStore store;
  private final SecretKeySpec secret;
  private final Duration ttl;
  private final Clock clock;

  Sessions(ControlPlaneStore store, byte[] secret, Duration ttl, Clock clock) {
    this.store = store;
    this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.ttl = ttl;
    this.clock = clock;
  }

  Session create(User user, @Nullable String remoteAddress) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    store.putSession(key(token), new SessionRecord(user.name(), user.epoch(), now, expires, remoteAddress),
        AuditEntry.of(now, user.name(), AuditAction.LOGIN, "user " + user.name(), "role " + user.role().text(),
            remoteAddress));
    return new Session(token, user.name(), user.role(), expires);
  }

  /** The caller of a session, with the role the user has now; UNAUTHENTICATED when it is no session. */
  Principal resolve(@Nullable String token) {
    if (token == null || token.isEmpty()) {
      throw unauthenticated("no session token");
    }
    String key = key(token);
    SessionRecord session = store.session(key);
    if (session == null) {
      throw unauthenticated("unknown or ended session");
    }
    if (!session.expiresAt().isAfter(clock.instant())) {
      store.deleteSession(key, null);
      throw unauthenticated("the session expired");
    }
    Versioned<User> user = store.user(session.user());
    if (user == null || !user.value().active() || user.value().epoch() != session.epoch()) {
      store.deleteSession(key, null);
      throw unauthenticated("the session ended: the user was deactivated or changed since login");
    }
    return new Principal(user.value().name(), user.value().role());
  }

  void end(String token, @Nullable String remoteAddress) {
    Principal principal = resolve(token);
    store.deleteSession(key(token), AuditEntry.of(clock.instant(), principal.name(), AuditAction.LOGOUT,
        "user " + principal.name(), "", remoteAddress));
  }

  private String key(String token) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(secret);
      return HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static ControlPlaneException unauthenticated(String why) {
    return new ControlPlaneException(Reason.UNAUTHENTICATED, null, "not logged in: " + why);
  }
}
