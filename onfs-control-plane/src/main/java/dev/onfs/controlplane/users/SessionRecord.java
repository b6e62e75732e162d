package dev.onfs.controlplane.users;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A stored login session, looked up on every operation. Stored under a keyed hash of the session
 * token, never the token itself.
 *
 * @param user the user it belongs to
 * @param epoch the user's epoch at login; a different epoch now means the session has ended
 * @param createdAt login time
 * @param expiresAt when it ends at the latest
 * @param remoteAddress the address the login came from, when known
 */
public record SessionRecord(String user, long epoch, Instant createdAt, Instant expiresAt, @Nullable String remoteAddress) {
  public SessionRecord {
    requireNonNull(user, "user is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(expiresAt, "expiresAt is null");
  }
}
