package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.types.DataType;
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

  /**
   * One requested feature and the index of its column ({@code retrieve.Feature}).
   *
   * @param dataType the type of the feature's cells: its group's type, or the type a quantized request
   *     ({@code label@DataTypeFP16}) asked for; {@link DataType#UNKNOWN} when the server did not say
   *     (the reference server does not)
   */
  public record Feature(String label, int columnIdx, DataType dataType) {
    public Feature {
      requireNonNull(label, "label is null");
      requireNonNull(dataType, "dataType is null");
      if (columnIdx < 0) {
        throw new IllegalArgumentException("columnIdx is negative: " + columnIdx);
      }
    }

    /** A feature whose cell type is not known. */
    public Feature(String label, int columnIdx) {
      this(label, columnIdx, DataType.UNKNOWN);
    }
  }
}
