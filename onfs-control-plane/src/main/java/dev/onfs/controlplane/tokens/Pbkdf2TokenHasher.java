package dev.onfs.controlplane.tokens;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 with a 16-byte random salt, stored as {@code
 * $pbkdf2-sha256$i=<iterations>$<salt>$<hash>} (base64 without padding, 32-byte hash): the form the
 * registry's hashed tokens take, so servers verify what the control plane publishes.
 *
 * <p>The JDK's PBKDF2 rather than a memory-hard function: the tokens are 256 random bits, which no
 * key-stretching needs to protect, and servers (which may be plain Java clients) verify them without
 * extra libraries.
 */
public final class Pbkdf2TokenHasher implements TokenHasher {
  /** OWASP's recommendation for PBKDF2-HMAC-SHA256. */
  public static final int DEFAULT_ITERATIONS = 600_000;
  /** The fewest iterations the registry accepts in a stored hash. */
  public static final int MIN_ITERATIONS = 100_000;

  private static final String PREFIX = "$pbkdf2-sha256$";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int iterations;

  public Pbkdf2TokenHasher(int iterations) {
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be at least " + MIN_ITERATIONS + ", was " + iterations);
    }
    this.iterations = iterations;
  }

  /** With {@link #DEFAULT_ITERATIONS}. */
  public Pbkdf2TokenHasher() {
    this(DEFAULT_ITERATIONS);
  }

  @Override
  public String hash(String token) {
    requireNonNull(token, "token is null");
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + "i=" + iterations + "$" + b64.encodeToString(salt) + "$"
        + b64.encodeToString(derive(token, salt, iterations));
  }

  @Override
  public boolean matches(String token, String stored) {
    requireNonNull(token, "token is null");
    requireNonNull(stored, "stored is null");
    if (!stored.startsWith(PREFIX)) {
      return false;
    }
    String[] parts = stored.split("\\$", -1);
    if (parts.length != 5 || !parts[2].startsWith("i=")) {
      return false;
    }
    try {
      int count = Integer.parseInt(parts[2].substring(2));
      if (count < MIN_ITERATIONS || count > 10_000_000) {
        return false;
      }
      byte[] salt = Base64.getDecoder().decode(parts[3]);
      byte[] hash = Base64.getDecoder().decode(parts[4]);
      return hash.length == HASH_BYTES && MessageDigest.isEqual(hash, derive(token, salt, count));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] derive(String token, byte[] salt, int iterations) {
    char[] chars = token.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }
}
