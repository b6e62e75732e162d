package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.internal.RegistryChecks;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A caller token as stored at rest: PBKDF2-HMAC-SHA256 of the token with a random salt, encoded as
 * a PHC-style string {@code $pbkdf2-sha256$i=<iterations>$<salt>$<hash>} (salt and hash in base64
 * without padding). The registry keeps this string where the reference keeps the plaintext token.
 *
 * <p>PBKDF2 from the JDK, not a memory-hard function: it adds no dependency to the core (which
 * clients and Spark/Flink jobs also load), it is the NIST-approved password KDF, and the tokens OnFS
 * issues are 256 random bits, which no KDF needs to stretch; the iteration count protects weaker
 * tokens carried over from a plaintext registry. Servers verify each presented token once and cache
 * the result, so the cost is paid once per caller, not per call.
 */
public final class TokenHash {
  /** Identifier of the one supported scheme, as it appears between the first two {@code $}. */
  public static final String ALGORITHM = "pbkdf2-sha256";
  /** OWASP's recommendation for PBKDF2-HMAC-SHA256 (2023). */
  public static final int DEFAULT_ITERATIONS = 600_000;
  /** Fewest iterations a stored hash may declare: a lower count is a misconfiguration, not a hash. */
  public static final int MIN_ITERATIONS = 100_000;
  /** Most iterations a stored hash may declare, so a registry entry cannot stall a server. */
  public static final int MAX_ITERATIONS = 10_000_000;

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final String FORMAT = "$" + ALGORITHM + "$i=<iterations>$<salt>$<hash>";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private TokenHash(int iterations, byte[] salt, byte[] hash) {
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  /**
   * Whether a stored token is in hashed form: it starts with {@code $<scheme>$}. Anything else is a
   * plaintext token as the reference stores it.
   */
  public static boolean isHashed(String stored) {
    requireNonNull(stored, "stored is null");
    if (stored.length() < 3 || stored.charAt(0) != '$') {
      return false;
    }
    int end = stored.indexOf('$', 1);
    if (end <= 1) {
      return false;
    }
    for (int i = 1; i < end; i++) {
      char c = stored.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** Hashes {@code token} with a fresh salt and {@link #DEFAULT_ITERATIONS}. */
  public static TokenHash create(String token) {
    return create(token, DEFAULT_ITERATIONS);
  }

  /** Hashes {@code token} with a fresh salt. */
  public static TokenHash create(String token, int iterations) {
    requireNonNull(token, "token is null");
    checkIterations(iterations);
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new TokenHash(iterations, salt, derive(token, salt, iterations));
  }

  /**
   * Parses a stored hash. The message of the exception describes the expected form but never
   * repeats the value.
   *
   * @throws dev.onfs.core.OnfsException INVALID_REGISTRY when {@code encoded} is not a supported hash
   */
  public static TokenHash parse(String encoded) {
    requireNonNull(encoded, "encoded is null");
    if (!isHashed(encoded)) {
      throw RegistryChecks.invalid("token hash must look like " + FORMAT);
    }
    String[] parts = encoded.split("\\$", -1);
    if (!parts[1].equals(ALGORITHM)) {
      throw RegistryChecks.invalid("token hash scheme '" + parts[1] + "' is not supported (supported: " + ALGORITHM + ")");
    }
    if (parts.length != 5 || !parts[2].startsWith("i=")) {
      throw RegistryChecks.invalid("token hash must look like " + FORMAT);
    }
    int iterations;
    try {
      iterations = Integer.parseInt(parts[2].substring(2));
    } catch (NumberFormatException e) {
      throw RegistryChecks.invalid("token hash iteration count is not a number (form " + FORMAT + ")");
    }
    checkIterations(iterations);
    byte[] salt = base64(parts[3], "salt");
    byte[] hash = base64(parts[4], "hash");
    if (salt.length < SALT_BYTES) {
      throw RegistryChecks.invalid("token hash salt has " + salt.length + " bytes, needs at least " + SALT_BYTES);
    }
    if (hash.length != HASH_BYTES) {
      throw RegistryChecks.invalid("token hash has " + hash.length + " bytes, needs " + HASH_BYTES);
    }
    return new TokenHash(iterations, salt, hash);
  }

  /** Whether {@code token} is the token this hash was made from. Costs one full key derivation. */
  public boolean matches(String token) {
    requireNonNull(token, "token is null");
    return MessageDigest.isEqual(hash, derive(token, salt, iterations));
  }

  public int iterations() {
    return iterations;
  }

  /** The PHC-style string to store. */
  public String encoded() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$" + ALGORITHM + "$i=" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenHash other && iterations == other.iterations
        && Arrays.equals(salt, other.salt) && Arrays.equals(hash, other.hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return encoded();
  }

  private static void checkIterations(int iterations) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw RegistryChecks.invalid("token hash iteration count " + iterations + " is outside "
          + MIN_ITERATIONS + ".." + MAX_ITERATIONS);
    }
  }

  private static byte[] base64(String text, String what) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw RegistryChecks.invalid("token hash " + what + " is not base64 (form " + FORMAT + ")");
    }
  }

  private static byte[] derive(String token, byte[] salt, int iterations) {
    // The JDK's PBKDF2 takes the password as chars and encodes them as UTF-8 itself.
    char[] chars = token.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime must provide PBKDF2WithHmacSHA256.
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }
}
