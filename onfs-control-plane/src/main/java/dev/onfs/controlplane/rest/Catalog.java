package dev.onfs.controlplane.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.controlplane.storage.RegistryView;
import dev.onfs.core.registry.CacheConfig;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.EntityKey;
import dev.onfs.core.registry.Feature;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.FeatureVersion;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The catalog reads and the reference's source mapping, as JSON, from one published registry. */
final class Catalog {
  private Catalog() {}

  static ArrayNode entities(RegistryView view) {
    ArrayNode list = ControlPlaneApi.json().createArrayNode();
    for (Entity e : view.snapshot().entities().values()) {
      ObjectNode node = list.addObject().put("label", e.label());
      ArrayNode keys = node.putArray("keys");
      for (EntityKey k : e.keys()) {
        keys.addObject().put("sequence", k.sequence()).put("entity-label", k.entityLabel())
            .put("column-label", k.columnLabel());
      }
      node.set("distributed-cache", cache(e.distributedCache()));
      node.set("in-memory-cache", cache(e.inMemoryCache()));
      ArrayNode groups = node.putArray("feature-groups");
      e.featureGroups().keySet().forEach(groups::add);
    }
    return list;
  }

  /** Feature groups of one entity, or of every entity when {@code entity} is null, with every version's features. */
  static ArrayNode groups(RegistryView view, @Nullable String entity) {
    ArrayNode list = ControlPlaneApi.json().createArrayNode();
    for (Entity e : entitiesOf(view.snapshot(), entity)) {
      for (FeatureGroup g : e.featureGroups().values()) {
        ObjectNode node = list.addObject().put("entity", e.label()).put("label", g.label()).put("id", g.id())
            .put("data-type", g.dataType().registryName()).put("store-id", g.storeId())
            .put("ttl-in-seconds", g.ttlInSeconds()).put("job-id", g.jobId())
            .put("in-memory-cache-enabled", g.inMemoryCacheEnabled())
            .put("distributed-cache-enabled", g.distributedCacheEnabled())
            .put("layout-version", g.layoutVersion()).put("active-version", g.activeVersion());
        ObjectNode versions = node.putObject("versions");
        for (Map.Entry<Integer, FeatureVersion> v : g.versions().entrySet()) {
          ArrayNode labels = versions.putArray(Integer.toString(v.getKey()));
          v.getValue().features().forEach(f -> labels.add(f.label()));
        }
      }
    }
    return list;
  }

  /** The active features of one group with their source mappings. */
  static ArrayNode features(RegistryView view, String entity, String group) {
    FeatureGroup g = view.snapshot().featureGroup(entityOf(view.snapshot(), entity).label(), group);
    if (g == null) {
      throw new ControlPlaneException(Reason.NOT_FOUND, "group", "entity '" + entity + "' has no feature group '"
          + group + "'");
    }
    ArrayNode list = ControlPlaneApi.json().createArrayNode();
    for (Feature f : g.activeFeatures().features()) {
      ObjectNode node = list.addObject().put("label", f.label()).put("sequence", f.sequence())
          .put("string-length", f.stringLength()).put("vector-length", f.vectorLength());
      String source = view.sources().get(entity + "|" + group + "|" + f.label());
      if (source != null) {
        String[] parts = source.split("\\|", -1);
        node.putObject("source").put("storage-provider", part(parts, 0)).put("base-path", part(parts, 1))
            .put("data-column", part(parts, 2)).put("default-value", part(parts, 3));
      }
    }
    return list;
  }

  static ArrayNode stores(RegistryView view) {
    ArrayNode list = ControlPlaneApi.json().createArrayNode();
    for (StoreConfig s : view.snapshot().stores().values()) {
      ObjectNode node = list.addObject().put("id", s.id()).put("db-type", s.dbType()).put("conf-id", s.confId())
          .put("table", s.table()).put("table-ttl-seconds", s.tableTtlSeconds())
          .put("max-column-size-in-bytes", s.maxColumnSizeInBytes())
          .put("max-row-size-in-bytes", s.maxRowSizeInBytes());
      ArrayNode keys = node.putArray("primary-keys");
      s.primaryKeys().forEach(keys::add);
    }
    return list;
  }

