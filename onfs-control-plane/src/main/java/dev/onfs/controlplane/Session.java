package dev.onfs.controlplane;

import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.users.Role;
import java.time.Instant;

/**
 * A login: the session token to present with every operation, and whom it belongs to. {@link
 * #toString()} does not show the token.
 *
 * @param token the opaque session token (256 random bits, base64url)
 * @param user the user name
 * @param role the user's role at login (every operation uses the role the user has then)
 * @param expiresAt when the session ends at the latest
 */
public record Session(String token, String user, Role role, Instant expiresAt) {
  public Session {
    requireNonNull(token, "token is null");
    requireNonNull(user, "user is null");
    requireNonNull(role, "role is null");
    requireNonNull(expiresAt, "expiresAt is null");
  }

  @Override
  public String toString() {
    return "Session[" + user + ", " + role.text() + ", until " + expiresAt + "]";
  }
}
