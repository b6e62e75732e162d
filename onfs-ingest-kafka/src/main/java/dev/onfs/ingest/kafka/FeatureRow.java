package dev.onfs.ingest.kafka;

import dev.onfs.core.serving.Values;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entity row to push: key values in the entity's key order, and per feature group the feature
 * values by label. Values are plain Java: {@code Number}, {@code String}, {@code Boolean}, and for
 * vector groups a {@code List} or primitive array of those. A feature group must list every
 * feature of its active version (the store resets unlisted ones to defaults).
 *
 * @param entityLabel the entity
 * @param keyValues key values, in the registered key order of the entity
 * @param groups feature group label to (feature label to value), iteration order kept
 */
public record FeatureRow(String entityLabel, List<String> keyValues, Map<String, Map<String, Object>> groups) {

  public FeatureRow {
    requireNonNull(entityLabel, "entityLabel is null");
    keyValues = List.copyOf(requireNonNull(keyValues, "keyValues is null"));
    requireNonNull(groups, "groups is null");
    Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
    groups.forEach((fg, features) -> {
      requireNonNull(fg, "feature group label is null");
      requireNonNull(features, "features of group " + fg + " are null");
      Map<String, Object> f = new LinkedHashMap<>();
      features.forEach((label, value) -> {
        requireNonNull(label, "feature label in group " + fg + " is null");
        f.put(label, requireNonNull(value, "value of feature " + fg + "." + label + " is null"));
      });
      copy.put(fg, Collections.unmodifiableMap(f));
    });
    groups = Collections.unmodifiableMap(copy);
  }
}
