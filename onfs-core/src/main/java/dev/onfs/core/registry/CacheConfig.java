package dev.onfs.core.registry;

import dev.onfs.core.registry.internal.RegistryChecks;

/**
 * One of an entity's cache settings (distributed, in-memory or p2p), as the reference keeps them
 * under {@code entities/<e>/<kind>-cache/}.
 *
 * @param enabled whether the cache is used for this entity
 * @param ttlInSeconds how long cached rows live
 * @param jitterPercentage random spread added to the TTL, 0 to 100
 * @param confId the id of the cache connection configured on the server
 */
public record CacheConfig(boolean enabled, int ttlInSeconds, int jitterPercentage, int confId) {
  /** Disabled, all zeros: what the reference reads when the keys are absent. */
  public static final CacheConfig DISABLED = new CacheConfig(false, 0, 0, 0);

  public CacheConfig {
    RegistryChecks.nonNegative(ttlInSeconds, "cache ttl-in-seconds");
    RegistryChecks.range(jitterPercentage, 100, "cache jitter-percentage");
    RegistryChecks.nonNegative(confId, "cache conf-id");
  }
}
