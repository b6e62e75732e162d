package dev.onfs.server.cli.token;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.TokenHash;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Issuing tokens and replacing plaintext tokens with their hashes before a registry is written. */
public final class RegistryTokens {
  /** Random bytes per issued token: 256 bits, which no brute force reaches. */
  static final int TOKEN_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private RegistryTokens() {}

  /** A new random token: 43 characters of URL-safe base64, safe in gRPC metadata and shells. */
  public static String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The snapshot and how many of its tokens were plaintext and are now hashes.
   *
   * @param snapshot the registry to write
   * @param hashed how many tokens were replaced
   */
  public record Hashed(RegistrySnapshot snapshot, int hashed) {}

  /**
   * Replaces every plaintext token with a hash. Where {@code current} (what the target holds now)
   * has a hash of the same token for the same caller and role, that hash is kept, so that writing
   * the same registry twice changes nothing.
   */
  public static Hashed hashPlaintext(RegistrySnapshot snapshot, @Nullable RegistrySnapshot current, int iterations) {
    requireNonNull(snapshot, "snapshot is null");
    RegistrySnapshot.Builder out = snapshot.toBuilder();
    int hashed = 0;
    for (boolean writer : new boolean[] {false, true}) {
      Map<String, Caller> callers = writer ? snapshot.writers() : snapshot.readers();
      for (Caller caller : callers.values()) {
        Caller existing = current == null ? null : writer ? current.writer(caller.id()) : current.reader(caller.id());
        String token = hash(caller.token(), existing, iterations);
        String next = caller.nextToken() == null ? null : hash(caller.nextToken(), existing, iterations);
        hashed += (token.equals(caller.token()) ? 0 : 1) + (next == null || next.equals(caller.nextToken()) ? 0 : 1);
        Caller result = caller.withTokens(token, next);
        if (writer) {
          out.writer(result);
        } else {
          out.reader(result);
        }
      }
    }
    return new Hashed(out.build(), hashed);
  }

  private static String hash(String stored, @Nullable Caller existing, int iterations) {
    if (stored.isEmpty() || TokenHash.isHashed(stored)) {
      return stored;
    }
    if (existing != null) {
      for (String candidate : existing.tokens()) {
        if (TokenHash.isHashed(candidate) && TokenHash.parse(candidate).matches(stored)) {
          return candidate;
        }
      }
    }
    return TokenHash.create(stored, iterations).encoded();
  }
}
