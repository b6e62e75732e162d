package dev.onfs.controlplane.request;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Changes a feature group. Every field left null keeps its value. Settings (TTL, caches, job) change
 * in place; {@code features}, when given, is the complete wanted feature list and is compared with
 * the active version: features appended or removed make a new version, while a changed data type
 * or store, or features renamed, reordered or resized inside the published version, are breaking
 * and refused.
 *
 * @param entity the entity label
 * @param featureGroup the group's label
 * @param ttlInSeconds new block lifetime
 * @param inMemoryCacheEnabled new in-memory caching flag
 * @param distributedCacheEnabled new distributed caching flag
 * @param jobId new writer job
 * @param layoutVersion must be 1 when given
 * @param dataType the wanted data type; anything but the current one is breaking
 * @param storeId the wanted store; anything but the current one is breaking
 * @param features the complete wanted feature list
 */
public record EditFeatureGroup(
    String entity,
    String featureGroup,
    @Nullable Long ttlInSeconds,
    @Nullable Boolean inMemoryCacheEnabled,
    @Nullable Boolean distributedCacheEnabled,
    @Nullable String jobId,
    @Nullable Integer layoutVersion,
    @Nullable String dataType,
    @Nullable String storeId,
    @Nullable List<FeatureSpec> features) implements Payload {
  public EditFeatureGroup {
    features = features == null ? null : Specs.copy(features);
  }

  /** An edit of settings only (the reference's edit-feature-group). */
  public static EditFeatureGroup settings(String entity, String featureGroup, @Nullable Long ttlInSeconds,
      @Nullable Boolean inMemoryCacheEnabled, @Nullable Boolean distributedCacheEnabled) {
    return new EditFeatureGroup(entity, featureGroup, ttlInSeconds, inMemoryCacheEnabled, distributedCacheEnabled,
        null, null, null, null, null);
  }

  @Override
  public RequestKind kind() {
    return RequestKind.EDIT_FEATURE_GROUP;
  }

  @Override
  public List<Target> targets() {
    return List.of(Target.featureGroup(entity, featureGroup));
  }
}
