package dev.onfs.controlplane.request;

/**
 * An entity's cache setting as requested (the reference's {@code distributed-cache} and
 * {@code in-memory-cache} objects).
 *
 * @param enabled whether the entity uses the cache
 * @param ttlInSeconds how long cached rows live
 * @param jitterPercentage random spread added to the TTL, 0 to 100
 * @param confId the cache connection configured on the servers
 */
public record CacheSpec(boolean enabled, int ttlInSeconds, int jitterPercentage, int confId) {
  /** Cache off, all zeros. */
  public static final CacheSpec DISABLED = new CacheSpec(false, 0, 0, 0);
}
