package dev.onfs.controlplane.request;

import java.util.List;

/**
 * Registers a feature group of an existing entity; its features become version 1.
 *
 * @param entity the entity label
 * @param featureGroup the new group's label
 * @param dataType the data type of every feature, e.g. {@code FP32} or {@code DataTypeFP32}
 * @param storeId the store its blocks go to
 * @param ttlInSeconds lifetime of written blocks, 0 = never expire
 * @param jobId the writer job that feeds it (must be registered)
 * @param inMemoryCacheEnabled in-memory caching (effective when the entity's is on)
 * @param distributedCacheEnabled distributed caching (effective when the entity's is on)
 * @param layoutVersion the block layout; only 1 exists
 * @param features the initial features, possibly none
 */
public record CreateFeatureGroup(
    String entity,
    String featureGroup,
    String dataType,
    String storeId,
    long ttlInSeconds,
    String jobId,
    boolean inMemoryCacheEnabled,
    boolean distributedCacheEnabled,
    int layoutVersion,
    List<FeatureSpec> features) implements Payload {
  public CreateFeatureGroup {
    features = Specs.copy(features);
  }

  @Override
  public RequestKind kind() {
    return RequestKind.CREATE_FEATURE_GROUP;
  }

  @Override
  public List<Target> targets() {
    return List.of(Target.featureGroup(entity, featureGroup));
  }
}
