package dev.onfs.controlplane.request;

import java.util.List;

/**
 * Changes features of the active version, identified by label. A new source mapping changes in
 * place; a new default or a longer string-length makes a new version (published versions are never
 * rewritten); a shorter string-length or another vector-length is breaking and refused.
 *
 * @param entity the entity label
 * @param featureGroup the group's label
 * @param features the features' new definitions
 */
public record EditFeatures(String entity, String featureGroup, List<FeatureSpec> features) implements Payload {
  public EditFeatures {
    features = Specs.copy(features);
  }

  @Override
  public RequestKind kind() {
    return RequestKind.EDIT_FEATURES;
  }

  @Override
  public List<Target> targets() {
    return List.of(Target.featureGroup(entity, featureGroup));
  }
}
