package dev.onfs.core.registry;

import dev.onfs.core.OnfsException;

/**
 * Told when a {@link FeatureRegistry}'s snapshot changes, and when its source changed in a way that
 * was rejected (the previous snapshot stays in force).
 *
 * <p>Called on the registry's own thread; keep it quick and never throw.
 */
@FunctionalInterface
public interface RegistryListener {
  /** The registry now serves {@code current} instead of {@code previous}. */
  void onChange(RegistrySnapshot previous, RegistrySnapshot current);

  /** A new version of the source was invalid and ignored; the last good snapshot stays. */
  default void onRejected(OnfsException error) {}
}
