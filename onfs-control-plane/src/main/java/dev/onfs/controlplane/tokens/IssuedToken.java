package dev.onfs.controlplane.tokens;

import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.request.Target;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A reader or writer token made on approval. The only copy of the token: show it to the approving
 * admin once and hand it to the requester; the registry holds only its hash. {@link #toString()}
 * does not show it.
 *
 * @param caller the reader or writer it belongs to
 * @param token the token to present (43 characters of base64url: 256 random bits)
 */
public record IssuedToken(Target caller, String token) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public IssuedToken {
    requireNonNull(caller, "caller is null");
    requireNonNull(token, "token is null");
  }

  /** A new random token for {@code caller}. */
  public static IssuedToken generate(Target caller) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return new IssuedToken(caller, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  @Override
  public String toString() {
    return "IssuedToken[" + caller + "]";
  }
}
