package dev.onfs.controlplane.request;

import java.util.List;

/**
 * Appends features to a feature group: a new version holding the active version's features followed
 * by these.
 *
 * @param entity the entity label
 * @param featureGroup the group's label
 * @param features the features to add (labels not in the active version)
 */
public record AddFeatures(String entity, String featureGroup, List<FeatureSpec> features) implements Payload {
  public AddFeatures {
    features = Specs.copy(features);
  }

  @Override
  public RequestKind kind() {
    return RequestKind.ADD_FEATURES;
  }

  @Override
  public List<Target> targets() {
    return List.of(Target.featureGroup(entity, featureGroup));
  }
}
