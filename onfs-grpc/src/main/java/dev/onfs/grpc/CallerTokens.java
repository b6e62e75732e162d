package dev.onfs.grpc;

import java.util.Map;
import java.util.Optional;

/**
 * The registered readers: caller id to token, as the registry keeps them under
 * {@code /config/<app>/security/reader/<callerId>}. Implementations read the live registry, so a
 * reader added at run time is accepted without a restart.
 */
@FunctionalInterface
public interface CallerTokens {
  /** The token registered for {@code callerId}, or empty when the caller is not registered. */
  Optional<String> tokenOf(String callerId);

  /** A fixed set of readers, for tests and embedded servers. */
  static CallerTokens of(Map<String, String> tokensByCaller) {
    Map<String, String> copy = Map.copyOf(tokensByCaller);
    return callerId -> Optional.ofNullable(copy.get(callerId));
  }
}
