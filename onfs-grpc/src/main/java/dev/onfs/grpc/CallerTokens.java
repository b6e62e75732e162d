package dev.onfs.grpc;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.FeatureRegistry;
import dev.onfs.core.registry.RegistrySnapshot;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The registered callers, as the registry keeps them under {@code /config/<app>/security/reader/<id>}
 * and {@code security/writer/<id>}. {@link #of(FeatureRegistry)} reads the live registry on every
 * call, so a caller or token added or removed at run time counts without a restart.
 */
public interface CallerTokens {
  /** The reader registered as {@code callerId}, or null. */
  @Nullable Caller reader(String callerId);

  /** The writer registered as {@code callerId}, or null. */
  @Nullable Caller writer(String callerId);

  /** The callers of the registry's current snapshot, read anew on every lookup. */
  static CallerTokens of(FeatureRegistry registry) {
    requireNonNull(registry, "registry is null");
    return new CallerTokens() {
      @Override
      public @Nullable Caller reader(String callerId) {
        return registry.snapshot().reader(callerId);
      }

      @Override
      public @Nullable Caller writer(String callerId) {
        return registry.snapshot().writer(callerId);
      }
    };
  }

  /** The callers of one fixed snapshot. */
  static CallerTokens of(RegistrySnapshot snapshot) {
    requireNonNull(snapshot, "snapshot is null");
    return new CallerTokens() {
      @Override
      public @Nullable Caller reader(String callerId) {
        return snapshot.reader(callerId);
      }

      @Override
      public @Nullable Caller writer(String callerId) {
        return snapshot.writer(callerId);
      }
    };
  }

  /** Fixed readers (caller id to token, no scope limits) and no writers, for tests and embedded servers. */
  static CallerTokens of(Map<String, String> readerTokens) {
    RegistrySnapshot.Builder snapshot = RegistrySnapshot.builder();
    readerTokens.forEach(snapshot::readerToken);
    return of(snapshot.build());
  }
}