  /**
   * Which job writes which group into which store, and which clients read it. Reader tokens carry no
   * scope yet, so every registered client may read every group: each group lists them all.
   */
  static ArrayNode lineage(RegistryView view) {
    RegistrySnapshot snapshot = view.snapshot();
    ArrayNode list = ControlPlaneApi.json().createArrayNode();
    for (Entity e : snapshot.entities().values()) {
      for (FeatureGroup g : e.featureGroups().values()) {
        ObjectNode node = list.addObject().put("job-id", g.jobId()).put("entity", e.label())
            .put("feature-group", g.label()).put("store-id", g.storeId());
        StoreConfig store = snapshot.store(g.storeId());
        if (store != null) {
          node.put("db-type", store.dbType()).put("table", store.table());
        }
        ArrayNode readers = node.putArray("clients");
        snapshot.readers().keySet().forEach(readers::add);
      }
    }
    return list;
  }

  /**
   * The reference's {@code get-source-mapping} answer for a job: the key labels of every entity the job
   * writes, and every source mapping of the job's groups, grouped by storage provider and base path.
   */
  static ObjectNode sourceMapping(RegistryView view, String jobId) {
    RegistrySnapshot snapshot = view.snapshot();
    ObjectNode keys = ControlPlaneApi.object();
    Map<String, Map<String, ArrayNode>> byProvider = new LinkedHashMap<>();
    for (Map.Entry<String, String> mapping : view.sources().entrySet()) {
      String[] feature = mapping.getKey().split("\\|", -1);
      if (feature.length != 3) {
        continue;
      }
      FeatureGroup g = snapshot.featureGroup(feature[0], feature[1]);
      if (g == null || !g.jobId().equals(jobId)) {
        continue;
      }
      Entity e = snapshot.entity(feature[0]);
      if (!keys.has(feature[0]) && e != null) {
        ArrayNode labels = keys.putArray(feature[0]);
        e.keyLabels().forEach(labels::add);
      }
      String[] source = mapping.getValue().split("\\|", -1);
      ArrayNode paths = byProvider.computeIfAbsent(part(source, 0), p -> new LinkedHashMap<>())
          .computeIfAbsent(part(source, 1), p -> ControlPlaneApi.json().createArrayNode());
      paths.addObject().put("entity-label", feature[0]).put("feature-group-label", feature[1])
          .put("feature-label", feature[2]).put("source-data-column", part(source, 2))
          .put("default-value", part(source, 3)).put("data-type", g.dataType().registryName());
    }
    ObjectNode body = ControlPlaneApi.object();
    body.set("keys", keys);
    ArrayNode data = body.putArray("data");
    byProvider.forEach((provider, paths) -> {
      ObjectNode p = data.addObject().put("storage-provider", provider);
      ArrayNode basePaths = p.putArray("base-path");
      paths.forEach((path, dataPaths) -> basePaths.addObject().put("source-base-path", path).set("data-paths", dataPaths));
    });
    return body;
  }

  private static List<Entity> entitiesOf(RegistrySnapshot snapshot, @Nullable String entity) {
    return entity == null ? List.copyOf(snapshot.entities().values()) : List.of(entityOf(snapshot, entity));
  }

  private static Entity entityOf(RegistrySnapshot snapshot, String entity) {
    Entity e = snapshot.entity(entity);
    if (e == null) {
      throw new ControlPlaneException(Reason.NOT_FOUND, "entity", "entity '" + entity + "' does not exist");
    }
    return e;
  }

  private static ObjectNode cache(CacheConfig c) {
    return ControlPlaneApi.object().put("enabled", c.enabled()).put("ttl-in-seconds", c.ttlInSeconds())
        .put("jitter-percentage", c.jitterPercentage()).put("conf-id", c.confId());
  }

  private static String part(String[] parts, int i) {
    return i < parts.length ? parts[i] : "";
  }
}
