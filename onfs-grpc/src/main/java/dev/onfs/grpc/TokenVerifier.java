package dev.onfs.grpc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.TokenHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Checks a presented token against a caller's stored tokens. Plaintext tokens (the reference's form)
 * are compared in constant time. Hashed tokens cost a full key derivation, so the outcome is cached
 * per (role, caller, SHA-256 of the presented token), successes and failures alike:
 *
 * <ul>
 *   <li>a success remembers which stored hash matched and counts only while the caller's live
 *       registry entry still holds that hash, so a token removed from the registry stops working on
 *       the next call, without flushing anything;
 *   <li>a failure counts only while the caller's hashed tokens are the ones it was checked against,
 *       so a token added later is accepted at once.
 * </ul>
 *
 * <p>The presented token itself is never kept. Concurrent checks of the same token share one
 * derivation, and at most {@code maxConcurrentDerivations} run at once: a flood of wrong tokens
 * cannot take more than that many cores.
 */
final class TokenVerifier {
  /** How long a verified token stays cached without being used. */
  static final Duration IDLE_EXPIRY = Duration.ofMinutes(10);
  static final long MAX_ENTRIES = 10_000;
  private static final long WAIT_FOR_PERMIT_MS = 5_000;

  /** Thrown when no derivation slot frees up in time; callers answer UNAVAILABLE. */
  static final class BusyException extends OnfsException {
    private static final long serialVersionUID = 1L;

    BusyException() {
      super(ErrorCode.LIMIT_EXCEEDED, "token verification is busy; retry");
    }
  }

  /** Cache key: role, caller and the presented token's digest (never the token). */
  private record Key(boolean writer, String callerId, long d0, long d1, long d2, long d3) {}

  /** The stored hash that matched, or null; and the hashed tokens it was checked against. */
  private record Verdict(@Nullable String matched, List<String> checked) {}

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  });

  private final Cache<Key, Verdict> verdicts =
      Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterAccess(IDLE_EXPIRY).build();
  private final ConcurrentHashMap<Key, CompletableFuture<Verdict>> inFlight = new ConcurrentHashMap<>();
  private final Semaphore derivations;

  TokenVerifier(int maxConcurrentDerivations) {
    this.derivations = new Semaphore(maxConcurrentDerivations);
  }

  /**
   * Whether {@code presented} is one of the caller's tokens. An empty token, stored or presented,
   * never matches.
   *
   * @throws BusyException when a derivation was needed and none could start in time
   */
  boolean verify(Caller caller, boolean writer, String presented) {
    if (presented.isEmpty()) {
      return false;
    }
    List<String> hashed = null;
    for (String stored : caller.tokens()) {
      if (stored.isEmpty()) {
        continue;
      }
      if (!TokenHash.isHashed(stored)) {
        if (constantTimeEquals(stored, presented)) {
          return true;
        }
      } else {
        if (hashed == null) {
          hashed = new ArrayList<>(2);
        }
        hashed.add(stored);
      }
    }
    if (hashed == null) {
      return false;
    }
    Key key = key(writer, caller.id(), presented);
    Verdict verdict = verdicts.getIfPresent(key);
    if (verdict == null || !holds(verdict, hashed)) {
      verdict = derive(key, hashed, presented);
    }
    return verdict.matched() != null && hashed.contains(verdict.matched());
  }

  /** Whether a cached verdict still answers for these stored hashes. */
  private static boolean holds(Verdict verdict, List<String> hashed) {
    return verdict.matched() != null ? hashed.contains(verdict.matched()) : verdict.checked().equals(hashed);
  }

  private Verdict derive(Key key, List<String> hashed, String presented) {
    CompletableFuture<Verdict> mine = new CompletableFuture<>();
    CompletableFuture<Verdict> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      Verdict shared;
      try {
        shared = running.join();
      } catch (CompletionException e) {
        // The sharing call failed (busy): report the same to this one.
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
      if (holds(shared, hashed)) {
        return shared;
      }
      return compute(key, hashed, presented);
    }
    try {
      Verdict verdict = compute(key, hashed, presented);
      mine.complete(verdict);
      return verdict;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private Verdict compute(Key key, List<String> hashed, String presented) {
    try {
      if (!derivations.tryAcquire(WAIT_FOR_PERMIT_MS, TimeUnit.MILLISECONDS)) {
        throw new BusyException();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BusyException();
    }
    try {
      String matched = null;
      for (String stored : hashed) {
        if (TokenHash.parse(stored).matches(presented)) {
          matched = stored;
          break;
        }
      }
      Verdict verdict = new Verdict(matched, List.copyOf(hashed));
      verdicts.put(key, verdict);
      return verdict;
    } finally {
      derivations.release();
    }
  }

  private static Key key(boolean writer, String callerId, String presented) {
    MessageDigest sha256 = SHA256.get();
    ByteBuffer digest = ByteBuffer.wrap(sha256.digest(presented.getBytes(StandardCharsets.UTF_8)));
    return new Key(writer, callerId, digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
  }

  // Tokens are secrets: compare without an early exit.
  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
