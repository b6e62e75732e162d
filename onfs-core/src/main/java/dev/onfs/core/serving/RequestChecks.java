package dev.onfs.core.serving;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The checks every request passes before serving resolves it against the registry: its size against
 * the {@link Limits} (so a request over them costs no store call and no answer), and its key values
 * against the {@link KeyRules}.
 */
final class RequestChecks {
  private final Limits limits;

  RequestChecks(Limits limits) {
    this.limits = requireNonNull(limits, "limits is null");
  }

  void retrieveSize(RetrieveQuery query) {
    List<RetrieveQuery.FeatureGroup> groups = query.featureGroups();
    limits.checkFeatureGroups(groups.size());
    long features = 0;
    for (RetrieveQuery.FeatureGroup group : groups) {
      features += group.featureLabels().size();
    }
    limits.checkFeatures(features);
    limits.checkKeys(query.keys().size());
    limits.checkCells(query.keys().size(), features);
  }

  void persistSize(PersistQuery query) {
    List<PersistQuery.FeatureGroupSchema> groups = query.featureGroupSchema();
    limits.checkFeatureGroups(groups.size());
    long features = 0;
    for (PersistQuery.FeatureGroupSchema group : groups) {
      features += group.featureLabels().size();
    }
    limits.checkFeatures(features);
    limits.checkKeys(query.data().size());
    limits.checkCells(query.data().size(), features);
  }

  /** Checks row {@code r} of a retrieve ({@code keys[r].cols}), in {@code keysSchema} order. */
  void retrieveKey(List<String> cols, List<String> keysSchema, int r) {
    KeyRules.check(cols, keysSchema, limits.maxKeyBytes(), "keys", r, "cols");
  }

  /** Checks row {@code r} of a persist ({@code data[r].keyValues}), in {@code keysSchema} order. */
  void persistKey(List<String> keyValues, List<String> keysSchema, int r) {
    KeyRules.check(keyValues, keysSchema, limits.maxKeyBytes(), "data", r, "keyValues");
  }
}
