package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A write of feature values, mirroring the reference's {@code persist.Query}: for each row the key
 * values (in {@code keysSchema} order) and one {@link Values} per feature group (in
 * {@code featureGroupSchema} order), each holding the listed features' values in label order.
 *
 * <p>A feature group that lists only some of its features gets the registry defaults for the others
 * (as the reference does); see {@code docs/serving.md}.
 */
public record PersistQuery(
    String entityLabel, List<String> keysSchema, List<FeatureGroupSchema> featureGroupSchema, List<Data> data) {

  public PersistQuery {
    requireNonNull(entityLabel, "entityLabel is null");
    keysSchema = List.copyOf(requireNonNull(keysSchema, "keysSchema is null"));
    featureGroupSchema = List.copyOf(requireNonNull(featureGroupSchema, "featureGroupSchema is null"));
    data = List.copyOf(requireNonNull(data, "data is null"));
  }

  /** A feature group written by this query and the features each row carries for it. */
  public record FeatureGroupSchema(String label, List<String> featureLabels) {
    public FeatureGroupSchema {
      requireNonNull(label, "label is null");
      featureLabels = List.copyOf(requireNonNull(featureLabels, "featureLabels is null"));
    }
  }

  /**
   * One row: key values and one {@link Values} per feature group ({@code persist.Data}; the proto wraps
   * each in a {@code FeatureValues} message).
   */
  public record Data(List<String> keyValues, List<Values> featureValues) {
    public Data {
      keyValues = List.copyOf(requireNonNull(keyValues, "keyValues is null"));
      featureValues = List.copyOf(requireNonNull(featureValues, "featureValues is null"));
    }
  }
}
