package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A retrieve request, mirroring the reference's {@code retrieve.Query}: the entity, the feature groups
 * and features wanted (in the order their columns should appear), the key column names and one key row
 * per entity to read.
 *
 * @param entityLabel the entity, e.g. {@code user}
 * @param featureGroups feature groups with the features wanted from each; columns follow this order
 * @param keysSchema the names of the entity's key columns, in the order the values in {@code keys} use
 * @param keys one row of key values per entity instance
 */
public record RetrieveQuery(
    String entityLabel, List<FeatureGroup> featureGroups, List<String> keysSchema, List<Keys> keys) {

  public RetrieveQuery {
    requireNonNull(entityLabel, "entityLabel is null");
    featureGroups = List.copyOf(requireNonNull(featureGroups, "featureGroups is null"));
    keysSchema = List.copyOf(requireNonNull(keysSchema, "keysSchema is null"));
    keys = List.copyOf(requireNonNull(keys, "keys is null"));
  }

  /** One feature group of a query and the features wanted from it ({@code retrieve.FeatureGroup}). */
  public record FeatureGroup(String label, List<String> featureLabels) {
    public FeatureGroup {
      requireNonNull(label, "label is null");
      featureLabels = List.copyOf(requireNonNull(featureLabels, "featureLabels is null"));
    }
  }

  /** The key values of one entity instance, in {@code keysSchema} order ({@code retrieve.Keys}). */
  public record Keys(List<String> cols) {
    public Keys {
      cols = List.copyOf(requireNonNull(cols, "cols is null"));
    }

    public static Keys of(String... cols) {
      return new Keys(List.of(cols));
    }
  }
}
