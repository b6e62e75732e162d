package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where the features of one requested feature group sit in each result row ({@code retrieve.FeatureSchema}).
 *
 * @param featureGroupLabel the feature group as requested
 * @param features its requested features, each with its column index in every row
 */
public record FeatureSchema(String featureGroupLabel, List<Feature> features) {

  public FeatureSchema {
    requireNonNull(featureGroupLabel, "featureGroupLabel is null");
    features = List.copyOf(requireNonNull(features, "features is null"));
  }

  /** One requested feature and the index of its column ({@code retrieve.Feature}). */
  public record Feature(String label, int columnIdx) {
    public Feature {
      requireNonNull(label, "label is null");
      if (columnIdx < 0) {
        throw new IllegalArgumentException("columnIdx is negative: " + columnIdx);
      }
    }
  }
}
