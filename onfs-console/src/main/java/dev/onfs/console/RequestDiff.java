package dev.onfs.console;

import dev.onfs.controlplane.compat.Plan;
import dev.onfs.controlplane.request.Target;
import dev.onfs.controlplane.storage.RegistryView;
import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.DefaultValues;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.Feature;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Proposed against current, field by field: each registry part the planner says approval writes,
 * described from the published registry and from the registry the plan would publish.
 */
final class RequestDiff {
  private RequestDiff() {}

  static List<Views.DiffRow> of(RegistryView current, Plan plan) {
    RegistrySnapshot after = plan.after();
    if (after == null) {
      return List.of();
    }
    List<Views.DiffRow> rows = new ArrayList<>();
    for (Target target : plan.changedTargets()) {
      Map<String, String> before = describe(current.snapshot(), target);
      Map<String, String> proposed = describe(after, target);
      Set<String> fields = new LinkedHashSet<>(before.keySet());
      fields.addAll(proposed.keySet());
      for (String field : fields) {
        String b = before.getOrDefault(field, "");
        String p = proposed.getOrDefault(field, "");
        rows.add(new Views.DiffRow(target + " " + field, b, p, !b.equals(p)));
      }
    }
    return rows;
  }

  /** The fields of one registry part; empty when it does not exist in {@code snapshot}. */
  static Map<String, String> describe(RegistrySnapshot snapshot, Target target) {
    Map<String, String> fields = new LinkedHashMap<>();
    switch (target.type()) {
      case FEATURE_GROUP -> {
        FeatureGroup g = snapshot.featureGroup(target.entity(), target.name());
        if (g != null) {
          fields.put("data-type", g.dataType().name());
          fields.put("store-id", g.storeId());
          fields.put("ttl-in-seconds", Long.toString(g.ttlInSeconds()));
          fields.put("job-id", g.jobId());
          fields.put("in-memory-cache", Boolean.toString(g.inMemoryCacheEnabled()));
          fields.put("distributed-cache", Boolean.toString(g.distributedCacheEnabled()));
          fields.put("active-version", Integer.toString(g.activeVersion()));
          for (Feature f : g.activeFeatures().features()) {
            fields.put("feature " + f.label(), "default " + text(DefaultValues.decode(g.dataType(), f.defaultValue(),
                f.vectorLength())) + lengths(f));
          }
        }
      }
      case ENTITY -> {
        Entity e = snapshot.entity(target.entity());
        if (e != null) {
          fields.put("keys", String.join(", ", e.keyLabels()));
          fields.put("distributed-cache", cache(e.distributedCache().enabled(), e.distributedCache().ttlInSeconds()));
          fields.put("in-memory-cache", cache(e.inMemoryCache().enabled(), e.inMemoryCache().ttlInSeconds()));
        }
      }
      case STORE -> {
        StoreConfig s = snapshot.store(target.name());
        if (s != null) {
          fields.put("db-type", s.dbType());
          fields.put("conf-id", Integer.toString(s.confId()));
          fields.put("table", s.table());
          fields.put("primary-keys", String.join(", ", s.primaryKeys()));
          fields.put("table-ttl-seconds", Long.toString(s.tableTtlSeconds()));
        }
      }
      case READER -> caller(fields, snapshot.reader(target.name()));
      case WRITER -> caller(fields, snapshot.writer(target.name()));
    }
    return fields;
  }

  private static void caller(Map<String, String> fields, @Nullable Caller caller) {
    if (caller != null) {
      fields.put("registered", "yes");
      fields.put("scopes", GroupPage.scopes(caller.scopes()));
    }
  }

  private static String cache(boolean enabled, int ttl) {
    return enabled ? "on, ttl " + ttl + "s" : "off";
  }

  private static String text(String value) {
    return value.isEmpty() ? "\"\"" : value;
  }

  private static String lengths(Feature f) {
    return (f.vectorLength() > 0 ? ", vector-length " + f.vectorLength() : "")
        + (f.stringLength() > 0 ? ", string-length " + f.stringLength() : "");
  }
}
