package dev.onfs.ingest.kafka;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One {@code persist.Query}: rows of one entity, each carrying values for the same feature groups.
 *
 * <p>This is the Kafka record value (serialized with {@link PersistQueryCodec}) and the body of
 * gRPC {@code PersistFeatures}. Field numbers and meanings are the reference's.
 *
 * @param entityLabel the entity the rows belong to (field 1)
 * @param keysSchema the entity's key names, in the order of every row's key values (field 2)
 * @param featureGroupSchema the feature groups and features carried by every row (field 3)
 * @param data the rows (field 4)
 */
public record PersistQuery(
    String entityLabel,
    List<String> keysSchema,
    List<FeatureGroupSchema> featureGroupSchema,
    List<Data> data) {

  public PersistQuery {
    requireNonNull(entityLabel, "entityLabel is null");
    keysSchema = List.copyOf(requireNonNull(keysSchema, "keysSchema is null"));
    featureGroupSchema = List.copyOf(requireNonNull(featureGroupSchema, "featureGroupSchema is null"));
    data = List.copyOf(requireNonNull(data, "data is null"));
  }

  /**
   * The features of one group that a query carries ({@code persist.FeatureGroupSchema}).
   *
   * @param label feature group label (field 1)
   * @param featureLabels feature labels, in the order of the values (field 2)
   */
  public record FeatureGroupSchema(String label, List<String> featureLabels) {
    public FeatureGroupSchema {
      requireNonNull(label, "label is null");
      featureLabels = List.copyOf(requireNonNull(featureLabels, "featureLabels is null"));
    }
  }

  /**
   * One entity row ({@code persist.Data}).
   *
   * @param keyValues key values in {@link PersistQuery#keysSchema()} order (field 1)
   * @param featureValues one {@link Values} per feature group, in schema order (field 2, each a
   *     {@code FeatureValues} whose field 1 is the values)
   */
  public record Data(List<String> keyValues, List<Values> featureValues) {
    public Data {
      keyValues = List.copyOf(requireNonNull(keyValues, "keyValues is null"));
      featureValues = List.copyOf(requireNonNull(featureValues, "featureValues is null"));
    }
  }
}
