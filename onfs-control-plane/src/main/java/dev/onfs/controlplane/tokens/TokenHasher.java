package dev.onfs.controlplane.tokens;

/**
 * Turns a token into the salted hash stored in the registry, and checks a token against one. The one
 * place token hashing happens, so its scheme can change without touching callers.
 */
public interface TokenHasher {
  /** A new salted hash of {@code token}, as stored. */
  String hash(String token);

  /** Whether {@code token} is the token {@code stored} was made from. */
  boolean matches(String token, String stored);
}
