package dev.onfs.console;

import dev.onfs.controlplane.storage.RegistryView;
import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.CallerScopes;
import dev.onfs.core.registry.DefaultValues;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.Feature;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The feature-group page's view, from one registry read. */
final class GroupPage {
  private GroupPage() {}

  static Views.Group of(RegistryView view, Entity entity, FeatureGroup group, List<Views.HistoryRow> history,
      Freshness.@Nullable Writes writes, String key, @Nullable List<Map.Entry<String, String>> sample,
      @Nullable String sampleError) {
    RegistrySnapshot snapshot = view.snapshot();
    List<Views.FeatureRow> features = new ArrayList<>();
    for (Feature f : group.activeFeatures().features()) {
      String source = view.sources().get(entity.label() + "|" + group.label() + "|" + f.label());
      features.add(new Views.FeatureRow(f.label(), DefaultValues.decode(group.dataType(), f.defaultValue(), f.vectorLength()),
          f.stringLength(), f.vectorLength(), source == null ? "" : sourceText(source)));
    }
    List<Views.VersionRow> versions = new ArrayList<>();
    for (FeatureVersion v : group.versions().values()) {
      versions.add(new Views.VersionRow(v.version(), v.size(), String.join(", ", v.labels()),
          v.version() == group.activeVersion()));
    }
    List<String> readers = new ArrayList<>();
    for (Caller reader : snapshot.readers().values()) {
      if (allows(reader.scopes(), entity.label(), group.label())) {
        readers.add(reader.id());
      }
    }
    return new Views.Group(entity.label(), entity.keyLabels(), entity.distributedCache(), entity.inMemoryCache(),
        group.label(), group.id(), group.dataType().name(), group.ttlInSeconds(), group.inMemoryCacheEnabled(),
        group.distributedCacheEnabled(), group.layoutVersion(), group.activeVersion(), group.storeId(),
        snapshot.store(group.storeId()), group.jobId(), readers, features, versions, history, writes, key, sample,
        sampleError);
  }

  /** {@code <provider>|<path>|<column>|<default>} as {@code provider path column}. */
  private static String sourceText(String source) {
    String[] parts = source.split("\\|", -1);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(3, parts.length); i++) {
      if (!parts[i].isEmpty()) {
        text.append(text.length() == 0 ? "" : " · ").append(parts[i]);
      }
    }
    return text.toString();
  }

  /** Whether a caller with {@code scopes} may use the group (a null list places no limit). */
  static boolean allows(CallerScopes scopes, String entity, String group) {
    return (scopes.entities() == null || scopes.entities().contains(entity))
        && (scopes.featureGroups() == null || scopes.featureGroups().contains(entity + ":" + group));
  }

  static String scopes(CallerScopes scopes) {
    if (scopes.isAll()) {
      return "every feature group";
    }
    List<String> parts = new ArrayList<>();
    if (scopes.entities() != null) {
      parts.add("entities " + String.join(", ", scopes.entities()));
    }
    if (scopes.featureGroups() != null) {
      parts.add("groups " + String.join(", ", scopes.featureGroups()));
    }
    return String.join("; ", parts);
  }

  static List<String> groupsWrittenBy(RegistrySnapshot snapshot, String jobId) {
    List<String> groups = new ArrayList<>();
    for (Entity e : snapshot.entities().values()) {
      for (FeatureGroup g : e.featureGroups().values()) {
        if (g.jobId().equals(jobId)) {
          groups.add(e.label() + "/" + g.label());
        }
      }
    }
    return groups;
  }
}
