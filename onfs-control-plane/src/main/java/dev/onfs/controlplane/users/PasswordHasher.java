package dev.onfs.controlplane.users;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (Bouncy Castle), stored as PHC strings {@code
 * $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>}. The default cost is OWASP's minimum
 * for Argon2id (19 MiB, 2 iterations, 1 lane). Verification reads the cost from the stored string,
 * so the cost can be raised without invalidating existing hashes.
 */
public final class PasswordHasher {
  /** 19 MiB. */
  public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
  public static final int DEFAULT_ITERATIONS = 2;

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final int MAX_MEMORY_KIB = 1024 * 1024;
  private static final int MAX_ITERATIONS = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int memoryKib;
  private final int iterations;

  public PasswordHasher(int memoryKib, int iterations) {
    if (memoryKib < 8 * 1024 || memoryKib > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException("memory must be 8 MiB to 1 GiB, was " + memoryKib + " KiB");
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be 1 to " + MAX_ITERATIONS + ", was " + iterations);
    }
    this.memoryKib = memoryKib;
    this.iterations = iterations;
  }

  public PasswordHasher() {
    this(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS);
  }

  /** A new salted hash of {@code password}. */
  public String hash(char[] password) {
    requireNonNull(password, "password is null");
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, memoryKib, iterations, 1);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$" + b64.encodeToString(salt) + "$"
        + b64.encodeToString(hash);
  }

  /** Whether {@code password} matches {@code stored}; false for anything that is not such a hash. */
  public boolean verify(char[] password, String stored) {
    requireNonNull(password, "password is null");
    requireNonNull(stored, "stored is null");
    String[] parts = stored.split("\\$", -1);
    if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
      return false;
    }
    try {
      int m = 0;
      int t = 0;
      int p = 0;
      for (String param : parts[3].split(",")) {
        String[] kv = param.split("=", 2);
        int value = Integer.parseInt(kv[1]);
        switch (kv[0]) {
          case "m" -> m = value;
          case "t" -> t = value;
          case "p" -> p = value;
          default -> {
            return false;
          }
        }
      }
      if (m < 8 || m > MAX_MEMORY_KIB || t < 1 || t > MAX_ITERATIONS || p < 1 || p > 16) {
        return false;
      }
      byte[] salt = Base64.getDecoder().decode(parts[4]);
      byte[] expected = Base64.getDecoder().decode(parts[5]);
      return expected.length == HASH_BYTES && MessageDigest.isEqual(expected, derive(password, salt, m, t, p));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static byte[] derive(char[] password, byte[] salt, int memoryKib, int iterations, int lanes) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    try {
      Argon2BytesGenerator generator = new Argon2BytesGenerator();
      generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
          .withVersion(Argon2Parameters.ARGON2_VERSION_13)
          .withMemoryAsKB(memoryKib)
          .withIterations(iterations)
          .withParallelism(lanes)
          .withSalt(salt)
          .build());
      byte[] hash = new byte[HASH_BYTES];
      generator.generateBytes(bytes, hash);
      return hash;
    } finally {
      Arrays.fill(bytes, (byte) 0);
      if (encoded.hasArray()) {
        Arrays.fill(encoded.array(), (byte) 0);
      }
    }
  }
}
