package dev.onfs.controlplane.request;

import java.util.List;

/**
 * Removes features from a feature group: a new version holding the remaining features in their
 * order. Older versions stay, so blocks written under them still decode.
 *
 * @param entity the entity label
 * @param featureGroup the group's label
 * @param features the labels to remove (each in the active version)
 */
public record DeleteFeatures(String entity, String featureGroup, List<String> features) implements Payload {
  public DeleteFeatures {
    features = Specs.copy(features);
  }

  @Override
  public RequestKind kind() {
    return RequestKind.DELETE_FEATURES;
  }

  @Override
  public List<Target> targets() {
    return List.of(Target.featureGroup(entity, featureGroup));
  }
}
