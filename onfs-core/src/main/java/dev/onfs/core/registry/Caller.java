package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.internal.RegistryChecks;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A registered caller: a reader (a serving client, {@code security/reader/<id>}) or a writer (an
 * ingestion job, {@code security/writer/<id>}), the tokens it may present and what it may touch.
 *
 * <p>Each token is stored either as the reference stores it, in plaintext, or hashed ({@link
 * TokenHash}). {@code nextToken} is a second token accepted alongside {@code token} while callers
 * move to a new one. An empty token never authenticates anyone. {@link #toString()} shows no token.
 *
 * @param id caller id (reader) or job id (writer)
 * @param token the current token, plaintext or a {@link TokenHash} string
 * @param nextToken a second accepted token during rotation, or null
 * @param scopes the entities and feature groups the caller may use
 */
public record Caller(String id, String token, @Nullable String nextToken, CallerScopes scopes) {
  public Caller {
    requireNonNull(id, "id is null");
    requireNonNull(token, "token is null");
    requireNonNull(scopes, "scopes is null");
    RegistryChecks.label(id, "caller id");
    checkStored(token, "token");
    if (nextToken != null) {
      checkStored(nextToken, "next-token");
    }
  }

  /** A caller with one token and no scope limits, as the reference registers every caller. */
  public static Caller of(String id, String token) {
    return new Caller(id, token, null, CallerScopes.ALL);
  }

  /** The accepted tokens: {@code token}, then {@code nextToken} when set. */
  public List<String> tokens() {
    return nextToken == null ? List.of(token) : List.of(token, nextToken);
  }

  /** The same caller with other tokens. */
  public Caller withTokens(String token, @Nullable String nextToken) {
    return new Caller(id, token, nextToken, scopes);
  }

  private static void checkStored(String stored, String field) {
    if (TokenHash.isHashed(stored)) {
      try {
        TokenHash.parse(stored);
      } catch (dev.onfs.core.OnfsException e) {
        throw RegistryChecks.invalid(field + ": " + e.getMessage());
      }
    }
  }

  @Override
  public String toString() {
    return "Caller[id=" + id + ", tokens=" + tokens().size() + ", scopes=" + scopes + "]";
  }
}
